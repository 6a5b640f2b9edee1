#!/usr/bin/env node
// End-to-end test of the Paper Notes extension in real VS Code (code-server), driven through
// Debian's Chromium with playwright-core. Run through tests/e2e/run.sh (which installs the tools).
//
// Steps: build the .vsix (npm ci && npm run package), install it into a fresh extensions dir,
// start code-server on a free port with a copy of examples/ (or tests/e2e/fixture while
// examples/ has no notes), then check from the workbench's DOM that
//   1. hovering a citation shows the paper's abstract,
//   2. typing '@' and a title word offers the paper, and accepting inserts the key,
//   3. broken citations are listed in the Problems panel,
//   4. the status bar shows the library size,
// and also that 5. 'Paper Notes: Import Daily Papers Listing…' writes and opens a CSL-YAML
// library, 5b. a library file written on disk is counted (through the watchers the server registers), 6. without
// dotnet, the user gets a clear message with the next step, and 7. the linux-x64 platform package (self-contained NativeAOT server), installed into a code-server that sees no .NET at all
// (no dotnet on the PATH, no DOTNET_ROOT, and, when root, the .NET install folders hidden in a private mount
// namespace), gives hover and diagnostics with a server process that loads no .NET runtime.
// Before them, infrastructure steps (00-03): workbench loads, extension activates, a note
// opens, the 'Paper Notes' output channel shows. A PNG screenshot is saved for each step. code-server is always killed at the end.
//
// Environment:
//   PAPERNOTES_E2E_CACHE  tools installed by scripts/e2e-setup.sh (default ~/.cache/papernotes-e2e)
//   E2E_SKIP_BUILD=1      use the existing paper-notes.vsix and linux-x64 package instead of building them
//   E2E_NATIVE_VSIX=FILE  the linux-x64 package (default dist/paper-notes-linux-x64-VERSION.vsix)
//   E2E_WORKSPACE=DIR     workspace to copy and open (default examples/, else tests/e2e/fixture)
//   E2E_KEY=KEY           citation key to hover and complete (default understanding2021)
//   E2E_TITLE_WORD=WORD   word typed after '@' (default: a long word of the paper's title)
//   E2E_ONLY=infra        run only the infrastructure steps (no language-server checks)
//   E2E_ARTIFACTS=DIR     screenshots and logs (default tests/e2e/artifacts)
//   E2E_TIMEOUT_MS=N      timeout of each wait in the checks (default 60000)
//   E2E_TOTAL_TIMEOUT_MS=N  the whole run (default 20 minutes)
//   E2E_HEADED=1          show the browser (needs a display)
//   E2E_MOCK_SERVER=1     use tests/e2e/mock-server.mjs instead of the real server (tests the harness)
//   E2E_KEEP=1            keep the temporary workspace and user data dir
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { countPapers, findPaper, listFiles, titleWord, words } from './library.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(here, '..', '..');
const CACHE = process.env.PAPERNOTES_E2E_CACHE || path.join(os.homedir(), '.cache', 'papernotes-e2e');
const ARTIFACTS = path.resolve(process.env.E2E_ARTIFACTS || path.join(here, 'artifacts'));
const KEY = process.env.E2E_KEY || 'understanding2021';
const BROKEN_KEY = 'e2eMissingPaper2099';
const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS || 60_000);
const ONLY_INFRA = process.env.E2E_ONLY === 'infra';
const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
const VSIX = path.join(REPO, 'paper-notes.vsix');
const VERSION = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version;
// The linux-x64 platform package (self-contained server), checked on a machine without .NET in step 7.
const VSIX_NATIVE = path.resolve(process.env.E2E_NATIVE_VSIX || path.join(REPO, 'dist', `paper-notes-linux-x64-${VERSION}.vsix`));
const NO_NATIVE = process.env.E2E_MOCK_SERVER === '1' || process.platform !== 'linux' || process.arch !== 'x64';
const t0 = Date.now();

const results = []; // { name, ok, detail, screenshot }
let codeServer; // child process
let browser;
let tmp;

function log(msg) {
  const s = ((Date.now() - t0) / 1000).toFixed(1).padStart(6);
  console.log(`[e2e ${s}s] ${msg}`);
}

class Failure extends Error {}
function fail(msg) {
  throw new Failure(msg);
}

// ------------------------------------------------------------------------------------------
// Setup helpers

function requireFromCache(name) {
  const req = createRequire(path.join(CACHE, 'playwright', 'package.json'));
  try {
    return req(name);
  } catch (e) {
    fail(`cannot load ${name} from ${CACHE}/playwright (${e.message}): run scripts/e2e-setup.sh first`);
  }
}

function run(cmd, args, opts = {}) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: REPO, stdio: opts.capture ? 'pipe' : 'inherit', encoding: 'utf8', timeout: 15 * 60_000, ...opts });
  if (r.error) fail(`${cmd} could not run (or took over 15 minutes): ${r.error.message}`);
  if (r.status !== 0) {
    fail(`'${cmd} ${args.join(' ')}' exited with ${r.status}${opts.capture ? `:\n${r.stdout}\n${r.stderr}` : ''}`);
  }
  return r;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function httpOk(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode >= 200 && res.statusCode < 400);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => {
      req.destroy();
      resolve(false);
    });
  });
}

async function waitFor(what, fn, timeout = TIMEOUT, interval = 250) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(interval);
  }
  fail(`timed out after ${Math.round(timeout / 1000)}s waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function killCodeServer(cs = codeServer) {
  if (!cs || cs.exitCode !== null || cs.killedByUs) return;
  cs.killedByUs = true;
  try {
    process.kill(-cs.pid, 'SIGTERM'); // the whole process group: extension host and language server too
  } catch {
    try { cs.kill('SIGTERM'); } catch { /* gone */ }
  }
  const pid = cs.pid;
  setTimeout(() => {
    try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
  }, 3000).unref();
}

process.on('exit', () => {
  if (codeServer && codeServer.exitCode === null) {
    try { process.kill(-codeServer.pid, 'SIGKILL'); } catch { /* gone */ }
  }
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    log(`received ${sig}: stopping`);
    killCodeServer();
    process.exit(130);
  });
}

// ------------------------------------------------------------------------------------------
// Workspace

function chooseWorkspace() {
  if (process.env.E2E_WORKSPACE) return path.resolve(process.env.E2E_WORKSPACE);
  if (process.env.E2E_MOCK_SERVER === '1') return path.join(here, 'fixture'); // the mock reads only simple libraries
  const examples = path.join(REPO, 'examples');
  const hasNotes = fs.existsSync(examples) && listFiles(examples, /\.md$/i).length > 0;
  const hasLibrary = fs.existsSync(examples) && listFiles(examples, /\.(bib|bibtex|csl\.json|csl\.ya?ml)$/i).length > 0;
  if (hasNotes && hasLibrary) return examples;
  log('examples/ has no notes or no library yet: using tests/e2e/fixture');
  return path.join(here, 'fixture');
}

function prepareWorkspace(source) {
  const ws = path.join(tmp, path.basename(source));
  fs.cpSync(source, ws, { recursive: true });
  // A note with a citation that is in no library, to type in and to see in the Problems panel.
  const notes = listFiles(ws, /\.md$/i).filter((f) => !/readme\.md$/i.test(f));
  const notesDir = notes.length ? path.dirname(notes[0]) : ws;
  const scratch = path.join(notesDir, 'e2e-scratch.md');
  fs.writeFileSync(scratch, `# E2E scratch note\n\nThis cites a paper that is in no library: [@${BROKEN_KEY}].\n\n`);
  return { ws, scratch };
}

