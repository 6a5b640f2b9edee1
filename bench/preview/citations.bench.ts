// The Markdown preview's citation plugin on a note with 300 citations of 300 distinct papers (npm run bench:preview
// [-- apa|vancouver|harvard ...] [--runs N] [--cold N]): what a render costs once the server's items are there.
// Measures and prints; asserts nothing about time.
// A long bibliography comes in a second render (the source's `later`, as in VS Code): "shown" is the render that puts
// the formatted in-text citations on screen, "complete" adds the later step and the render that shows the
// bibliography (the final HTML, as the extension's refresh renders it; without the delay between them).
//   items arrive, cold:  a new extension host: citeproc-js loaded, the style parsed, the note formatted (its own process)
//   items arrive:        the headline figure: a note whose 300 items the formatter has never seen (every run another
//                        note, other keys, names and titles), formatted after a note in the same style was
//   same items again:    a new server answer with the same items (after a save, a library change elsewhere)
//   one item changed:    a new answer in which one cited item changed (a library edit)
//   render again:        the same answer (a refresh, a re-render after a scroll or a settings change)
//   typing:              a keystroke outside citations: parse and render, formatting from the cache
//   one locator:         a keystroke in a citation: that cluster is formatted again
//   key order:           a newly cited key up front: numbering, every cluster and the bibliography again
// Tokens are parsed before the timer starts (VS Code caches them per document version and rendered the note, its
// citations as written, while the items were on their way). Times are wall clock on whatever else the machine runs;
// `cpu` is this process's CPU time for the same renders.
import { execFileSync } from 'node:child_process';
import MarkdownIt from 'markdown-it';
import { citationsPlugin, CitationSource, NoteItems } from '../../client-vscode/src/preview/citations';
import { CslItem } from '../../client-vscode/src/preview/format';
import { SecondEngine } from '../../client-vscode/src/preview/parallel';
import { bundledStyle, bundledStyleNames } from '../../client-vscode/src/preview/styles';
import { corpus } from './corpus';

const ITEMS = 300;
const CITATIONS = 300;
const DOC = 'file:///bench/note.md';
const env = () => ({ currentDocument: DOC });

/** The extension's source as the bench drives it: one answer at a time, the style by name. */
class BenchSource implements CitationSource {
  /** Undefined while the answer is on its way. */
  data: NoteItems | undefined;
  /** What renders left for later (the extension runs them a frame after the render, then refreshes). */
  steps: (() => void)[] = [];
  later(step: () => void): void {
    this.steps.push(step);
  }
  /** Runs the steps left; whether there were any (then the preview is rendered again). */
  runSteps(): boolean {
    const steps = this.steps;
    this.steps = [];
    steps.forEach((step) => step());
    return steps.length > 0;
  }
  readonly format: CitationSource['format'];
  constructor(
    private readonly style_: string,
    /** The extension's second formatting thread (preview-worker.js beside this bundle), unless `--one-thread`. */
    readonly second: SecondEngine | undefined,
  ) {
    this.format = second && ((groups, items, options) => second.format(groups, items, options));
  }
  answer(items: CslItem[]): void {
    this.data = { items: new Map(items.map((x) => [x.id, x])), unknown: new Set() };
  }
  items(): NoteItems | undefined {
    return this.data;
  }
  style() {
    return { xml: bundledStyle(this.style_)! };
  }
}

function markdown(source: CitationSource): MarkdownIt {
  const md = new MarkdownIt({ html: true, linkify: true });
  citationsPlugin(md, source);
  return md;
}

interface Sample {
  wall: number;
  cpu: number;
}

function measure(fn: () => void): Sample {
  const cpu = process.cpuUsage();
  const t = process.hrtime.bigint();
  fn();
  const wall = Number(process.hrtime.bigint() - t) / 1e6;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000 };
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1)).padStart(6);
function line(label: string, samples: Sample[]): string {
  if (samples.length === 0) return `${label.padEnd(24)} (not run)`;
  const wall = samples.map((s) => s.wall);
  const cpu = samples.map((s) => s.cpu);
  return (
    `${label.padEnd(24)} p50 ${ms(quantile(wall, 0.5))} ms  p95 ${ms(quantile(wall, 0.95))} ms  ` +
    `(min ${ms(Math.min(...wall))}, max ${ms(Math.max(...wall))}; cpu p50 ${ms(quantile(cpu, 0.5))} ms; n=${samples.length})`
  );
}

interface Progressive {
  /** The render that shows the formatted in-text citations. */
  shown: Sample;
  /** That render, the steps it left and the render that shows the rest: the final HTML. */
  complete: Sample;
  /** The HTML of the first render and the final HTML. */
  first: string;
  html: string;
}

/** Renders as the extension does: once, then (if it left steps) the steps and a second render. */
function progressive(source: BenchSource, render: () => string): Progressive {
  let first = '';
  const shown = measure(() => (first = render()));
  let html = first;
  const rest = measure(() => source.runSteps() && (html = render()));
  return { shown, complete: { wall: shown.wall + rest.wall, cpu: shown.cpu + rest.cpu }, first, html };
}

/** Items arrive for a note whose tokens are cached: the renders that format it. */
function firstRender(md: MarkdownIt, source: BenchSource, seed: number): Progressive {
  const c = corpus(seed, ITEMS, CITATIONS);
  const tokens = md.parse(c.note, env());
  source.data = undefined;
  md.renderer.render(tokens, md.options, env()); // the citations as written, while the items are on their way
  source.answer(c.items);
  const result = progressive(source, () => md.renderer.render(tokens, md.options, env()));
  if (result.first.includes('pn-cite-pending')) throw new Error('the first render with the items shows citations as written');
  return result;
}

