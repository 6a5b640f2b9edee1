// The commands: Restart Server, Show Output, Import Daily Papers Listing…, and paperNotes.showReferences (the
// server's "cited in N notes" lenses run it).
import * as vscode from 'vscode';
import * as path from 'node:path';
import { PaperNotesServer } from './client';
import { run, ServerCommand, ServerSetupError } from './findServer';
import { Output } from './log';

export function registerCommands(server: PaperNotesServer, output: Output): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('paperNotes.restartServer', () => server.restart()),
    vscode.commands.registerCommand('paperNotes.showOutput', () => output.show()),
    vscode.commands.registerCommand('paperNotes.importDailyPapers', (uri?: vscode.Uri) => importDailyPapers(server, output, uri)),
    vscode.commands.registerCommand('paperNotes.showReferences', showReferences),
  );
}

/** Runs `papernotes import daily-papers LISTING -o LIBRARY.csl.yaml` with the server's program, then opens the library. */
async function importDailyPapers(server: PaperNotesServer, output: Output, input?: vscode.Uri): Promise<void> {
  const log = output.log;
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

  let program: ServerCommand;
  try {
    program = await server.command();
  } catch (e) {
    const err = e as ServerSetupError;
    log(`ERROR: ${err.message}`);
    void server.showStartError(err.message, err.needsDotnet);
    return;
  }
  const args = [...program.args, 'import', 'daily-papers', inputPath, '-o', outPath];
  log(`Importing: ${program.command} ${args.join(' ')}`);
  try {
    const stdout = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Paper Notes: importing ${path.basename(inputPath)}…` },
      () => run(program.command, args, 5 * 60_000),
    );
    if (stdout.trim()) {
      log(stdout.trim());
    }
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    log(`ERROR: import failed: ${msg}`);
    const choice = await vscode.window.showErrorMessage(
      `Paper Notes could not import ${path.basename(inputPath)}: ${lastLine(msg)}`,
      'Show Output',
    );
    if (choice === 'Show Output') {
      output.show();
    }
    return;
  }
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(outPath));
  await vscode.window.showTextDocument(doc, { preview: false });
  void vscode.window.showInformationMessage(`Paper Notes: imported ${path.basename(inputPath)} into ${path.basename(outPath)}.`);
}

function lastLine(s: string): string {
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