function findCitingNote(ws, key) {
  for (const f of listFiles(ws, /\.md$/i)) {
    if (path.basename(f) === 'e2e-scratch.md') continue;
    const lines = fs.readFileSync(f, 'utf8').split(/\r?\n/);
    const i = lines.findIndex((l) => new RegExp(`@\\{?${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w:.#$%&+?<>~/-]*\\w)`).test(l));
    if (i >= 0) return { file: f, line: i + 1 };
  }
  return undefined;
}

function writeUserSettings(userDataDir) {
  const settings = {
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.disableAIFeatures': true,
    'chat.commandCenter.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'git.enabled': false,
    'editor.hover.delay': 200,
    'editor.hover.sticky': true,
    'editor.acceptSuggestionOnEnter': 'on',
    'editor.suggest.showStatusBar': false,
    'editor.minimap.enabled': false,
    'files.autoSave': 'off',
    'window.restoreWindows': 'none',
    'paperNotes.trace.server': 'messages',
  };
  if (process.env.E2E_MOCK_SERVER === '1') settings['paperNotes.server.path'] = path.join(here, 'mock-server.mjs');
  const dir = path.join(userDataDir, 'User');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
  // code-server reads machine-scoped settings (paperNotes.server.path) from the remote's Machine settings.
  const machine = path.join(userDataDir, 'Machine');
  fs.mkdirSync(machine, { recursive: true });
  fs.writeFileSync(path.join(machine, 'settings.json'), JSON.stringify(settings, null, 2));
}

// ------------------------------------------------------------------------------------------
// Workbench helpers (Playwright page)

async function shot(page, name) {
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file }).catch((e) => log(`screenshot ${name} failed: ${e.message}`));
  log(`screenshot: ${file}`);
  return file;
}

async function statusTexts(page) {
  return page.$$eval('.statusbar-item', (els) => els.map((e) => (e.textContent || '').trim()).filter(Boolean));
}

async function notifications(page) {
  return page
    .$$eval('.notifications-toasts .monaco-list-row, .notifications-center .monaco-list-row', (els) =>
      els.map((e) => (e.getAttribute('aria-label') || e.textContent || '').replace(/\s+/g, ' ').trim()))
    .catch(() => []);
}

async function closeQuickInput(page) {
  if (await page.$('.quick-input-widget:not([style*="display: none"])')) await page.keyboard.press('Escape');
}

async function runCommand(page, label) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = await page.waitForSelector('.quick-input-widget .quick-input-box input', { state: 'visible', timeout: 15_000 });
  await input.fill(`>${label}`);
  await waitFor(`command '${label}' in the command palette`, async () => {
    const rows = await page.$$eval('.quick-input-widget .monaco-list-row', (els) => els.map((e) => e.textContent || ''));
    return rows.some((r) => r.includes(label));
  }, 15_000);
  // Pick the row that contains the label (the first row may be a recently used command).
  const rows = await page.$$('.quick-input-widget .monaco-list-row');
  for (const row of rows) {
    if (((await row.textContent()) || '').includes(label)) {
      await row.click();
      return;
    }
  }
  await page.keyboard.press('Enter');
}

async function openFile(page, ws, file) {
  const rel = path.relative(ws, file);
  const name = path.basename(file);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  const input = await page.waitForSelector('.quick-input-widget .quick-input-box input', { state: 'visible', timeout: 15_000 });
  await input.fill(rel);
  await waitFor(`'${rel}' in Quick Open`, async () => {
    const rows = await page.$$eval('.quick-input-widget .monaco-list-row', (els) => els.map((e) => e.getAttribute('aria-label') || e.textContent || ''));
    return rows.some((r) => r.includes(name));
  }, 30_000);
  await page.keyboard.press('Enter');
  await waitFor(`the editor tab of ${name}`, async () => {
    const active = await page.$('.tabs-container .tab.active');
    return active && ((await active.getAttribute('aria-label')) || (await active.textContent()) || '').includes(name);
  }, 30_000);
  await page.waitForSelector('.editor-group-container.active .monaco-editor .view-lines', { timeout: 15_000 });
}

async function goToLine(page, line) {
  await page.keyboard.press('Control+G');
  const input = await page.waitForSelector('.quick-input-widget .quick-input-box input', { state: 'visible', timeout: 15_000 });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await sleep(300);
}

/** Screen rectangle of `text` in the visible lines of the active editor. */
async function textRect(page, text) {
  return page.evaluate((needle) => {
    const root = document.querySelector('.editor-group-container.active .monaco-editor .view-lines');
    if (!root) return null;
    // Monaco splits a line into spans; join each line's text nodes and search there.
    for (const line of root.querySelectorAll('.view-line')) {
      const nodes = [];
      const w = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      let n;
      let all = '';
      while ((n = w.nextNode())) {
        nodes.push({ node: n, start: all.length });
        all += n.nodeValue;
      }
      const at = all.replace(/\u00a0/g, ' ').indexOf(needle);
      if (at < 0) continue;
      const mid = at + Math.floor(needle.length / 2);
      const hit = nodes.filter((x) => x.start <= mid).pop();
      const range = document.createRange();
      const off = mid - hit.start;
      range.setStart(hit.node, off);
      range.setEnd(hit.node, Math.min(off + 1, hit.node.nodeValue.length));
      const r = range.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    }
    return null;
  }, text);
}

async function editorLines(page) {
  return page.$$eval('.editor-group-container.active .monaco-editor .view-lines .view-line', (els) =>
    els.map((e) => (e.textContent || '').replace(/\u00a0/g, ' ')));
}

