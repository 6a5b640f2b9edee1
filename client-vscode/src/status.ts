// The status bar item: starting, indexing, the library size ("52 papers"), stopped, or an error (click: the output).
import * as vscode from 'vscode';
import { CLIENT_NAME } from './log';

/** The server's `paperNotes/libraryStatus` notification. */
export interface LibraryStatus {
  papers: number;
  notes: number;
  indexing: boolean;
}

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('paperNotes.status', vscode.StatusBarAlignment.Right, 100);

  constructor() {
    this.item.name = CLIENT_NAME;
    this.item.command = 'paperNotes.showOutput';
    this.starting();
    this.item.show();
  }

  starting(): void {
    this.set('$(sync~spin) Paper Notes', 'Paper Notes: starting the language server…');
  }

  /** The server answered initialize; the first library status is still to come. */
  started(): void {
    if (this.item.text.includes('sync~spin') && !this.item.text.includes('Indexing')) {
      this.set('$(book) Paper Notes', 'Paper Notes: waiting for the library index…');
    }
  }

  stopped(): void {
    if (!this.isError) {
      this.set('$(circle-slash) Paper Notes', 'Paper Notes: the server is stopped. Click to see the output.');
    }
  }

  error(message: string): void {
    this.set('$(error) Paper Notes', message, true);
  }

  library(status: LibraryStatus): void {
    const papers = Number(status?.papers ?? 0);
    const notes = Number(status?.notes ?? 0);
    const tooltip = `Paper Notes: ${papers} ${papers === 1 ? 'paper' : 'papers'} in the library, ${notes} ${notes === 1 ? 'note' : 'notes'}`;
    if (status?.indexing) {
      this.set('$(sync~spin) Indexing…', `${tooltip} (indexing…)`);
    } else {
      this.set(`$(book) ${papers} ${papers === 1 ? 'paper' : 'papers'}`, tooltip);
    }
  }

  private get isError(): boolean {
    return this.item.text.includes('$(error)');
  }

  private set(text: string, tooltip: string, error = false): void {
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.backgroundColor = error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
