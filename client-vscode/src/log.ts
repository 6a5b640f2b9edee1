// The 'Paper Notes' output channel: the client's log lines and the server's (window/logMessage, traces).
import * as vscode from 'vscode';

export const CLIENT_NAME = 'Paper Notes';

export class Output implements vscode.Disposable {
  readonly channel: vscode.OutputChannel = vscode.window.createOutputChannel(CLIENT_NAME);

  /** Bound, so it can be handed around as a function. */
  readonly log = (message: string): void => {
    this.channel.appendLine(`[${new Date().toISOString()}] ${message}`);
  };

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