async function logsText() {
  // VS Code writes every output channel to a file under the user data dir's logs.
  const dir = path.join(tmp, 'user-data', 'logs');
  if (!fs.existsSync(dir)) return { output: '', exthost: '' };
  const files = listFiles(dir, /\.log$/);
  const output = files.filter((f) => /Paper Notes\.log$/.test(f)).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
  const exthost = files.filter((f) => /exthost\.log$/.test(f)).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
  return { output, exthost };
}

// ------------------------------------------------------------------------------------------
// Steps and checks

/** 1. Hovering a citation shows the paper's abstract (retried while the server indexes). */
async function checkHover(page, ws, citing, paper) {
  if (!citing) fail(`no note in ${path.basename(ws)} cites @${KEY}`);
  if (!paper?.abstract) fail(`could not read the abstract of ${KEY} from the library files (set E2E_KEY to a paper with an abstract)`);
  await openFile(page, ws, citing.file);
  await goToLine(page, citing.line);
  const expected = words(paper.abstract).slice(0, 8);
  let hoverText = '';
  const deadline = Date.now() + TIMEOUT;
  while (Date.now() < deadline) {
    const rect = await textRect(page, KEY);
    if (!rect) fail(`@${KEY} is not visible in the editor of ${path.basename(citing.file)} (line ${citing.line})`);
    await page.mouse.move(rect.x - 40, rect.y + 60);
    await sleep(100);
    await page.mouse.move(rect.x, rect.y);
    try {
      await page.waitForSelector('.monaco-hover:not(.hidden) .hover-contents, .monaco-hover:not(.hidden) .rendered-markdown', { state: 'visible', timeout: 5000 });
      await sleep(500);
      hoverText = await page.$$eval('.monaco-hover:not(.hidden)', (els) => els.map((e) => e.textContent || '').join('\n'));
      if (words(hoverText).join(' ').includes(expected.join(' '))) {
        return `hover shows "${hoverText.replace(/\s+/g, ' ').slice(0, 160)}…"`;
      }
    } catch { /* no hover yet: the server may still be indexing */ }
    await sleep(1500);
  }
  fail(`the hover over @${KEY} did not show its abstract (expected it to contain "${expected.join(' ')}"); hover text: "${hoverText.replace(/\s+/g, ' ').slice(0, 400) || '(no hover)'}"`);
}

/** 3. The broken citation of the scratch note is in the Problems panel. */
async function checkProblems(page) {
  await page.keyboard.press('Control+Shift+M');
  let panel = await page.waitForSelector('.markers-panel', { state: 'visible', timeout: 5000 }).catch(() => null);
  if (!panel) {
    await runCommand(page, 'View: Focus Problems');
    panel = await page.waitForSelector('.markers-panel', { state: 'visible', timeout: 15_000 });
  }
  const rows = await waitFor(`a problem about [@${BROKEN_KEY}] in the Problems panel`, async () => {
    const r = await page.$$eval('.markers-panel .monaco-list-row', (els) => els.map((e) => (e.getAttribute('aria-label') || e.textContent || '').replace(/\s+/g, ' ')));
    const fileRow = r.some((t) => t.includes('e2e-scratch.md'));
    const marker = r.find((t) => t.includes(BROKEN_KEY) && !/^e2e-scratch\.md/.test(t));
    return fileRow && marker ? r : undefined;
  }, TIMEOUT).catch(async (e) => {
    const r = await page.$$eval('.markers-panel .monaco-list-row', (els) => els.map((x) => (x.getAttribute('aria-label') || x.textContent || '').replace(/\s+/g, ' '))).catch(() => []);
    fail(`${e.message}; the panel lists: ${r.slice(0, 10).map((t) => `"${t.slice(0, 100)}"`).join(', ') || '(nothing)'}`);
  });
  return `${rows.length} rows; e.g. ${rows.filter((t) => t.includes(BROKEN_KEY)).slice(0, 2).map((t) => `"${t.slice(0, 120)}"`).join(', ')}`;
}


async function step(name, fn, page) {
  log(`--- ${name}`);
  const started = Date.now();
  try {
    const detail = await fn();
    const screenshot = page ? await shot(page, name) : undefined;
    results.push({ name, ok: true, detail, screenshot });
    log(`PASS ${name} (${((Date.now() - started) / 1000).toFixed(1)}s)${detail ? `: ${detail}` : ''}`);
    return true;
  } catch (e) {
    const screenshot = page ? await shot(page, name) : undefined;
    const detail = e instanceof Failure ? e.message : e.stack || String(e);
    results.push({ name, ok: false, detail, screenshot });
    log(`FAIL ${name}: ${detail}`);
    return false;
  }
}

