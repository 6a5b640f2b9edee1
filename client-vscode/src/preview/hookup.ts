// The Markdown preview's side of activate: the items source (asks the server, caches the answers) and the object
// VS Code's Markdown extension asks for with `markdown.markdownItPlugins` (`extendMarkdownIt`).
import * as vscode from 'vscode';
import type MarkdownIt from 'markdown-it';
import type { LanguageClient } from 'vscode-languageclient/node';
import { citationsPlugin } from './citations';
import { PreviewSource } from './source';

/** What VS Code's Markdown extension asks of an extension contributing `markdown.markdownItPlugins`. */
export interface MarkdownExtension {
  extendMarkdownIt(md: MarkdownIt): MarkdownIt;
}

export interface Preview extends vscode.Disposable, MarkdownExtension {
  /** The server's library status changed (not indexing): the cached items may be stale. */
  libraryChanged(): void;
}

export function createPreview(client: () => LanguageClient | undefined, log: (message: string) => void): Preview {
  const source = new PreviewSource(client, log);
  return {
    extendMarkdownIt(md: MarkdownIt): MarkdownIt {
      citationsPlugin(md, source);
      return md;
    },
    libraryChanged: () => source.libraryChanged(),
    dispose: () => source.dispose(),
  };
}
