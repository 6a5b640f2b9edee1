// What the "Get started with Paper Notes" walkthrough (package.json `contributes.walkthroughs`) waits for that no
// command or setting says: context keys set when a library is loaded and when a citation's hover was shown.
import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';
import type { LibraryStatus } from './status';

const LIBRARY_LOADED = 'paperNotes.libraryLoaded';
const HOVER_SHOWN = 'paperNotes.citationHoverShown';

let libraryLoaded = false;
let hoverShown = false;

/** `onContext:paperNotes.libraryLoaded` completes the first step once the library has a paper. */
export function libraryStatusChanged(status: LibraryStatus): void {
  if (!libraryLoaded && !status?.indexing && Number(status?.papers) > 0) {
    libraryLoaded = true;
    void vscode.commands.executeCommand('setContext', LIBRARY_LOADED, true);
  }
}

/** `onContext:paperNotes.citationHoverShown` completes the hover step: the server answered a hover with content. */
export const walkthroughMiddleware: Middleware = {
  async provideHover(document, position, token, next) {
    const hover = await next(document, position, token);
    if (!hoverShown && hover && hover.contents.length > 0) {
      hoverShown = true;
      void vscode.commands.executeCommand('setContext', HOVER_SHOWN, true);
    }
    return hover;
  },
};