async function main() {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  for (const f of fs.readdirSync(ARTIFACTS)) if (/\.(png|log|txt)$/.test(f)) fs.rmSync(path.join(ARTIFACTS, f));
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'papernotes-e2e-'));
  const codeServerBin = path.join(CACHE, 'bin', 'code-server');
  if (!fs.existsSync(codeServerBin)) fail(`${codeServerBin} not found: run scripts/e2e-setup.sh first`);
  if (!fs.existsSync(CHROMIUM)) fail(`${CHROMIUM} not found: run scripts/e2e-setup.sh first (Debian package chromium)`);
  const { chromium } = requireFromCache('playwright-core');

  // 1. Build the .vsix.
  if (process.env.E2E_SKIP_BUILD === '1') {
    log('E2E_SKIP_BUILD=1: using the existing .vsix');
  } else {
    run('npm', ['ci', '--no-audit', '--no-fund']);
    run('npm', ['run', 'package']);
    if (!NO_NATIVE) run('bash', ['scripts/package-vsix.sh', '--out', VSIX_NATIVE, 'linux-x64']);
  }
  if (!NO_NATIVE && !fs.existsSync(VSIX_NATIVE)) fail(`${VSIX_NATIVE} was not built (scripts/package-vsix.sh linux-x64)`);
  const vsixes = fs.readdirSync(REPO).filter((f) => f.endsWith('.vsix'));
  if (!fs.existsSync(VSIX)) fail(`${VSIX} was not built (found: ${vsixes.join(', ') || 'no .vsix'})`);
  if (vsixes.length !== 1) log(`warning: ${vsixes.length} .vsix files in the repo root: ${vsixes.join(', ')}`);

  // 2. Install it into a fresh extensions dir.
  const userDataDir = path.join(tmp, 'user-data');
  const extensionsDir = path.join(tmp, 'extensions');
  writeUserSettings(userDataDir);
  const csArgs = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  const inst = run(codeServerBin, [...csArgs, '--install-extension', VSIX], { capture: true });
  const installed = fs.existsSync(extensionsDir) ? fs.readdirSync(extensionsDir).filter((d) => d.startsWith('papernotes.paper-notes')) : [];
  if (installed.length !== 1) fail(`the extension is not in ${extensionsDir} after --install-extension:\n${inst.stdout}\n${inst.stderr}`);
  log(`installed ${installed[0]}`);

  // 3. Workspace and code-server.
  const source = chooseWorkspace();
  const { ws, scratch } = prepareWorkspace(source);
  log(`workspace: copy of ${path.relative(REPO, source) || source} in ${ws}`);
  const startCodeServer = async (name, extraEnv = {}, { dirs = csArgs, env = process.env, wrap = [] } = {}) => {
    const port = await freePort();
    const csLog = path.join(ARTIFACTS, `${name}.log`);
    const out = fs.openSync(csLog, 'w');
    const args = [...dirs, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
      '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened', ws];
    const cs = spawn(
      wrap.length ? wrap[0] : codeServerBin,
      wrap.length ? [...wrap.slice(1), codeServerBin, ...args] : args,
      { cwd: tmp, detached: true, stdio: ['ignore', out, out], env: { ...env, SHELL: '/bin/bash', ...extraEnv } },
    );
    fs.closeSync(out);
    codeServer = cs;
    cs.on('exit', (code, signal) => {
      if (!cs.killedByUs) log(`code-server exited unexpectedly (code ${code}, signal ${signal}): see ${csLog}`);
    });
    log(`code-server pid ${cs.pid} on http://127.0.0.1:${port} (log: ${csLog})`);
    await waitFor('code-server to answer /healthz', async () => {
      if (cs.exitCode !== null) fail(`code-server exited with ${cs.exitCode}: ${fs.readFileSync(csLog, 'utf8').slice(-2000)}`);
      return httpOk(`http://127.0.0.1:${port}/healthz`);
    }, 90_000, 500);
    return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`;
  };
  const url = await startCodeServer('code-server');

  // 4. Chromium.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: process.env.E2E_HEADED !== '1',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => log(`page error: ${e.message}`));
  await page.goto(url, { timeout: TIMEOUT });

  const paper = findPaper(ws, KEY);
  if (paper) log(`paper ${KEY}: "${paper.title}" in ${path.relative(ws, paper.file)}`);
  else log(`warning: ${KEY} not found in the workspace's library files`);
  const citing = findCitingNote(ws, KEY);

  // ---------------- infrastructure
  const workbenchOk = await step('00-workbench', async () => {
    await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: TIMEOUT });
    await page.waitForSelector('.explorer-folders-view, .explorer-viewlet, .part.sidebar', { timeout: TIMEOUT });
    return `VS Code workbench loaded (${await page.title()})`;
  }, page);
  if (!workbenchOk) return;

  let activated = false;
  await step('01-activation', async () => {
    const text = await waitFor('the Paper Notes status bar item (extension activation)', async () => {
      const items = await statusTexts(page);
      return items.find((t) => /Paper Notes|\bpapers?\b|Indexing/.test(t));
    }, TIMEOUT);
    activated = true;
    const { output } = await logsText();
    const errors = output.split('\n').filter((l) => /ERROR/.test(l));
    return `status bar: "${text}"${errors.length ? `; output errors: ${errors.join(' | ')}` : ''}`;
  }, page);

  await step('02-open-note', async () => {
    const target = citing ? citing.file : scratch;
    await openFile(page, ws, target);
    const lines = await editorLines(page);
    if (!lines.some((l) => l.trim())) fail(`${path.basename(target)} opened, but its editor shows no text`);
    return `${path.relative(ws, target)} open, first line "${lines.find((l) => l.trim())}"`;
  }, page);

  await step('03-output', async () => {
    await runCommand(page, 'Paper Notes: Show Output');
    await waitFor("the 'Paper Notes' output channel in the panel", async () => {
      const panel = await page.$('.part.panel');
      if (!panel || !(await panel.isVisible())) return false;
      const selected = await page.$$eval('.part.panel select, .part.panel .monaco-select-box', (els) =>
        els.map((e) => (e.tagName === 'SELECT' ? e.options[e.selectedIndex]?.text : e.getAttribute('title') || e.textContent) || ''));
      const lines = await page.$$eval('.part.panel .monaco-editor .view-line', (els) => els.length);
      return selected.some((t) => t.includes('Paper Notes')) && lines > 0;
    }, 15_000);
    // The panel shows the end of the channel; VS Code also writes it to a log file: read all of it there.
    const { output } = await waitFor("'activated' in the Paper Notes output log", async () => {
      const l = await logsText();
      return /activated/.test(l.output) ? l : undefined;
    }, 15_000);
    const shown = output.split('\n').filter((l) => /ERROR|Starting the server|Server started/.test(l));
    const toasts = await notifications(page);
    return [...shown, ...toasts.map((t) => `notification: ${t}`)].join(' | ').slice(0, 800);
  }, page);
  await page.click('.part.panel [aria-label^="Hide Panel"], .part.panel [aria-label^="Close Panel"], .part.panel .codicon-panel-close', { timeout: 5000 })
    .catch(() => page.keyboard.press('Control+J'));
  await page.keyboard.press('Escape');

  if (ONLY_INFRA) return;
  if (!activated) {
    log('the extension did not activate: skipping the language-server checks');
    for (const n of ['1-hover', '1b-inlay-hint', '1c-code-lens', '2-completion', '3-problems', '4-status-bar']) results.push({ name: n, ok: false, detail: 'skipped: the extension did not activate' });
    return;
  }

  // ---------------- 1. hover
  await step('1-hover', () => checkHover(page, ws, citing, paper), page);
  await page.mouse.move(5, 5);
  await page.keyboard.press('Escape');

  // ---------------- 1b. inlay hint: the paper's author/year and title right after the citation
  await step('1b-inlay-hint', async () => {
    if (!citing || !paper?.title) fail(`no note cites @${KEY} or its title is unknown`);
    await openFile(page, ws, citing.file);
    await goToLine(page, citing.line);
    const titleStart = paper.title.split(/\s+/)[0];
    const line = await waitFor(`an inlay hint with "${titleStart}" after @${KEY}`, async () => {
      const lines = await editorLines(page);
      return lines.find((l) => l.includes(`@${KEY}`) && l.includes('·') && l.includes(titleStart));
    }, TIMEOUT).catch(async (e) => fail(`${e.message}; lines: ${(await editorLines(page)).filter((l) => l.includes(KEY)).map((l) => `"${l.slice(0, 160)}"`).join(', ')}`));
    return `line reads "${line.trim().slice(0, 200)}"`;
  }, page);

  // ---------------- 1c. code lens: "cited in N notes" over the library entry; clicking shows the citing places
  await step('1c-code-lens', async () => {
    if (!paper?.file) fail(`the library file defining ${KEY} is unknown`);
    await openFile(page, ws, paper.file);
    const text = fs.readFileSync(paper.file, 'utf8').split(/\r?\n/);
    const keyLine = text.findIndex((l) => l.includes(KEY)) + 1;
    await goToLine(page, keyLine);
    const lens = await waitFor('a "cited in N notes" code lens', async () => {
      const lenses = await page.$$eval('.editor-group-container.active .codelens-decoration', (els) => els.map((e) => e.textContent || ''));
      return lenses.find((t) => /cited in \d+ notes?/.test(t));
    }, TIMEOUT).catch(async (e) => fail(`${e.message}; lenses: ${(await page.$$eval('.codelens-decoration', (els) => els.map((x) => x.textContent))).slice(0, 5).join(', ') || '(none)'}`));
    // A lens the server refreshes (codeLens/refresh after a change) is drawn again, and a click that lands on the one
    // going away does nothing: click the current one again until the peek view opens.
    const link = `.editor-group-container.active .codelens-decoration a:has-text("${lens.match(/cited in \d+ notes?/)[0]}")`;
    let clicked = 0;
    const peek = await waitFor('the references peek view', async () => {
      const rows = await page.$$eval('.reference-zone-widget .monaco-list-row', (els) => els.map((e) => e.getAttribute('aria-label') || e.textContent || ''));
      if (rows.length) return rows;
      if (clicked++ % 20 === 0) await page.click(link, { timeout: 5_000 }); // every 5 s (20 polls of 250 ms)
      return undefined;
    }, TIMEOUT);
    await shot(page, '1c-code-lens-references');
    await page.keyboard.press('Escape');
    return `lens "${lens.trim()}"; references view: ${peek.slice(0, 3).map((r) => `"${r.slice(0, 80)}"`).join(', ')}`;
  }, page);
  await page.keyboard.press('Escape');

  // ---------------- 2. completion
  await step('2-completion', async () => {
    const word = process.env.E2E_TITLE_WORD || (paper && titleWord(paper.title, KEY));
    if (!word) fail(`no title word to type for ${KEY} (set E2E_TITLE_WORD)`);
    await openFile(page, ws, scratch);
    await page.keyboard.press('Control+End');
    await page.keyboard.type('See @', { delay: 50 });
    await sleep(300);
    await page.keyboard.type(word, { delay: 60 });
    const rowSel = '.editor-widget.suggest-widget.visible .monaco-list-row';
    let rows;
    try {
      rows = await waitFor('the suggest widget', async () => {
        const r = await page.$$eval(rowSel, (els) => els.map((e) => e.getAttribute('aria-label') || e.textContent || ''));
        return r.length ? r : undefined;
      }, 10_000);
    } catch {
      await page.keyboard.press('Control+Space'); // not triggered by typing: ask explicitly
      rows = await waitFor(`completion items after typing "@${word}"`, async () => {
        const r = await page.$$eval(rowSel, (els) => els.map((e) => e.getAttribute('aria-label') || e.textContent || ''));
        return r.length ? r : undefined;
      });
    }
    // Wait for the list to settle (the server may answer after the word-based suggestions).
    const keyRow = await waitFor(`a completion item for ${KEY} after typing "@${word}"`, async () => {
      const r = await page.$$eval(rowSel, (els) => els.map((e) => e.getAttribute('aria-label') || e.textContent || ''));
      rows = r;
      return r.find((t) => t.includes(KEY)) || (r.length && paper && r.find((t) => t.includes(paper.title)));
    }, TIMEOUT).catch(() => fail(`no completion item for ${KEY} after typing "@${word}"; offered: ${rows.slice(0, 8).map((r) => `"${r.slice(0, 80)}"`).join(', ')}`));
    await shot(page, '2-completion-list');
    // Move the focus to that item and accept it.
    for (let i = 0; i < 60; i++) {
      const focused = await page.$eval(`${rowSel}.focused`, (e) => e.getAttribute('aria-label') || e.textContent || '').catch(() => '');
      if (focused.includes(KEY) || (paper && focused.includes(paper.title))) break;
      await page.keyboard.press('ArrowDown');
      await sleep(50);
    }
    await page.keyboard.press('Enter');
    await sleep(500);
    const lines = await editorLines(page);
    const line = lines.find((l) => l.includes('See @'));
    if (!line || !line.includes(`@${KEY}`)) {
      fail(`accepting "${keyRow.slice(0, 80)}" did not insert @${KEY}; the line reads "${line ?? '(not visible)'}"`);
    }
    return `typed "@${word}", accepted "${keyRow.replace(/\s+/g, ' ').slice(0, 80)}", line now "${line.trim()}"`;
  }, page);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+S'); // keep the scratch note consistent on disk

  // ---------------- 3. problems
  await step('3-problems', () => checkProblems(page), page);

  // ---------------- 4. status bar
  await step('4-status-bar', async () => {
    const expectedCount = countPapers(ws);
    const text = await waitFor('"N papers" in the status bar', async () => {
      const items = await statusTexts(page);
      return items.find((t) => /\b\d+\s+papers?\b/.test(t));
    }, TIMEOUT).catch(async (e) => fail(`${e.message}; status bar items: ${(await statusTexts(page)).map((t) => `"${t}"`).join(', ')}`));
    const n = Number(/(\d+)\s+papers?/.exec(text)[1]);
    if (n === 0) fail(`the status bar says "${text}" but the workspace has about ${expectedCount} papers`);
    return `status bar: "${text}" (library files hold about ${expectedCount} entries)`;
  }, page);

  // ---------------- 4b. Markdown preview: formatted citations (citeproc-js, APA) and a References list
  if (process.env.E2E_MOCK_SERVER !== '1') await step('4b-preview', async () => {
    const note = path.join(path.dirname(scratch), 'e2e-preview.md');
    fs.writeFileSync(note, `# Citations in the preview\n\n@${KEY} explains why [see @chen2020simple, p. 3; @${BROKEN_KEY}].\n\n` +
      '# References\n\n::: {#refs}\n:::\n');
    await openFile(page, ws, note);
    await runCommand(page, 'Markdown: Open Preview to the Side');
    // The preview is a webview: an iframe in an iframe. Its citations are pending until the server's items arrive and
    // the extension refreshes the preview.
    const seen = await waitFor('formatted citations and a References list in the preview', async () => {
      for (const frame of page.frames()) {
        const found = await frame.evaluate(() => {
          const cites = [...document.querySelectorAll('.pn-cite:not(.pn-cite-pending)')];
          const entries = [...document.querySelectorAll('#refs .csl-bib-body .csl-entry')];
          if (cites.length < 2 || entries.length < 2) return undefined;
          return { cites: cites.map((c) => ({ text: c.textContent, title: c.getAttribute('title') })), entries: entries.map((e) => e.textContent) };
        }).catch(() => undefined);
        if (found) return { ...found, frame };
      }
      return undefined;
    }, TIMEOUT);
    // The workbench screenshot may not paint the webview: the preview's own page too.
    await seen.frame.locator('body').screenshot({ path: path.join(ARTIFACTS, '4b-preview-webview.png') }).catch((e) => log(`webview screenshot: ${e.message}`));
    const [inText, bracketed] = seen.cites;
    if (!/^\S.* \(\d{4}\)$/.test(inText.text.trim())) fail(`the in-text citation reads "${inText.text}", not "Author (year)"`);
    if (!/^\(see .*\d{4}, p\. 3\)/.test(bracketed.text.trim())) fail(`the bracketed citation reads "${bracketed.text}"`);
    if (!bracketed.text.includes(`(@${BROKEN_KEY}?)`)) fail(`the unknown key is not shown as (@${BROKEN_KEY}?): "${bracketed.text}"`);
    if (!inText.title) fail('the in-text citation has no title (mouse-over)');
    return `"${inText.text}" [title "${inText.title}"], "${bracketed.text}"; References: ${seen.entries.map((e) => `"${e.trim().slice(0, 70)}"`).join(', ')}`;
  }, page);
  // Back to one editor group: the next steps look for "the" active tab.
  if (process.env.E2E_MOCK_SERVER !== '1') await runCommand(page, 'View: Close All Editor Groups').catch((e) => log(`closing the preview: ${e.message}`));

  // ---------------- 4c. A note citing 60 papers: its citations first, then the References list in a second render
  if (process.env.E2E_MOCK_SERVER !== '1') await step('4c-preview-many', async () => {
    const count = 60;
    const library = path.join(ws, 'library', 'e2e-many.bib');
    fs.writeFileSync(library, Array.from({ length: count }, (_, i) =>
      `@article{many${i}, title = {Study number ${i} of many}, author = {Writer${String.fromCharCode(65 + (i % 26))}, Ann}, journal = {J}, year = ${1990 + (i % 30)}}\n`).join(''));
    const note = path.join(path.dirname(scratch), 'e2e-preview-many.md');
    fs.writeFileSync(note, `# Many\n\n${Array.from({ length: count }, (_, i) => `[@many${i}]`).join(' ')}\n`);
    await openFile(page, ws, note);
    await runCommand(page, 'Markdown: Open Preview to the Side');
    // The library is new to the server (its watcher reloads it); the References list comes in the second render.
    const seen = await waitFor(`${count} formatted citations and ${count} references in the preview`, async () => {
      for (const frame of page.frames()) {
        const found = await frame.evaluate((n) => {
          const cites = [...document.querySelectorAll('.pn-cite:not(.pn-cite-pending)')];
          const entries = [...document.querySelectorAll('.csl-bib-body .csl-entry')];
          if (cites.length < n || entries.length < n) return undefined;
          return { cites: cites.length, unknown: cites.filter((c) => c.textContent.includes('?)')).length, entries: entries.length,
            pending: document.querySelectorAll('.pn-references-pending').length, first: entries[0].textContent };
        }, count).catch(() => undefined);
        if (found) return found;
      }
      return undefined;
    }, TIMEOUT);
    if (seen.unknown > 0) fail(`${seen.unknown} of the ${count} citations render as unknown keys`);
    if (seen.pending > 0) fail('the References list is complete but "Formatting the references…" is still shown');
    if (seen.entries !== count) fail(`${seen.entries} references for ${count} cited papers`);
    // The second formatting thread (parallel.ts) builds its engine after the first long note: a note cited anew
    // after that is split over both threads, in the extension host as it is (Atomics.wait, the worker's bundle).
    let round = 0;
    const split = await waitFor('a long note formatted on two threads (the Paper Notes output log)', async () => {
      const { output } = await logsText();
      const line = output.split('\n').find((l) => l.includes('formatted on two threads'));
      if (line) return line;
      if (/second formatting thread is off|formatting on one thread/.test(output)) fail(`the second thread failed: ${output.split('\n').filter((l) => /thread/.test(l)).join(' | ')}`);
      round++;
      fs.writeFileSync(note, `# Many, take ${round}\n\n${Array.from({ length: count }, (_, i) => `[@many${(i + round) % count}]`).join(' ')}\n`);
      return undefined;
    }, TIMEOUT, 2000);
    const after = await waitFor(`the split note's ${count} citations and references in the preview`, async () => {
      for (const frame of page.frames()) {
        const found = await frame.evaluate((n) => {
          const title = document.querySelector('h1')?.textContent ?? '';
          const cites = document.querySelectorAll('.pn-cite:not(.pn-cite-pending)').length;
          const entries = document.querySelectorAll('.csl-bib-body .csl-entry').length;
          return /take/.test(title) && cites >= n && entries >= n ? { cites, entries } : undefined;
        }, count).catch(() => undefined);
        if (found) return found;
      }
      return undefined;
    }, TIMEOUT);
    if (after.entries !== count) fail(`${after.entries} references for ${count} cited papers after the split`);
    return `${seen.cites} citations, ${seen.entries} references (first: "${seen.first.trim().slice(0, 60)}"); then ${split.trim().replace(/^.*Preview: /, '')}`;
  }, page);
  if (process.env.E2E_MOCK_SERVER !== '1') {
    await runCommand(page, 'View: Close All Editor Groups').catch((e) => log(`closing the preview: ${e.message}`));
    // The later steps see the workspace as it was.
    for (const file of [path.join(ws, 'library', 'e2e-many.bib'), path.join(path.dirname(scratch), 'e2e-preview-many.md')]) fs.rmSync(file, { force: true });
  }

  // ---------------- 5. import a Daily Papers listing (the command, the server's CLI, the file watcher)
  if (process.env.E2E_MOCK_SERVER !== '1') await step('5-import', async () => {
    const input = path.join(ws, 'daily-papers.txt');
    fs.copyFileSync(path.join(here, 'data', 'daily-papers.txt'), input);
    const output = path.join(ws, 'daily-papers.csl.yaml');
    const countNow = async () => {
      const t = (await statusTexts(page)).find((x) => /\b\d+\s+papers?\b/.test(x));
      return t ? Number(/(\d+)\s+papers?/.exec(t)[1]) : undefined;
    };
    // Step 4c has just deleted its 60-entry library: the count read now could still include it (it did: 112, and the
    // import's +2 then never showed against it). First let the count settle to the libraries as they are on disk.
    const onDisk = countPapers(ws);
    const before = await waitFor(`the status bar to count the ${onDisk} library entries on disk`, async () => {
      const n = await countNow();
      return n === onDisk ? n : undefined;
    }, 20_000).catch(() => countNow());
    await page.keyboard.press('Escape');
    await runCommand(page, 'Paper Notes: Import Daily Papers Listing');
    // code-server's own (simple) file dialogs: a path in a quick input.
    const openBox = await page.waitForSelector('.quick-input-widget .quick-input-box input', { state: 'visible', timeout: 15_000 });
    await sleep(500);
    await openBox.fill(input);
    await sleep(500);
    await page.keyboard.press('Enter');
    await waitFor('the save dialog proposing daily-papers.csl.yaml', async () => {
      const v = await page.$eval('.quick-input-widget .quick-input-box input', (e) => e.value).catch(() => '');
      return v.endsWith('daily-papers.csl.yaml');
    }, 15_000);
    await sleep(500);
    await page.keyboard.press('Enter');
    await waitFor('the imported library to open in an editor', async () => {
      const active = await page.$('.tabs-container .tab.active');
      return active && ((await active.getAttribute('aria-label')) || '').includes('daily-papers.csl.yaml');
    }, 30_000).catch(async (e) => fail(`${e.message}; notifications: ${(await notifications(page)).join(' | ') || '(none)'}`));
    if (!fs.existsSync(output)) fail(`${output} was not written`);
    const ids = [...fs.readFileSync(output, 'utf8').matchAll(/^\s*-\s+id\s*:\s*(\S+)/gm)].map((m) => m[1]);
    if (ids.length !== 2) fail(`expected 2 papers in ${path.basename(output)}, found ${ids.length}`);
    // The library watcher reports the new file to the server; a server that re-indexes then
    // sends paperNotes/libraryStatus again. Not one of the required checks: a note only.
    let note = '';
    if (before !== undefined) {
      const after = await waitFor('the status bar count to grow', async () => {
        const n = await countNow();
        return n !== undefined && n >= before + 2 ? n : undefined;
      }, 20_000).catch(() => undefined);
      note = after !== undefined
        ? `; status bar ${before} -> ${after} papers`
        : `; note: the status bar went from ${before} to ${await countNow()} papers, not up by the 2 imported`;
    }
    return `imported ${ids.join(', ')} into ${path.basename(output)} and opened it${note}`;
  }, page);

  // ---------------- 5b. a library file written on disk (never opened): the server's own watchers, which it
  // registers with the client (workspace/didChangeWatchedFiles), report it; the extension watches nothing itself.
  if (process.env.E2E_MOCK_SERVER !== '1') await step('5b-disk-change', async () => {
    const countNow = async () => {
      const t = (await statusTexts(page)).find((x) => /\b\d+\s+papers?\b/.test(x));
      return t ? Number(/(\d+)\s+papers?/.exec(t)[1]) : undefined;
    };
    const before = await waitFor('a paper count in the status bar', countNow, 20_000);
    const file = path.join(ws, 'e2e-disk-change.bib');
    fs.writeFileSync(file, '@article{e2eDiskChange2099,\n  title = {Written on Disk},\n  author = {Watcher, Wanda},\n  year = {2099}\n}\n');
    const after = await waitFor(`the status bar to count ${path.basename(file)} (${before} + 1 papers)`, async () => {
      const n = await countNow();
      return n !== undefined && n >= before + 1 ? n : undefined;
    }, 30_000);
    return `wrote ${path.basename(file)} on disk: status bar ${before} -> ${after} papers`;
  }, page);

  // ---------------- 6. no dotnet: a clear message with the next step
  if (process.env.E2E_MOCK_SERVER === '1') return; // the mock needs no dotnet
  await page.close().catch(() => undefined);
  const first = codeServer;
  killCodeServer(first);
  await Promise.race([new Promise((r) => (first.exitCode !== null ? r() : first.once('exit', r))), sleep(5000)]);
  const url2 = await startCodeServer('code-server-no-dotnet', { PAPERNOTES_DOTNET: path.join(tmp, 'no-such-dir', 'dotnet') });
  const page2 = await context.newPage();
  await page2.goto(url2, { timeout: TIMEOUT });
  await step('6-no-dotnet', async () => {
    await page2.waitForSelector('.monaco-workbench .part.statusbar', { timeout: TIMEOUT });
    const message = await waitFor('the ".NET runtime" error notification', async () => {
      const texts = await notifications(page2);
      return texts.find((t) => /needs the \.NET \d+ runtime/.test(t));
    }, TIMEOUT).catch(async (e) => fail(`${e.message}; notifications: ${(await notifications(page2)).join(' | ') || '(none)'}`));
    if (!/dot\.net/.test(message) || !/Restart Server/.test(message)) fail(`the message lacks the next step: "${message}"`);
    const status = (await statusTexts(page2)).find((t) => /Paper Notes/.test(t));
    return `notification: "${message.replace(/\s+/g, ' ').slice(0, 200)}"; status bar: "${status}"`;
  }, page2);

  // ---------------- 7. the linux-x64 package on a machine without .NET: hover and diagnostics
  if (NO_NATIVE) return;
  await page2.close().catch(() => undefined);
  const second = codeServer;
  killCodeServer(second);
  await Promise.race([new Promise((r) => (second.exitCode !== null ? r() : second.once('exit', r))), sleep(5000)]);
  const nativeUserData = path.join(tmp, 'user-data-native');
  const nativeExtensions = path.join(tmp, 'extensions-native');
  writeUserSettings(nativeUserData);
  const nativeDirs = ['--user-data-dir', nativeUserData, '--extensions-dir', nativeExtensions];
  const noDotnet = withoutDotnet();
  const installedNative = run(codeServerBin, [...nativeDirs, '--install-extension', VSIX_NATIVE], { capture: true, env: noDotnet.env });
  const nativeDir = (fs.existsSync(nativeExtensions) ? fs.readdirSync(nativeExtensions) : []).find((d) => d.startsWith('papernotes.paper-notes'));
  if (!nativeDir) fail(`the linux-x64 package is not in ${nativeExtensions} after --install-extension:\n${installedNative.stdout}\n${installedNative.stderr}`);
  const nativeServer = path.join(nativeExtensions, nativeDir, 'client-vscode', 'server', 'papernotes');
  log(`installed ${nativeDir}; .NET hidden by: ${noDotnet.how}`);
  const url3 = await startCodeServer('code-server-native', {}, { dirs: nativeDirs, env: noDotnet.env, wrap: noDotnet.wrap });
  const page3 = await context.newPage();
  page3.on('pageerror', (e) => log(`page error: ${e.message}`));
  await page3.goto(url3, { timeout: TIMEOUT });
  await page3.waitForSelector('.monaco-workbench .part.statusbar', { timeout: TIMEOUT }).catch(() => undefined);
  await step('7-native-hover', async () => {
    const hover = await checkHover(page3, ws, citing, paper);
    const pid = serverPid(nativeServer);
    if (!pid) fail(`no running process of ${nativeServer}: the extension did not start the bundled server`);
    const maps = fs.readFileSync(`/proc/${pid}/maps`, 'utf8');
    const runtime = ['libcoreclr.so', 'libhostfxr.so', 'libhostpolicy.so'].filter((lib) => maps.includes(lib));
    if (runtime.length) fail(`the server process ${pid} loaded the .NET runtime (${runtime.join(', ')})`);
    const environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    const dotnetVars = environ.filter((v) => /^DOTNET_ROOT/.test(v));
    if (dotnetVars.length) fail(`the server saw ${dotnetVars.join(', ')}`);
    return `${hover}; server pid ${pid} is ${path.relative(nativeExtensions, nativeServer)}, no .NET runtime loaded (${noDotnet.how})`;
  }, page3);
  await page3.mouse.move(5, 5);
  await page3.keyboard.press('Escape');
  await step('7-native-problems', () => checkProblems(page3), page3);
}

