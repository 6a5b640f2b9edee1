// The second engine's thread (parallel.ts): formats its side of a note with the same code as the extension host's
// thread, and answers on the port it was given, bumping a shared counter after each answer so that the host, waiting
// on it with Atomics.wait, reads the answer at once (receiveMessageOnPort) without returning to its event loop.
import { MessagePort, workerData } from 'node:worker_threads';
import { CslItem, formatCitations, prepareEngine, registryFacts, styleId } from './format';
import { ANSWERS_HELD, FromWorker, ToWorker } from './protocol';

const { port, signal } = workerData as { port: MessagePort; signal: SharedArrayBuffer };
const counter = new Int32Array(signal);

/** The answers' items by token, the last ANSWERS_HELD (the host sends an answer's items once while it is held). */
const answers = new Map<number, Map<string, CslItem>>();

function reply(message: FromWorker): void {
  port.postMessage(message);
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
}

const failure = (e: unknown) => (e instanceof Error ? e.message : String(e));

port.on('message', (message: ToWorker) => {
  if (message.type === 'warm') {
    try {
      prepareEngine(message.options);
      if (message.practice) {
        const items = new Map(message.practice.items.map((item) => [item.id, item]));
        formatCitations(message.practice.groups, items, { ...message.options, bibliographyLater: false });
      }
      reply({ type: 'ready', id: styleId(message.options) });
    } catch (e) {
      reply({ type: 'error', message: failure(e) });
    }
    return;
  }
  const { job, token, groups, options } = message;
  try {
    if (message.items) {
      answers.set(token, new Map(message.items.map((item) => [item.id, item])));
      if (answers.size > ANSWERS_HELD) answers.delete(answers.keys().next().value!);
    }
    const items = answers.get(token);
    if (!items) throw new Error(`no items for answer ${token}`);
    const formatted = formatCitations(groups, items, { ...options, bibliographyLater: true });
    reply({ type: 'clusters', job, groups: formatted.groups, facts: message.facts ? registryFacts(options) : undefined });
    if (message.bibliography) {
      formatted.finish?.();
      const complete = formatCitations(groups, items, { ...options, bibliographyLater: false });
      reply({ type: 'bibliography', job, parts: complete.parts });
    }
  } catch (e) {
    reply({ type: 'error', job, message: failure(e) });
  }
});
