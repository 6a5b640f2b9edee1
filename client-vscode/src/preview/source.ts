// The preview's data in VS Code: CSL items from the server (paperNotes/cslItems), cached per note, and the style
// and locale from the note's front matter or the settings. markdown-it renders synchronously: a render answers from
// the cache, asks the server for what is missing, and the answer refreshes the preview (markdown.preview.refresh).
import * as vscode from 'vscode';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CitationSource, NoteItems, NoteSettings } from './citations';
import { CslItem } from './format';
import { SecondEngine } from './parallel';
import { bundledLocale, bundledStyle, DEFAULT_STYLE } from './styles';
import { stringSetting } from '../settings';

interface CslItemsResult {
  items: CslItem[];
  unknown: string[];
}

interface Entry {
  data?: NoteItems;
  /** The answer as JSON, to refresh the preview only when it changed. */
  json?: string;
  inFlight?: Promise<void>;
  /** Asked again while a request was in flight: ask once more when it ends. */
  again?: boolean;
  /** Keys a render wanted that the answer did not cover: fetched once per set, so a failing server cannot loop. */
  asked?: string;
}

/** At most this many notes' items are kept (the open previews are a handful). */
const MAX_NOTES = 32;

/**
 * How long after a render its later steps (a long bibliography) run: VS Code posts the rendered HTML to the preview
 * after the render's promise chain, so a frame's wait lets the webview show the in-text citations first.
 */
const LATER_DELAY_MS = 16;

export class PreviewSource implements CitationSource, vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly styles = new Map<string, { mtimeMs: number; xml: string }>();
  private refreshTimer: NodeJS.Timeout | undefined;
  /** An answer came while refreshes were held back: refresh once more when they may run again. */
  private refreshAgain = false;
  private steps: (() => void)[] = [];
  private stepTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** The worker thread that formats half of a long note (preview-worker.js beside extension.js). */
  private readonly second: SecondEngine | undefined;
  /** A long note on two threads; without the worker's bundle, the plugin formats on this one. */
  readonly format: CitationSource['format'];

  constructor(
    private readonly client: () => LanguageClient | undefined,
    private readonly log: (message: string) => void,
  ) {
    const second = (this.second = SecondEngine.beside(__dirname, log));
    this.format = second && ((groups, items, options) => second.format(groups, items, options));
    // A note's own `references:` may change without its keys changing: ask again on save.
    this.disposables.push(vscode.workspace.onDidSaveTextDocument((doc) => this.entries.has(doc.uri.toString()) && this.fetch(doc.uri.toString())));
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    clearTimeout(this.stepTimer);
    this.disposables.forEach((d) => d.dispose());
    this.second?.dispose();
  }


  /** The library changed (or the server finished indexing): every cached note asks again. */
  libraryChanged(): void {
    for (const uri of this.entries.keys()) this.fetch(uri);
  }

  items(document: string | undefined, keys: readonly string[]): NoteItems | undefined {
    if (!document) return undefined;
    let entry = this.entries.get(document);
    if (!entry) {
      if (this.entries.size >= MAX_NOTES) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(document, (entry = {}));
    }
    const data = entry.data;
    const missing = keys.filter((k) => !data || (!data.items.has(k) && !data.unknown.has(k)));
    if (missing.length > 0) {
      const asked = missing.join(' ');
      if (entry.asked !== asked) {
        entry.asked = asked;
        this.fetch(document);
      }
    }
    return data;
  }

  private fetch(uri: string): void {
    const entry = this.entries.get(uri);
    if (!entry) return;
    if (entry.inFlight) {
      entry.again = true;
      return;
    }
    const client = this.client();
    if (!client?.isRunning()) return; // asked again on the next libraryStatus (sent once the server has indexed)
    entry.inFlight = client
      .sendRequest<CslItemsResult>('paperNotes/cslItems', { uri })
      .then(
        (result) => {
          const json = JSON.stringify(result);
          if (json === entry.json) return;
          entry.json = json;
          entry.data = {
            items: new Map((result.items ?? []).map((item) => [item.id, item])),
            unknown: new Set(result.unknown ?? []),
          };
          this.scheduleRefresh();
        },
        (e: unknown) => this.log(`Preview: paperNotes/cslItems failed for ${uri}: ${e instanceof Error ? e.message : String(e)}`),
      )
      .finally(() => {
        entry.inFlight = undefined;
        if (entry.again) {
          entry.again = false;
          this.fetch(uri);
        }
      });
  }

  /**
   * The first answer refreshes the preview at once (its items are awaited); the answers of a burst that follows (a
   * library change with several previews open) refresh once more, together, 50 ms later.
   */
  private scheduleRefresh(): void {
    if (this.refreshTimer) {
      this.refreshAgain = true;
      return;
    }
    void vscode.commands.executeCommand('markdown.preview.refresh');
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      if (this.refreshAgain) {
        this.refreshAgain = false;
        this.scheduleRefresh();
      }
    }, 50);
  }

  later(step: () => void): void {
    this.steps.push(step);
    this.stepTimer ??= setTimeout(() => this.runSteps(), LATER_DELAY_MS);
  }

  /** Runs the steps renders left, then renders again to show what they formatted (a failed one leaves nothing to wait for). */
  private runSteps(): void {
    const steps = this.steps;
    this.steps = [];
    this.stepTimer = undefined;
    for (const step of steps) {
      try {
        step();
      } catch (e) {
        this.log(`Preview: the bibliography could not be formatted: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (steps.length > 0) void vscode.commands.executeCommand('markdown.preview.refresh');
  }

  style(document: string | undefined, settings: NoteSettings): { xml: string; lang?: string; notice?: string } {
    const uri = document ? vscode.Uri.parse(document) : undefined;
    const folder = uri ? vscode.workspace.getWorkspaceFolder(uri) : undefined;
    const setting = stringSetting('preview.citationStyle', this.log, uri).trim() || DEFAULT_STYLE;
    const notices: string[] = [];
    // As pandoc reads `csl:`: a path relative to the note (else the setting, relative to the workspace folder).
    let xml = settings.csl ? this.loadStyle(settings.csl, uri?.scheme === 'file' ? path.dirname(uri.fsPath) : undefined, notices) : undefined;
    xml ??= this.loadStyle(setting, folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined, notices);
    xml ??= bundledStyle(DEFAULT_STYLE)!;
    const locale = bundledLocale(settings.lang);
    if (settings.lang && !locale) notices.push(`No bundled locale for lang: ${settings.lang}; using the style's default.`);
    return { xml, lang: locale?.tag, notice: notices.length ? notices.join(' ') : undefined };
  }

  private loadStyle(name: string, base: string | undefined, notices: string[]): string | undefined {
    const bundled = bundledStyle(name);
    if (bundled && !/[\\/]/.test(name) && !(base && fs.existsSync(path.resolve(base, name)))) return bundled;
    const file = path.isAbsolute(name) ? name : base ? path.resolve(base, name) : undefined;
    if (!file) {
      notices.push(`Citation style ${name} not found.`);
      return undefined;
    }
    try {
      const { mtimeMs } = fs.statSync(file);
      const cached = this.styles.get(file);
      if (cached?.mtimeMs === mtimeMs) return cached.xml;
      const xml = fs.readFileSync(file, 'utf8');
      if (!/<style[\s>]/.test(xml)) throw new Error('not a CSL style');
      this.styles.set(file, { mtimeMs, xml });
      return xml;
    } catch (e) {
      notices.push(`Citation style ${name} could not be read (${e instanceof Error ? e.message : String(e)}).`);
      return undefined;
    }
  }
}