/**
 * An environment in which no .NET can be found: no dotnet on the PATH (a folder of links to everything else on it),
 * no DOTNET_* variables, PAPERNOTES_DOTNET naming nothing; and when running as root with `unshare`, a private mount
 * namespace in which the folders holding dotnet are empty.
 */
function withoutDotnet() {
  const bin = path.join(tmp, 'path-without-dotnet');
  fs.mkdirSync(bin, { recursive: true });
  const dotnetHomes = new Set();
  for (const dir of (process.env.PATH || '').split(path.delimiter).filter(Boolean).reverse()) {
    let names = [];
    try { names = fs.readdirSync(dir); } catch { continue; }
    for (const name of names) {
      const full = path.join(dir, name);
      if (name === 'dotnet') {
        try { dotnetHomes.add(path.dirname(fs.realpathSync(full))); } catch { /* dangling */ }
        continue;
      }
      try { fs.rmSync(path.join(bin, name), { force: true }); fs.symlinkSync(full, path.join(bin, name)); } catch { /* skip */ }
    }
  }
  if (process.env.DOTNET_ROOT) dotnetHomes.add(process.env.DOTNET_ROOT);
  for (const home of ['/usr/share/dotnet', '/usr/lib/dotnet', '/usr/local/share/dotnet', '/opt/dotnet', path.join(os.homedir(), '.dotnet')]) {
    if (fs.existsSync(path.join(home, 'dotnet'))) dotnetHomes.add(home);
  }
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^DOTNET_/.test(k)));
  env.PATH = bin;
  env.PAPERNOTES_DOTNET = path.join(tmp, 'no-such-dir', 'dotnet');
  let wrap = [];
  let how = `PATH without dotnet, no DOTNET_* variables`;
  const unshare = ['/usr/bin/unshare', '/bin/unshare'].find((f) => fs.existsSync(f));
  if (process.getuid?.() === 0 && unshare && dotnetHomes.size) {
    const empty = path.join(tmp, 'empty');
    fs.mkdirSync(empty, { recursive: true });
    const mounts = [...dotnetHomes].map((d) => `mount --bind '${empty}' '${d}'`).join(' && ');
    const probe = spawnSync(unshare, ['-m', '/bin/sh', '-c', `${mounts} && ! ls '${[...dotnetHomes][0]}/dotnet' >/dev/null 2>&1`]);
    if (probe.status === 0) {
      wrap = [unshare, '-m', '/bin/sh', '-c', `${mounts} && exec "$0" "$@"`];
      how += `, ${[...dotnetHomes].join(', ')} empty in a private mount namespace`;
    }
  }
  return { env, wrap, how };
}

