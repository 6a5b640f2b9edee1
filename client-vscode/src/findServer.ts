// Finding the server to run: `paperNotes.server.path`, else the bundled self-contained server of a platform package,
// else the bundled papernotes.dll with a `dotnet` that has the .NET runtime it needs.
import * as vscode from 'vscode';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { stringSetting } from './settings';

/** How to run the server: a program and the arguments before the server's own subcommand. */
export interface ServerCommand {
  command: string;
  args: string[];
  /** Human-readable description for messages. */
  describe: string;
}

/** The server cannot be run; `needsDotnet`: installing .NET is the fix (the message offers "Get .NET"). */
export class ServerSetupError extends Error {
  constructor(message: string, readonly needsDotnet: boolean) {
    super(message);
  }
}

const dotnetMessage = (major = 10): string =>
  `Paper Notes needs the .NET ${major} runtime: install it from https://dot.net, then run 'Paper Notes: Restart Server'.`;

export async function resolveServerCommand(extensionPath: string, log: (message: string) => void): Promise<ServerCommand> {
  const configured = expandHome(stringSetting('server.path', log).trim());
  if (configured) {
    const full = path.isAbsolute(configured) ? configured : resolveInWorkspace(configured);
    if (!fs.existsSync(full)) {
      throw new ServerSetupError(
        `The server set in 'paperNotes.server.path' does not exist: ${full}. Fix the setting (or clear it to use the bundled server), then run 'Paper Notes: Restart Server'.`,
        false,
      );
    }
    if (full.toLowerCase().endsWith('.dll')) {
      const dotnet = await findDotnet(full, log);
      return { command: dotnet, args: [full], describe: `${dotnet} ${full}` };
    }
    return { command: full, args: [], describe: full };
  }

  // A platform package (linux-x64, darwin-arm64, win32-x64, ...) bundles a self-contained server that needs no
  // .NET; the universal package bundles papernotes.dll, which runs on an installed .NET runtime.
  const serverDir = path.join(extensionPath, 'client-vscode', 'server');
  const native = path.join(serverDir, process.platform === 'win32' ? 'papernotes.exe' : 'papernotes');
  if (isFile(native)) {
    ensureExecutable(native, log);
    return { command: native, args: [], describe: native };
  }
  const dll = path.join(serverDir, 'papernotes.dll');
  if (!fs.existsSync(dll)) {
    throw new ServerSetupError(
      `The bundled Paper Notes server is missing (${dll}). Reinstall the extension, or set 'paperNotes.server.path' to a papernotes server.`,
      false,
    );
  }
  const dotnet = await findDotnet(dll, log);
  return { command: dotnet, args: [dll], describe: `${dotnet} ${dll}` };
}

/** Unpacking a .vsix may drop the executable bit: restore it (best effort; spawning reports a real failure). */
function ensureExecutable(file: string, log: (message: string) => void): void {
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
async function findDotnet(dll: string, log: (message: string) => void): Promise<string> {
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

/** Runs a program to completion; its stdout, or an error with its output. */
export function run(command: string, args: string[], timeoutMs = 15_000): Promise<string> {
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
