// Paper Notes VS Code client: starts the `papernotes serve` language server (LSP over stdio): the bundled
// self-contained server of a platform package, else the bundled papernotes.dll with an installed .NET runtime
// and adds a status bar item, a restart command and the daily-papers import command. It also extends the Markdown
// preview with formatted citations and a bibliography (preview/citations.ts).
import * as vscode from 'vscode';
import type MarkdownIt from 'markdown-it';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChildProcess, execFile, spawn } from 'node:child_process';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
} from 'vscode-languageclient/node';
import { citationsPlugin } from './preview/citations';
import { PreviewSource } from './preview/source';

const CLIENT_ID = 'paperNotes';
const CLIENT_NAME = 'Paper Notes';
const dotnetMessage = (major = 10): string =>
  `Paper Notes needs the .NET ${major} runtime: install it from https://dot.net, then run 'Paper Notes: Restart Server'.`;

/** File patterns of library files (BibTeX and CSL JSON/YAML). */
export const LIBRARY_PATTERNS = ['**/*.bib', '**/*.bibtex', '**/*.csl.json', '**/*.csl.yaml', '**/*.csl.yml'];
const DEFAULT_LIBRARY_GLOB = '**/*.{bib,bibtex,csl.json,csl.yaml,csl.yml}';
const DEFAULT_NOTES_GLOB = '**/*.md';

interface LibraryStatus {
  papers: number;
  notes: number;
  indexing: boolean;
}

/** How to run the server: a program and the arguments before the server's own subcommand. */
export interface ServerCommand {
  command: string;
  args: string[];
  /** Human-readable description for messages. */
  describe: string;
}

class ServerSetupError extends Error {
  constructor(message: string, readonly needsDotnet: boolean) {
    super(message);
  }
}

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let statusItem: vscode.StatusBarItem;
let extensionPath: string;
let starting: Promise<void> | undefined;
let watchers: vscode.Disposable[] = [];
let serverProcess: ChildProcess | undefined;
let preview: PreviewSource;

/** What VS Code's Markdown extension asks of an extension contributing `markdown.markdownItPlugins`. */
export interface MarkdownExtension {
  extendMarkdownIt(md: MarkdownIt): MarkdownIt;
}

export async function activate(context: vscode.ExtensionContext): Promise<MarkdownExtension> {
  extensionPath = context.extensionPath;
  output = vscode.window.createOutputChannel(CLIENT_NAME);
  context.subscriptions.push(output);
  preview = new PreviewSource(() => client, log);
  context.subscriptions.push(preview);

  statusItem = vscode.window.createStatusBarItem('paperNotes.status', vscode.StatusBarAlignment.Right, 100);
  statusItem.name = CLIENT_NAME;
  statusItem.command = 'paperNotes.showOutput';
  setStatus('$(sync~spin) Paper Notes', 'Paper Notes: starting the language server…');
  statusItem.show();
  context.subscriptions.push(statusItem);

  context.subscriptions.push(
    vscode.commands.registerCommand('paperNotes.restartServer', () => restart()),
    vscode.commands.registerCommand('paperNotes.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('paperNotes.importDailyPapers', (uri?: vscode.Uri) => importDailyPapers(uri)),
    vscode.commands.registerCommand('paperNotes.showReferences', showReferences),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (
        e.affectsConfiguration('paperNotes.server.path') ||
        e.affectsConfiguration('paperNotes.library') ||
        e.affectsConfiguration('paperNotes.notes')
      ) {
        log('Settings changed: restarting the server.');
        void restart();
      } else if (e.affectsConfiguration('paperNotes.preview')) {
        void vscode.commands.executeCommand('markdown.preview.refresh');
      }
    }),
    { dispose: () => disposeWatchers() },
  );

  log(`Paper Notes ${context.extension.packageJSON.version ?? ''} activated (VS Code ${vscode.version}, ${process.platform}).`);
  await start();
  return {
    extendMarkdownIt(md: MarkdownIt): MarkdownIt {
      citationsPlugin(md, preview);
      return md;
    },
  };
}

export async function deactivate(): Promise<void> {
  await stop();
}

// ------------------------------------------------------------------------------------------
// Server lifecycle

async function start(): Promise<void> {
  if (starting) {
    return starting;
  }
  starting = doStart().finally(() => (starting = undefined));
  return starting;
}