/** The pid of a running process whose executable is `exe`. */
function serverPid(exe) {
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (fs.readlinkSync(`/proc/${pid}/exe`) === exe) return Number(pid);
    } catch { /* gone or not ours */ }
  }
  return undefined;
}

// ------------------------------------------------------------------------------------------

let exitCode = 0;
// Whatever hangs, the run ends (and code-server is killed) after E2E_TOTAL_TIMEOUT_MS.
const TOTAL = Number(process.env.E2E_TOTAL_TIMEOUT_MS || 20 * 60_000);
setTimeout(() => {
  log(`ERROR: the e2e run took over ${Math.round(TOTAL / 60_000)} minutes: stopping`);
  killCodeServer();
  console.log('0 passed, 1 failed');
  process.exit(1);
}, TOTAL).unref();
try {
  await main();
} catch (e) {
  const msg = e instanceof Failure ? e.message : e.stack || String(e);
  log(`ERROR: ${msg}`);
  results.push({ name: 'setup', ok: false, detail: msg });
} finally {
  try {
    if (tmp) {
      const { output, exthost } = await logsText();
      if (output) fs.writeFileSync(path.join(ARTIFACTS, 'paper-notes-output.log'), output);
      if (exthost) fs.writeFileSync(path.join(ARTIFACTS, 'exthost.log'), exthost);
    }
  } catch { /* best effort */ }
  if (browser) await browser.close().catch(() => undefined);
  killCodeServer();
  if (codeServer) {
    await Promise.race([new Promise((r) => (codeServer.exitCode !== null ? r() : codeServer.once('exit', r))), sleep(5000)]);
  }
}

console.log('\n=== Paper Notes e2e results ===');
for (const r of results) {
  console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name}${r.detail ? `: ${r.detail}` : ''}`);
  if (r.screenshot) console.log(`      screenshot: ${r.screenshot}`);
}
console.log(`logs: ${ARTIFACTS}`);
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(`${passed} passed, ${failed} failed`);
if (failed > 0 || results.length === 0) exitCode = 1;
if (tmp && exitCode === 0 && process.env.E2E_KEEP !== '1') fs.rmSync(tmp, { recursive: true, force: true });
else if (tmp) log(`kept ${tmp}`);
process.exit(exitCode);
