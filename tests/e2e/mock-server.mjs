#!/usr/bin/env node
// A tiny stand-in for `papernotes serve` (LSP over stdio), only to test the e2e harness itself:
// E2E_MOCK_SERVER=1 tests/e2e/run.sh points paperNotes.server.path here. Not the real server.
import { fileURLToPath } from 'node:url';
import { allKeys, findPaper } from './library.mjs';

if (process.argv[2] !== 'serve') {
  process.stderr.write(`papernotes-mock: only 'serve' is supported (got: ${process.argv.slice(2).join(' ')})\n`);
  process.exit(2);
}

let root;
const docs = new Map();
let papers = new Map();
let buf = Buffer.alloc(0);

function send(msg) {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...msg }), 'utf8');
  process.stdout.write(`Content-Length: ${body.length}\r\n\r\n`);
  process.stdout.write(body);
}

process.stdin.on('data', (chunk) => {
  buf = Buffer.concat([buf, chunk]);
  for (;;) {
    const sep = buf.indexOf('\r\n\r\n');
    if (sep < 0) return;
    const len = Number(/Content-Length: (\d+)/i.exec(buf.slice(0, sep).toString())[1]);
    if (buf.length < sep + 4 + len) return;
    const msg = JSON.parse(buf.slice(sep + 4, sep + 4 + len).toString('utf8'));
    buf = buf.slice(sep + 4 + len);
    handle(msg);
  }
});

const KEY_RE = /@\{?([\w][\w:.#$%&\-+?<>~/]*\w|\w)/g;

function keyAt(text, line, ch) {
  const l = text.split(/\r?\n/)[line] ?? '';
  for (const m of l.matchAll(KEY_RE)) if (ch >= m.index && ch <= m.index + m[0].length) return m[1];
  return undefined;
}

function diagnostics(uri) {
  const lines = docs.get(uri).split(/\r?\n/);
  const diags = [];
  lines.forEach((l, i) => {
    for (const m of l.matchAll(KEY_RE)) {
      if (!papers.has(m[1])) diags.push({ range: { start: { line: i, character: m.index }, end: { line: i, character: m.index + m[0].length } }, severity: 1, source: 'papernotes(mock)', message: `Unknown citation key '${m[1]}'` });
    }
  });
  send({ method: 'textDocument/publishDiagnostics', params: { uri, diagnostics: diags } });
}

function handle(msg) {
  const { id, method, params } = msg;
  switch (method) {
    case 'initialize':
      root = params.rootUri ? fileURLToPath(params.rootUri) : process.cwd();
      for (const k of allKeys(root)) papers.set(k, findPaper(root, k));
      send({ id, result: { capabilities: { textDocumentSync: 1, hoverProvider: true, completionProvider: { triggerCharacters: ['@', '['] } }, serverInfo: { name: 'papernotes-mock' } } });
      break;
    case 'initialized':
      send({ method: 'paperNotes/libraryStatus', params: { papers: 0, notes: 0, indexing: true } });
      setTimeout(() => send({ method: 'paperNotes/libraryStatus', params: { papers: papers.size, notes: 2, indexing: false } }), 500);
      break;
    case 'textDocument/didOpen':
      docs.set(params.textDocument.uri, params.textDocument.text);
      diagnostics(params.textDocument.uri);
      break;
    case 'textDocument/didChange':
      docs.set(params.textDocument.uri, params.contentChanges.at(-1).text);
      diagnostics(params.textDocument.uri);
      break;
    case 'textDocument/hover': {
      const key = keyAt(docs.get(params.textDocument.uri) ?? '', params.position.line, params.position.character);
      const p = key && papers.get(key);
      send({ id, result: p ? { contents: { kind: 'markdown', value: `**${p.title}**\n\n${p.abstract}` } } : null });
      break;
    }
    case 'textDocument/completion': {
      const line = (docs.get(params.textDocument.uri) ?? '').split(/\r?\n/)[params.position.line] ?? '';
      const at = line.lastIndexOf('@', params.position.character);
      if (at < 0) { send({ id, result: null }); break; }
      const range = { start: { line: params.position.line, character: at }, end: params.position };
      const items = [...papers].map(([key, p]) => ({ label: key, detail: p?.title, kind: 18, filterText: `@${key} ${p?.title ?? ''}`, textEdit: { range, newText: `@${key}` } }));
      send({ id, result: { isIncomplete: false, items } });
      break;
    }
    case 'shutdown':
      send({ id, result: null });
      break;
    case 'exit':
      process.exit(0);
      break;
    default:
      if (id !== undefined) send({ id, error: { code: -32601, message: `not supported: ${method}` } });
  }
}
