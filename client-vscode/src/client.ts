// The language client's lifecycle: start `papernotes serve` (LSP over stdio), report how a failed start ended,
// restart a crashed server (at most 5 times in 3 minutes), stop it (and make sure the process goes).
import * as vscode from 'vscode';
import * as os from 'node:os';
import { ChildProcess, spawn } from 'node:child_process';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
} from 'vscode-languageclient/node';
import { resolveServerCommand, ServerCommand, ServerSetupError } from './findServer';
import { CLIENT_NAME, Output } from './log';
import { LibraryStatus, StatusBar } from './status';
import { walkthroughMiddleware } from './walkthrough';

const CLIENT_ID = 'paperNotes';

/** File patterns of library files (BibTeX and CSL JSON/YAML): documents the client syncs besides Markdown. */
export const LIBRARY_PATTERNS = ['**/*.bib', '**/*.bibtex', '**/*.csl.json', '**/*.csl.yaml', '**/*.csl.yml'];

export class PaperNotesServer {
  /** The running client, if any. */
  client: LanguageClient | undefined;
  private starting: Promise<void> | undefined;
  private serverProcess: ChildProcess | undefined;
  private readonly crashes: number[] = [];

  constructor(
    private readonly extensionPath: string,
    private readonly output: Output,
    private readonly status: StatusBar,
    /** Every `paperNotes/libraryStatus` the server sends. */
    private readonly onLibraryStatus: (status: LibraryStatus) => void,
  ) {}

  /** The server to run (for other commands, e.g. the import); errors are ServerSetupError. */
  command(): Promise<ServerCommand> {
    return resolveServerCommand(this.extensionPath, this.output.log);
  }

  start(): Promise<void> {
    if (!this.starting) {
      this.starting = this.doStart().finally(() => (this.starting = undefined));
    }
    return this.starting;
  }

  async restart(): Promise<void> {
    if (this.starting) {
      await this.starting.catch(() => undefined);
    }
    this.output.log('Restarting the server.');
    this.crashes.length = 0;
    await this.stop();
    this.status.starting();
    await this.start();
  }

  async stop(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    if (c) {
      try {
        if (c.isRunning()) {
          await c.stop(5000);
        } else {
          await c.dispose(5000);
        }
      } catch (e) {
        this.output.log(`Stopping the server: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    // The client only asks the server to exit; make sure a hung server does not linger.
    const child = this.serverProcess;
    this.serverProcess = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      const timer = setTimeout(() => child.kill(), 2000);
      child.once('exit', () => clearTimeout(timer));
    }
  }

  /** An error message with "Restart Server" and "Show Output" (and "Get .NET" when that is the fix). */
  async showStartError(message: string, needsDotnet: boolean): Promise<void> {
    const actions = needsDotnet ? ['Get .NET', 'Restart Server', 'Show Output'] : ['Restart Server', 'Show Output'];
    const choice = await vscode.window.showErrorMessage(message, ...actions);
    if (choice === 'Get .NET') {
      await vscode.env.openExternal(vscode.Uri.parse('https://dot.net'));
    } else if (choice === 'Restart Server') {
      await this.restart();
    } else if (choice === 'Show Output') {
      this.output.show();
    }
  }

  private async doStart(): Promise<void> {
    const log = this.output.log;
    let server: ServerCommand;
    try {
      server = await this.command();
    } catch (e) {
      const err = e as ServerSetupError;
      log(`ERROR: ${err.message}`);
      this.status.error(err.message);
      void this.showStartError(err.message, err.needsDotnet);
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
      this.serverProcess = child;
      child.on('error', (err) => (exit.error = err));
      child.on('exit', (code, signal) => {
        exit.code = code;
        exit.signal = signal;
        if (this.client === c) {
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

    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'markdown' },
        { scheme: 'untitled', language: 'markdown' },
        ...LIBRARY_PATTERNS.map((pattern) => ({ scheme: 'file', pattern })),
      ],
      // No `fileEvents`: the server registers its own file watchers (workspace/didChangeWatchedFiles, dynamic
      // registration), for the default file types and for the globs of the settings and .papernotes.yaml.
      synchronize: { configurationSection: 'paperNotes' },
      middleware: walkthroughMiddleware,
      outputChannel: this.output.channel,
      traceOutputChannel: this.output.channel,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      // A failed initialize is reported once, where start() fails below.
      initializationFailedHandler: () => false,
      errorHandler: {
        // Write errors are logged in the output; a dead server is reported by closed() or start().
        error: () => ({ action: initialized ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true }),
        closed: () => {
          if (!initialized || this.client !== c) {
            return { action: CloseAction.DoNotRestart, handled: true };
          }
          const crashes = this.crashes;
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
          this.status.error(msg);
          void this.showStartError(`${msg} See the output for details, then run 'Paper Notes: Restart Server'.`, false);
          return { action: CloseAction.DoNotRestart, handled: true };
        },
      },
    };

    log(`Starting the server: ${server.describe} serve`);
    const c = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
    this.client = c;
    c.onNotification('paperNotes/libraryStatus', (status: LibraryStatus) => this.onLibraryStatus(status));
    c.onDidChangeState((e) => {
      if (e.newState === State.Stopped && this.client === c) {
        this.status.stopped();
      }
    });
    try {
      await c.start();
      if (!c.isRunning()) {
        throw new Error(`the client is ${State[c.state]?.toLowerCase() ?? 'not running'} after start`);
      }
      initialized = true;
      log('Server started.');
      this.status.started();
    } catch (e) {
      await new Promise((r) => setTimeout(r, 200)); // let the exit event arrive
      const reason = describeExit(`${e instanceof Error ? e.message : String(e)} (${server.describe} serve)`);
      const msg = `The Paper Notes server failed to start: ${reason}. See 'Paper Notes: Show Output', then run 'Paper Notes: Restart Server'.`;
      log(`ERROR: ${msg}`);
      this.status.error(msg);
      void this.showStartError(msg, false);
    }
  }
}