/** `--cold STYLE SEED` (a child process): a new process whose first citation render is this one. */
function coldChild(style: string, seed: number, oneThread: boolean): void {
  const source = new BenchSource(style, secondEngine(oneThread));
  const md = markdown(source);
  const { shown, complete, html } = firstRender(md, source, seed);
  if (!html.includes('csl-entry')) throw new Error('no bibliography');
  process.stdout.write(JSON.stringify({ shown, complete }));
}

/** The second formatting thread, as the extension makes it (its worker file is bundled beside this one). */
function secondEngine(oneThread: boolean): SecondEngine | undefined {
  if (oneThread) return undefined;
  const second = SecondEngine.beside(__dirname, (message) => console.error(message));
  if (!second) throw new Error(`no preview-worker.js beside ${__filename}`);
  return second;
}

function benchStyle(style: string, runs: number, coldRuns: number, oneThread: boolean): void {
  const source = new BenchSource(style, secondEngine(oneThread));
  const md = markdown(source);
  const coldShown: Sample[] = [];
  const cold: Sample[] = [];
  for (let i = 0; i < coldRuns; i++) {
    const out = execFileSync(process.execPath, [__filename, '--cold', style, String(900 + i), ...(oneThread ? ['--one-thread'] : [])], { encoding: 'utf8' });
    const child = JSON.parse(out) as { shown: Sample; complete: Sample };
    coldShown.push(child.shown);
    cold.push(child.complete);
  }
  // The formatter has seen this style before (another note), and so has the second thread; then every run is a note
  // it has not seen.
  firstRender(md, source, 10_000);
  if (source.second && !source.second.waitReady({ style: bundledStyle(style)! })) throw new Error('the second thread is not ready');
  const arriveShown: Sample[] = [];
  const arrive: Sample[] = [];
  let last: Progressive | undefined;
  for (let r = 0; r < runs; r++) {
    last = firstRender(md, source, r + 1);
    arriveShown.push(last.shown);
    arrive.push(last.complete);
  }

  const c = corpus(runs, ITEMS, CITATIONS);
  const tokens = md.parse(c.note, env());
  const same: Sample[] = [];
  for (let r = 0; r < Math.min(runs, 10); r++) {
    source.answer(c.items.map((x) => structuredClone(x)));
    same.push(measure(() => md.renderer.render(tokens, md.options, env())));
  }
  const changed: Sample[] = [];
  for (let r = 0; r < Math.min(runs, 10); r++) {
    const items = c.items.map((x) => structuredClone(x));
    items[(r * 37) % ITEMS].title = `An edited title, take ${r}`;
    source.answer(items);
    changed.push(progressive(source, () => md.renderer.render(tokens, md.options, env())).complete);
  }
  const again: Sample[] = [];
  for (let r = 0; r < 10; r++) again.push(measure(() => md.renderer.render(tokens, md.options, env())));
  const parse: Sample[] = [];
  for (let r = 0; r < 10; r++) parse.push(measure(() => md.parse(c.note, env())));
  let n = 0;
  const typing: Sample[] = [];
  for (let r = 0; r < 10; r++) typing.push(measure(() => md.render(c.note.replace('Sentence 150 ', `Sentence 150 typed${n++} `), env())));
  const locator: Sample[] = [];
  for (let r = 0; r < 10; r++) locator.push(measure(() => md.render(c.note.replace('p. 153;', `p. ${1000 + n++};`), env())));
  const keyOrder: Sample[] = [];
  for (let r = 0; r < Math.min(runs, 5); r++) {
    const note = `[@${c.items[(n++ * 7) % ITEMS].id}]\n\n` + c.note;
    keyOrder.push(progressive(source, () => md.render(note, env())).complete);
  }

  if (!last) return;
  const groups = (last.html.match(/class="pn-cite"/g) ?? []).length;
  const entries = (last.html.match(/class="csl-entry"/g) ?? []).length;
  console.log(`\n${style}: ${groups} citation groups, ${ITEMS} distinct items, ${entries} bibliography entries, ${(last.html.length / 1024).toFixed(0)} KB`);
  console.log(line('items arrive: shown', arriveShown));
  console.log(line('items arrive: complete', arrive));
  console.log(line('cold: shown', coldShown));
  console.log(line('cold: complete', cold));
  console.log(line('same items again', same));
  console.log(line('one item changed', changed));
  console.log(line('render again', again));
  console.log(line('parse', parse));
  console.log(line('typing', typing));
  console.log(line('one locator', locator));
  console.log(line('key order', keyOrder));
}

function main(): void {
  const args = process.argv.slice(2);
  const oneThread = args.includes('--one-thread');
  if (oneThread) args.splice(args.indexOf('--one-thread'), 1);
  if (args[0] === '--cold') return coldChild(args[1], Number(args[2]), oneThread);
  const option = (name: string, fallback: number) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args.splice(i, 2)[1]) : fallback;
  };
  const runs = option('--runs', 20);
  const coldRuns = option('--cold', 5);
  const styles = args.length > 0 ? args : bundledStyleNames();
  const load = require('node:os').loadavg() as number[];
  console.log(`preview bench: a note with ${CITATIONS} citations of ${ITEMS} distinct items; node ${process.version}, load ${load.map((x) => x.toFixed(1)).join(' ')}`);
  console.log(oneThread ? 'one thread (--one-thread)' : 'a long note is split over this thread and a worker thread (parallel.ts)');
  for (const style of styles) benchStyle(style, runs, coldRuns, oneThread);
}

main();
