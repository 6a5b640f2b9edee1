// A client we did not write (vscode-jsonrpc, the transport under VS Code's own language client) drives
// `papernotes serve` on examples/ and checks hover, completion and diagnostics there.
// Usage: node smoke.mjs [path/to/papernotes.dll | path/to/papernotes]   (a .dll runs with dotnet, anything else directly)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as rpc from 'vscode-jsonrpc/node.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const dll = process.argv[2] ?? resolve(repo, 'server/PaperNotes.Server/bin/Release/net10.0/papernotes.dll');
const examples = resolve(repo, 'examples');
const server = dll.toLowerCase().endsWith('.dll')
  ? spawn('dotnet', [dll, 'serve'], { stdio: ['pipe', 'pipe', 'inherit'] })
  : spawn(dll, ['serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(server.stdout), new rpc.StreamMessageWriter(server.stdin));

const diagnostics = new Map();
let indexed;
const indexedPromise = new Promise((r) => (indexed = r));
connection.onNotification('textDocument/publishDiagnostics', (p) => diagnostics.set(p.uri, p.diagnostics));
connection.onNotification('paperNotes/libraryStatus', (p) => { if (!p.indexing) indexed(p); });
connection.onNotification('window/logMessage', () => {});
connection.onRequest('workspace/configuration', () => [null]);
connection.onRequest('client/registerCapability', () => null);
connection.onRequest('window/workDoneProgress/create', () => null);
connection.listen();

const failures = [];
const check = (ok, what) => { console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`); if (!ok) failures.push(what); };
const timeout = (ms, what) => new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms));

try {
  await Promise.race([(async () => {
    const init = await connection.sendRequest('initialize', {
      processId: process.pid, rootUri: pathToFileURL(examples).href,
      capabilities: { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } }, window: { workDoneProgress: true } },
    });
    check(init.capabilities.hoverProvider === true, 'initialize: hover provider announced');
    await connection.sendNotification('initialized', {});
    const status = await indexedPromise;
    check(status.papers === 52, `indexed 52 papers (got ${status.papers})`);

    const notePath = resolve(examples, 'notes/ssl-collapse.md');
    const uri = pathToFileURL(notePath).href;
    const text = readFileSync(notePath, 'utf8');
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text } });
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('@understanding2021'));
    const character = lines[line].indexOf('@understanding2021') + 3;
    const hover = await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } });
    check(hover?.contents?.value?.includes('Understanding self-supervised Learning Dynamics without Contrastive Pairs'), 'hover: title of @understanding2021');
    check(hover?.contents?.value?.includes('DirectPred'), 'hover: abstract of @understanding2021');

    const edited = text + '\nAnother look at @contrastive';
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: edited }] });
    const last = edited.split('\n').length - 1;
    const completion = await connection.sendRequest('textDocument/completion', {
      textDocument: { uri }, position: { line: last, character: edited.split('\n')[last].length }, context: { triggerKind: 1 },
    });
    const labels = (completion?.items ?? []).map((i) => i.label);
    check(labels.includes('understanding2021'), `completion: @contrastive offers understanding2021 (got ${labels.slice(0, 5).join(', ')})`);

    const deadline = Date.now() + 10000;
    while (!(diagnostics.get(uri) ?? []).some((d) => d.code === 'unknown-citation') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const typo = (diagnostics.get(uri) ?? []).find((d) => d.code === 'unknown-citation');
    check(typo?.message?.includes("did you mean 'understanding2021'"), `diagnostics: typo reported with a suggestion (${typo?.message})`);

    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
  })(), timeout(60000, 'smoke test')]);
} catch (e) {
  failures.push(String(e));
  console.log(`FAIL ${e}`);
}
const code = await new Promise((r) => { server.on('exit', (c) => r(c)); setTimeout(() => { server.kill(); r(-1); }, 5000); });
check(code === 0, `server exit code 0 after shutdown (got ${code})`);
process.exit(failures.length === 0 ? 0 : 1);