async function doStart(): Promise<void> {
  let server: ServerCommand;
  try {
    server = await resolveServerCommand();
  } catch (e) {
    const err = e as ServerSetupError;
    log(`ERROR: ${err.message}`);
    setStatus('$(error) Paper Notes', err.message, true);
    void showStartError(err.message, err.needsDotnet);
    return;
  }

  // Spawn the server ourselves to report how it ended (exit code, spawn error) when it fails.
  const exit: { code?: number | null; signal?: NodeJS.Signals | null; error?: Error } = {};
  let initialized = false;
  const serverOptions: ServerOptions = async () => {
    exit.code = exit.signal = exit.error = undefined;
    const child = spawn(server.command, [...server.args, 'serve'], {
      cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.homedir(),
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' },
      stdio: 'pipe',
    });
    serverProcess = child;
    child.on('error', (err) => (exit.error = err));
    child.on('exit', (code, signal) => {
      exit.code = code;
      exit.signal = signal;
      if (client === c) {
        log(`The server process exited (${signal ? `signal ${signal}` : `code ${code}`}).`);
      }
    });
    return child;
  };
  const describeExit = (fallback: string): string =>
    exit.error
      ? `could not run ${server.describe}: ${exit.error.message}`
      : exit.code !== undefined || exit.signal
        ? `the server (${server.describe} serve) exited with ${exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`} before it answered`
        : fallback;

  disposeWatchers();
  const fileEvents = createWatchers();

  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'untitled', language: 'markdown' },
      ...LIBRARY_PATTERNS.map((pattern) => ({ scheme: 'file', pattern })),
    ],
    synchronize: {
      configurationSection: 'paperNotes',
      fileEvents,
    },
    outputChannel: output,
    traceOutputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    // A failed initialize is reported once, where start() fails below.
    initializationFailedHandler: () => false,
    errorHandler: {
      // Write errors are logged in the output; a dead server is reported by closed() or start().
      error: () => ({ action: initialized ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true }),
      closed: () => {
        if (!initialized || client !== c) {
          return { action: CloseAction.DoNotRestart, handled: true };
        }
        crashes.push(Date.now());
        while (crashes.length && crashes[0] < Date.now() - 3 * 60_000) {
          crashes.shift();
        }
        if (crashes.length <= 4) {
          log('The server stopped unexpectedly: restarting it.');
          return { action: CloseAction.Restart };
        }
        const msg = 'The Paper Notes server crashed 5 times in the last 3 minutes and will not be restarted.';
        log(`ERROR: ${msg}`);
        setStatus('$(error) Paper Notes', msg, true);
        void showStartError(`${msg} See the output for details, then run 'Paper Notes: Restart Server'.`, false);
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    },
  };

  log(`Starting the server: ${server.describe} serve`);
  const c = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  client = c;
  c.onNotification('paperNotes/libraryStatus', (status: LibraryStatus) => {
    updateLibraryStatus(status);
    // Sent again after every change that may resolve keys differently: the preview's items may be stale.
    if (!status?.indexing) {
      preview.libraryChanged();
    }
  });
  c.onDidChangeState((e) => {
    if (e.newState === State.Stopped && client === c && !statusItem.text.includes('$(error)')) {
      setStatus('$(circle-slash) Paper Notes', 'Paper Notes: the server is stopped. Click to see the output.');
    }
  });
  try {
    await c.start();
    if (!c.isRunning()) {
      throw new Error(`the client is ${State[c.state]?.toLowerCase() ?? 'not running'} after start`);
    }
    initialized = true;
    log('Server started.');
    if (statusItem.text.includes('sync~spin') && !statusItem.text.includes('Indexing')) {
      setStatus('$(book) Paper Notes', 'Paper Notes: waiting for the library index…');
    }
  } catch (e) {
    await new Promise((r) => setTimeout(r, 200)); // let the exit event arrive
    const reason = describeExit(`${e instanceof Error ? e.message : String(e)} (${server.describe} serve)`);
    const msg = `The Paper Notes server failed to start: ${reason}. See 'Paper Notes: Show Output', then run 'Paper Notes: Restart Server'.`;
    log(`ERROR: ${msg}`);
    setStatus('$(error) Paper Notes', msg, true);
    void showStartError(msg, false);
  }
}

const crashes: number[] = [];

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) {
    try {
      if (c.isRunning()) {
        await c.stop(5000);
      } else {
        await c.dispose(5000);
      }
    } catch (e) {
      log(`Stopping the server: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  // The client only asks the server to exit; make sure a hung server does not linger.
  const child = serverProcess;
  serverProcess = undefined;
  if (child && child.exitCode === null && child.signalCode === null) {
    const timer = setTimeout(() => child.kill(), 2000);
    child.once('exit', () => clearTimeout(timer));
  }
  disposeWatchers();
}

