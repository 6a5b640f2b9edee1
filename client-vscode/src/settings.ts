// The settings the client itself reads (the server reads and checks the others: library, notes, inlayHints,
// diagnostics, zotero) and what a change of them does: restart the server or refresh the preview.
import * as vscode from 'vscode';

type StringSetting = 'server.path' | 'preview.citationStyle';

const DEFAULTS: Record<StringSetting, string> = {
  'server.path': '',
  'preview.citationStyle': 'apa',
};

const warned = new Set<string>();

/**
 * A string setting of `paperNotes` (`server.path`, `preview.citationStyle`); a value of another type (settings.json
 * does not enforce the schema) gives its default and one warning naming the setting, once per value and session.
 */
export function stringSetting(name: StringSetting, log: (message: string) => void, scope?: vscode.Uri): string {
  const fallback = DEFAULTS[name];
  const value = vscode.workspace.getConfiguration('paperNotes', scope).get<unknown>(name, fallback);
  if (typeof value === 'string') {
    return value;
  }
  if (value === null || value === undefined) {
    return fallback;
  }
  const shown = JSON.stringify(value) ?? String(value);
  const message = `Paper Notes: the setting paperNotes.${name} should be a string, not ${shown.length > 60 ? shown.slice(0, 57) + '…' : shown}: using ${fallback ? `"${fallback}"` : 'the default (empty)'}.`;
  if (!warned.has(message)) {
    warned.add(message);
    log(`WARNING: ${message}`);
    void vscode.window.showWarningMessage(message, 'Open Settings').then((choice) => {
      if (choice) {
        void vscode.commands.executeCommand('workbench.action.openSettings', `paperNotes.${name}`);
      }
    });
  }
  return fallback;
}

/**
 * Restarts the server when the server to run changes; refreshes the preview when its settings change. Everything
 * else goes to the running server (`synchronize.configurationSection`): it re-indexes when `library` or `notes`
 * change and watches the files they name itself.
 */
export function watchSettings(restart: () => Promise<void>, log: (message: string) => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('paperNotes.server.path')) {
      log('paperNotes.server.path changed: restarting the server.');
      void restart();
    } else if (e.affectsConfiguration('paperNotes.preview')) {
      void vscode.commands.executeCommand('markdown.preview.refresh');
    }
  });
}
