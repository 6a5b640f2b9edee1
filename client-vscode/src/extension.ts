// Paper Notes VS Code client: wiring. The server is found (findServer.ts) and run as a language client (client.ts);
// the status bar (status.ts), the commands (commands.ts), the settings the client reads (settings.ts), the
// walkthrough's context keys (walkthrough.ts) and the Markdown preview's citations (preview/) hang off it.
import * as vscode from 'vscode';
import { PaperNotesServer } from './client';
import { registerCommands } from './commands';
import { Output } from './log';
import { createPreview, MarkdownExtension } from './preview/hookup';
import { watchSettings } from './settings';
import { StatusBar } from './status';
import { libraryStatusChanged } from './walkthrough';

export type { MarkdownExtension } from './preview/hookup';

let server: PaperNotesServer | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<MarkdownExtension> {
  const output = new Output();
  const status = new StatusBar();
  const preview = createPreview(() => server?.client, output.log);
  server = new PaperNotesServer(context.extensionPath, output, status, (library) => {
    status.library(library);
    libraryStatusChanged(library);
    // Sent again after every change that may resolve keys differently: the preview's items may be stale.
    if (!library?.indexing) {
      preview.libraryChanged();
    }
  });
  const running = server;
  context.subscriptions.push(
    output,
    status,
    preview,
    registerCommands(running, output),
    watchSettings(() => running.restart(), output.log),
  );

  output.log(`Paper Notes ${context.extension.packageJSON.version ?? ''} activated (VS Code ${vscode.version}, ${process.platform}).`);
  await running.start();
  return { extendMarkdownIt: (md) => preview.extendMarkdownIt(md) };
}

export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}