async function restart(): Promise<void> {
  if (starting) {
    await starting.catch(() => undefined);
  }
  log('Restarting the server.');
  crashes.length = 0;
  await stop();
  setStatus('$(sync~spin) Paper Notes', 'Paper Notes: starting the language server…');
  await start();
}

function createWatchers(): vscode.FileSystemWatcher[] {
  // The globs in the settings are relative to each workspace folder (and may differ per folder).
  const globsFor = (folder?: vscode.WorkspaceFolder): string[] => {
    const config = vscode.workspace.getConfiguration('paperNotes', folder?.uri);
    const library = nonEmpty(config.get<string[]>('library')) ?? [DEFAULT_LIBRARY_GLOB];
    const notes = nonEmpty(config.get<string[]>('notes')) ?? [DEFAULT_NOTES_GLOB];
    return [...new Set([...library, ...notes])];
  };
  const folders = vscode.workspace.workspaceFolders ?? [];
  const result =
    folders.length === 0
      ? globsFor().map((glob) => vscode.workspace.createFileSystemWatcher(glob))
      : folders.flatMap((folder) =>
          globsFor(folder).map((glob) =>
            vscode.workspace.createFileSystemWatcher(
              path.isAbsolute(glob) ? glob : new vscode.RelativePattern(folder, glob.replace(/^\.\//, '')),
            ),
          ),
        );
  watchers = result;
  return result;
}

function disposeWatchers(): void {
  for (const w of watchers) {
    w.dispose();
  }
  watchers = [];
}

function nonEmpty(list: string[] | undefined): string[] | undefined {
  const cleaned = (list ?? []).filter((s) => typeof s === 'string' && s.trim() !== '');
  return cleaned.length > 0 ? cleaned : undefined;
}

// ------------------------------------------------------------------------------------------
// Finding dotnet and the server

async function resolveServerCommand(): Promise<ServerCommand> {
  const configured = expandHome(
    vscode.workspace.getConfiguration('paperNotes').get<string>('server.path', '').trim(),
  );
  if (configured) {
    const full = path.isAbsolute(configured) ? configured : resolveInWorkspace(configured);
    if (!fs.existsSync(full)) {
      throw new ServerSetupError(
        `The server set in 'paperNotes.server.path' does not exist: ${full}. Fix the setting (or clear it to use the bundled server), then run 'Paper Notes: Restart Server'.`,
        false,
      );
    }
    if (full.toLowerCase().endsWith('.dll')) {
      const dotnet = await findDotnet(full);
      return { command: dotnet, args: [full], describe: `${dotnet} ${full}` };
    }
    return { command: full, args: [], describe: full };
  }

  // A platform package (linux-x64, darwin-arm64, win32-x64, ...) bundles a self-contained server that needs no
  // .NET; the universal package bundles papernotes.dll, which runs on an installed .NET runtime.
  const serverDir = path.join(extensionPath, 'client-vscode', 'server');
  const native = path.join(serverDir, process.platform === 'win32' ? 'papernotes.exe' : 'papernotes');
  if (isFile(native)) {
    ensureExecutable(native);
    return { command: native, args: [], describe: native };
  }
  const dll = path.join(serverDir, 'papernotes.dll');
  if (!fs.existsSync(dll)) {
    throw new ServerSetupError(
      `The bundled Paper Notes server is missing (${dll}). Reinstall the extension, or set 'paperNotes.server.path' to a papernotes server.`,
      false,
    );
  }
  const dotnet = await findDotnet(dll);
  return { command: dotnet, args: [dll], describe: `${dotnet} ${dll}` };
}

/** Unpacking a .vsix may drop the executable bit: restore it (best effort; spawning reports a real failure). */
function ensureExecutable(file: string): void {
  if (process.platform === 'win32') {
    return;
  }
  try {
    fs.accessSync(file, fs.constants.X_OK);
  } catch {
    try {
      fs.chmodSync(file, 0o755);
      log(`Made ${file} executable.`);
    } catch (e) {
      log(`Could not make ${file} executable: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

function resolveInWorkspace(p: string): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? path.join(folder.uri.fsPath, p) : path.resolve(p);
}

function expandHome(p: string): string {
  return p.startsWith('~/') || p === '~' ? path.join(os.homedir(), p.slice(1)) : p;
}

/** The .NET runtime a server .dll needs, from its runtimeconfig.json (default: 10, no roll-forward). */
function requiredRuntime(dll: string): { major: number; anyLater: boolean } {
  try {
    const config = JSON.parse(fs.readFileSync(dll.replace(/\.dll$/i, '.runtimeconfig.json'), 'utf8'));
    const options = config.runtimeOptions ?? {};
    const framework = options.framework ?? options.frameworks?.find((f: { name?: string }) => f.name === 'Microsoft.NETCore.App');
    const major = Number(String(framework?.version ?? '10').split('.')[0]) || 10;
    const rollForward = String(options.rollForward ?? process.env.DOTNET_ROLL_FORWARD ?? '').toLowerCase();
    return { major, anyLater: rollForward === 'major' || rollForward === 'latestmajor' };
  } catch {
    return { major: 10, anyLater: false };
  }
}

/** Finds a `dotnet` that has the .NET runtime the server needs (Microsoft.NETCore.App 10.x). */
async function findDotnet(dll: string): Promise<string> {
  const need = requiredRuntime(dll);
  // PAPERNOTES_DOTNET names the dotnet to use (and the only one tried).
  const explicit = process.env.PAPERNOTES_DOTNET?.trim();
  const candidates = explicit ? [explicit] : dotnetCandidates();
  const seen = new Set<string>();
  let foundWithoutRuntime: { dotnet: string; runtimes: string } | undefined;
  for (const candidate of candidates) {
    if (seen.has(candidate) || !isFile(candidate)) {
      continue;
    }
    seen.add(candidate);
    const runtimes = await run(candidate, ['--list-runtimes']).catch(() => undefined);
    if (runtimes === undefined) {
      continue;
    }
    if (hasRuntime(runtimes, need.major, need.anyLater)) {
      return candidate;
    }
    foundWithoutRuntime ??= { dotnet: candidate, runtimes };
  }
  if (foundWithoutRuntime) {
    const versions = [...foundWithoutRuntime.runtimes.matchAll(/^Microsoft\.NETCore\.App (\S+)/gm)].map((m) => m[1]);
    log(`Found ${foundWithoutRuntime.dotnet} with runtimes: ${versions.join(', ') || 'none'}`);
    throw new ServerSetupError(
      `${dotnetMessage(need.major)} (found ${foundWithoutRuntime.dotnet} with ${versions.length ? 'only .NET ' + versions.join(', ') : 'no .NET runtime'})`,
      true,
    );
  }
  throw new ServerSetupError(
    `${dotnetMessage(need.major)} (${explicit ? `PAPERNOTES_DOTNET=${explicit} does not exist` : "'dotnet' was not found on the PATH"}.)`,
    true,
  );
}

/** Where dotnet may be: DOTNET_ROOT, the PATH, then the installers' default folders. */
function dotnetCandidates(): string[] {
  const exe = process.platform === 'win32' ? 'dotnet.exe' : 'dotnet';
  const candidates: string[] = [];
  if (process.env.DOTNET_ROOT) {
    candidates.push(path.join(process.env.DOTNET_ROOT, exe));
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir) {
      candidates.push(path.join(dir, exe));
    }
  }
  if (process.platform === 'win32') {
    candidates.push(path.join(process.env.ProgramFiles ?? 'C:\\Program Files', 'dotnet', exe));
  } else {
    candidates.push(
      path.join(os.homedir(), '.dotnet', exe),
      '/usr/local/share/dotnet/dotnet',
      '/usr/share/dotnet/dotnet',
      '/usr/lib/dotnet/dotnet',
      '/opt/homebrew/bin/dotnet',
      '/usr/local/bin/dotnet',
      '/snap/bin/dotnet',
    );
  }
  return candidates;
}

function hasRuntime(listRuntimes: string, major: number, anyLater: boolean): boolean {
  for (const m of listRuntimes.matchAll(/^Microsoft\.NETCore\.App (\d+)\./gm)) {
    if (Number(m[1]) === major || (anyLater && Number(m[1]) > major)) {
      return true;
    }
  }
  return false;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function run(command: string, args: string[], timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const detail = (stderr || stdout || '').toString().trim();
        reject(new Error(detail ? `${error.message}\n${detail}` : error.message));
      } else {
        resolve(stdout.toString());
      }
    });
  });
}

// ------------------------------------------------------------------------------------------
// UI

function updateLibraryStatus(status: LibraryStatus): void {
  const papers = Number(status?.papers ?? 0);
  const notes = Number(status?.notes ?? 0);
  const tooltip = `Paper Notes: ${papers} ${papers === 1 ? 'paper' : 'papers'} in the library, ${notes} ${notes === 1 ? 'note' : 'notes'}`;
  if (status?.indexing) {
    setStatus('$(sync~spin) Indexing…', `${tooltip} (indexing…)`);
  } else {
    setStatus(`$(book) ${papers} ${papers === 1 ? 'paper' : 'papers'}`, tooltip);
  }
}

function setStatus(text: string, tooltip: string, error = false): void {
  statusItem.text = text;
  statusItem.tooltip = tooltip;
  statusItem.backgroundColor = error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
}

async function showStartError(message: string, needsDotnet: boolean): Promise<void> {
  const actions = needsDotnet ? ['Get .NET', 'Restart Server', 'Show Output'] : ['Restart Server', 'Show Output'];
  const choice = await vscode.window.showErrorMessage(message, ...actions);
  if (choice === 'Get .NET') {
    await vscode.env.openExternal(vscode.Uri.parse('https://dot.net'));
  } else if (choice === 'Restart Server') {
    await restart();
  } else if (choice === 'Show Output') {
    output.show(true);
  }
}

function log(message: string): void {
  output.appendLine(`[${new Date().toISOString()}] ${message}`);
}

// ------------------------------------------------------------------------------------------
// Import daily papers

async function importDailyPapers(input?: vscode.Uri): Promise<void> {
  if (!input || input.scheme !== 'file' || !input.fsPath.toLowerCase().endsWith('.txt')) {
    const picked = await vscode.window.showOpenDialog({
      title: 'Paper Notes: Import Daily Papers Listing',
      openLabel: 'Import',
      canSelectMany: false,
      canSelectFiles: true,
      canSelectFolders: false,
      filters: { 'Daily papers listing': ['txt'], 'All files': ['*'] },
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    });
    if (!picked || picked.length === 0) {
      return;
    }
    input = picked[0];
  }
  const inputPath = input.fsPath;
  const base = path.basename(inputPath).replace(/\.txt$/i, '');
  const outUri = await vscode.window.showSaveDialog({
    title: 'Paper Notes: Save the imported library as',
    saveLabel: 'Import',
    defaultUri: vscode.Uri.file(path.join(path.dirname(inputPath), `${base}.csl.yaml`)),
    filters: { 'CSL YAML library': ['csl.yaml', 'yaml'] },
  });
  if (!outUri) {
    return;
  }
  let outPath = outUri.fsPath;
  if (!/\.ya?ml$/i.test(outPath)) {
    outPath += '.csl.yaml';
  }

  let server: ServerCommand;
  try {
    server = await resolveServerCommand();
  } catch (e) {
    const err = e as ServerSetupError;
    log(`ERROR: ${err.message}`);
    void showStartError(err.message, err.needsDotnet);
    return;
  }
  const args = [...server.args, 'import', 'daily-papers', inputPath, '-o', outPath];
  log(`Importing: ${server.command} ${args.join(' ')}`);
  try {
    const stdout = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Paper Notes: importing ${path.basename(inputPath)}…` },
      () => run(server.command, args, 5 * 60_000),
    );
    if (stdout.trim()) {
      log(stdout.trim());
    }
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    log(`ERROR: import failed: ${msg}`);
    const choice = await vscode.window.showErrorMessage(
      `Paper Notes could not import ${path.basename(inputPath)}: ${summary(msg)}`,
      'Show Output',
    );
    if (choice === 'Show Output') {
      output.show(true);
    }
    return;
  }
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(outPath));
  await vscode.window.showTextDocument(doc, { preview: false });
  void vscode.window.showInformationMessage(`Paper Notes: imported ${path.basename(inputPath)} into ${path.basename(outPath)}.`);
}

function summary(s: string): string {
  const lines = s.split(/\r?\n/).filter((l) => l.trim() !== '');
  return lines.length > 1 ? lines[lines.length - 1] : (lines[0] ?? s);
}

interface LspPosition { line: number; character: number }
interface LspLocation { uri: string; range: { start: LspPosition; end: LspPosition } }

/** A "cited in N notes" lens: the server sends plain data; the references view needs VS Code's own objects. */
function showReferences(uri: string, position: LspPosition, locations: LspLocation[]): Thenable<unknown> {
  const toPosition = (p: LspPosition) => new vscode.Position(p.line, p.character);
  return vscode.commands.executeCommand(
    'editor.action.showReferences',
    vscode.Uri.parse(uri),
    toPosition(position),
    (locations ?? []).map(
      (l) => new vscode.Location(vscode.Uri.parse(l.uri), new vscode.Range(toPosition(l.range.start), toPosition(l.range.end))),
    ),
  );
}
