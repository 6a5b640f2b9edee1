// The markdown-it plugin of the Markdown preview: pandoc citations become formatted citations (citeproc-js), and
// a bibliography goes at a `::: {#refs}` div or at the end, as pandoc puts it.
//
// Parsing happens when markdown-it tokenizes (VS Code caches the tokens per document version); formatting happens
// in the renderer, which runs on every render, because the items arrive later, asynchronously, from the server:
// the source answers synchronously from its cache and asks for what it lacks, then refreshes the preview.
import type MarkdownIt from 'markdown-it';
import { CitationGroup, groupKeys, parseBracketed, parseInText } from './syntax';
import { CslItem, escapeHtml, FormatOptions, formatCitations, Formatted } from './format';

/** What a note's front matter says about citations (pandoc's variables). */
export interface NoteSettings {
  csl?: string;
  lang?: string;
  suppressBibliography?: boolean;
  referenceSectionTitle?: string;
}

/** The items of one note, as the server answered. */
export interface NoteItems {
  items: ReadonlyMap<string, CslItem>;
  unknown: ReadonlySet<string>;
}

/** Where the preview's data comes from: the extension (server + settings), or a test. All synchronous. */
export interface CitationSource {
  /** The items for the keys a document cites; undefined while they are being fetched (the source then refreshes). */
  items(document: string | undefined, keys: readonly string[]): NoteItems | undefined;
  /** The style XML and locale for a document and its front matter; `notice` says what fell back and why. */
  style(document: string | undefined, settings: NoteSettings): { xml: string; lang?: string; notice?: string };
  /**
   * Runs `step` after this render, once the preview has had its HTML, then renders the preview again. With it, a
   * long bibliography not formatted yet comes in that second render, the in-text citations in this one. Without it
   * (tests of the final HTML), everything is formatted at once.
   */
  later?(step: () => void): void;
  /**
   * Formats a note as formatCitations does, by other means: the extension's SecondEngine (parallel.ts) formats a long
   * note on two threads. Without it, formatCitations on this thread.
   */
  format?(groups: CitationGroup[], items: ReadonlyMap<string, CslItem>, options: FormatOptions): Formatted;
}

type Token = MarkdownIt.Token;
type StateBlock = MarkdownIt.StateBlock;
type StateCore = MarkdownIt.StateCore;
type StateInline = MarkdownIt.StateInline;

const CITE = 'pandoc_cite';
const REFS_OPEN = 'pandoc_refs_open';
const REFS_CLOSE = 'pandoc_refs_close';
const SETTINGS = 'pandoc_cite_settings';
const FRONT_MATTER = 'pandoc_front_matter';

interface RenderState {
  formatted?: Formatted;
  /** Group index of each citation token, by token. */
  index: Map<Token, number>;
  notice?: string;
  bibliographyPlaced: boolean;
  suppressBibliography: boolean;
}

const ENV_KEY = 'paperNotesCitations';

export function citationsPlugin(md: MarkdownIt, source: CitationSource): void {
  md.inline.ruler.before('link', 'pandoc_math_guard', mathGuardRule);
  md.inline.ruler.before('link', CITE, citationRule);
  md.block.ruler.before('fence', 'pandoc_refs', refsDivRule);
  md.block.ruler.before('hr', FRONT_MATTER, frontMatterRule);
  md.core.ruler.push(SETTINGS, settingsRule);

  const render = md.renderer.render.bind(md.renderer);
  md.renderer.render = (tokens, options, env) => {
    const state = prepare(tokens, env, source);
    const target = (typeof env === 'object' && env !== null ? env : {}) as Record<string, unknown>;
    target[ENV_KEY] = state;
    let html = render(tokens, options, target);
    if (!state.bibliographyPlaced && !state.suppressBibliography && (state.formatted?.bibliography || bibliographyPending(state))) {
      const title = escapeHtml(noteSettings(tokens).referenceSectionTitle ?? 'References');
      html += `<section class="pn-references"><h2>${title}</h2>${bibliographyHtml(state)}</section>\n`;
    }
    return html;
  };

  md.renderer.rules[CITE] = (tokens, idx, _options, env) => {
    const token = tokens[idx];
    const state = (env as Record<string, unknown> | undefined)?.[ENV_KEY] as RenderState | undefined;
    const group = token.meta as CitationGroup;
    const keys = escapeHtml(groupKeys(group).join(' '));
    const formatted = state?.formatted?.groups[state.index.get(token) ?? -1];
    if (!formatted) {
      // Items not here yet: the citation as written, until the refresh.
      return `<span class="pn-cite pn-cite-pending" data-cite="${keys}">${escapeHtml(token.content)}</span>`;
    }
    return `<span class="pn-cite" data-cite="${keys}" title="${escapeHtml(formatted.title)}">${formatted.html}</span>`;
  };
  md.renderer.rules[REFS_OPEN] = () => '<div id="refs" class="pn-references">\n';
  md.renderer.rules[REFS_CLOSE] = (_tokens, _idx, _options, env) => {
    const state = (env as Record<string, unknown> | undefined)?.[ENV_KEY] as RenderState | undefined;
    if (!state || state.suppressBibliography) return '</div>\n';
    state.bibliographyPlaced = true;
    return `${bibliographyHtml(state)}</div>\n`;
  };
  md.renderer.rules[SETTINGS] = () => '';
  md.renderer.rules[FRONT_MATTER] = () => '';
}

function bibliographyHtml(state: RenderState): string {
  const notice = state.notice ? `<p class="pn-cite-notice">${escapeHtml(state.notice)}</p>` : '';
  return notice + (bibliographyPending(state) ? PENDING_BIBLIOGRAPHY : state.formatted?.bibliography ?? '');
}

/** The in-text citations are formatted, the bibliography comes in the next render. */
function bibliographyPending(state: RenderState): boolean {
  return state.formatted !== undefined && state.formatted.bibliography === undefined;
}

/** Where the bibliography will be, until it is: marked as pending, never a list of entries. */
const PENDING_BIBLIOGRAPHY = '<p class="pn-references-pending">Formatting the references…</p>';

// ------------------------------------------------------------------------------------------------------------------
// Parsing

/** `[@a; @b]` at '[', `@a` (and `@a [p. 3]`) at '@'. Runs before markdown-it's link rule, after code and autolinks. */
function citationRule(state: StateInline, silent: boolean): boolean {
  const c = state.src[state.pos];
  if (c !== '[' && c !== '@') return false;
  if (c === '@' && state.pos > 0 && endsWithUrl(state.src, state.pos)) return false;
  const group = c === '[' ? parseBracketed(state.src, state.pos, state.posMax) : parseInText(state.src, state.pos, state.posMax);
  if (!group) return false;
  if (!silent) {
    const token = state.push(CITE, '', 0);
    token.meta = group;
    token.content = state.src.slice(group.start, group.end);
  }
  state.pos = group.end;
  return true;
}

/**
 * `$x = @math$` is TeX, not a citation. VS Code's math plugin (on by default) takes it before this rule runs; with
 * math off, this keeps it as plain text the way pandoc's tex_math_dollars delimits it, rather than citing inside it.
 */
function mathGuardRule(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const start = state.pos;
  if (src[start] !== '$') return false;
  let end = -1;
  if (src[start + 1] === '$') {
    const close = src.indexOf('$$', start + 2);
    if (close > start + 2 && close + 2 <= state.posMax) end = close + 2;
  } else if (src[start + 1] !== undefined && !/\s/.test(src[start + 1])) {
    for (let j = start + 1; j < state.posMax; j++) {
      if (src[j] === '\\') j++;
      else if (src[j] === '\n' && src[j + 1] === '\n') break;
      else if (src[j] === '$' && !/\s/.test(src[j - 1]) && !/\d/.test(src[j + 1] ?? '')) {
        end = j + 1;
        break;
      }
    }
  }
  if (end < 0) return false;
  if (!silent) state.push('text', '', 0).content = src.slice(start, end);
  state.pos = end;
  return true;
}

/**
 * A bare URL before the '@' (`https://example.org/@bare`, `www.x.org/@a`): Markdig's autolinks keep it from the
 * server's scanner, and markdown-it's linkify would too, but only when linkify is on and only with a scheme.
 */
function endsWithUrl(src: string, at: number): boolean {
  let start = at;
  while (start > 0 && !/\s/.test(src[start - 1])) start--;
  return /^[(<"']?(?:[a-z][a-z0-9+.-]*:\/\/|www\.|mailto:)/i.test(src.slice(start, at));
}

/** Pandoc's `::: {#refs}` div (markdown-it knows no fenced divs): the bibliography goes inside it. */
function refsDivRule(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  const line = (n: number) => state.src.slice(state.bMarks[n] + state.tShift[n], state.eMarks[n]);
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  const open = /^(:{3,})\s*(?:\{\s*#refs(?:\s[^}]*)?\}|refs)\s*:*\s*$/.exec(line(startLine));
  if (!open) return false;
  let close = startLine + 1;
  while (close < endLine && !/^:{3,}\s*$/.test(line(close))) close++;
  if (close >= endLine) return false; // never closed: not a div, as in pandoc
  if (silent) return true;
  const opening = state.push(REFS_OPEN, 'div', 1);
  opening.map = [startLine, close + 1];
  opening.block = true;
  const oldParent = state.parentType;
  const oldLineMax = state.lineMax;
  state.parentType = 'reference' as typeof state.parentType;
  state.lineMax = close;
  state.md.block.tokenize(state, startLine + 1, close);
  state.lineMax = oldLineMax;
  state.parentType = oldParent;
  state.push(REFS_CLOSE, 'div', -1).block = true;
  state.line = close + 1;
  return true;
}

/**
 * YAML front matter is metadata, never text with citations. VS Code's own front-matter rule (before 'table') takes it
 * first; this one (before 'hr', which would read `---` as a rule) only runs without it, e.g. in tests and the bench.
 */
function frontMatterRule(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (startLine !== 0 || state.blkIndent !== 0) return false;
  const line = (n: number) => state.src.slice(state.bMarks[n] + state.tShift[n], state.eMarks[n]);
  if (!/^---\s*$/.test(line(0))) return false;
  let close = 1;
  while (close < endLine && !/^(---|\.\.\.)\s*$/.test(line(close))) close++;
  if (close >= endLine) return false;
  if (silent) return true;
  const token = state.push(FRONT_MATTER, '', 0);
  token.hidden = true;
  token.map = [0, close + 1];
  state.line = close + 1;
  return true;
}

/** Reads the front matter's citation variables once per parse into a hidden first token. */
function settingsRule(state: StateCore): void {
  const token = new state.Token(SETTINGS, '', 0);
  token.hidden = true;
  token.meta = readFrontMatter(state.src);
  state.tokens.unshift(token);
}

function noteSettings(tokens: Token[]): NoteSettings {
  return (tokens.find((t) => t.type === SETTINGS)?.meta as NoteSettings | undefined) ?? {};
}

/** The few top-level scalars pandoc reads for citations, from a YAML front matter block (no YAML parser needed). */
export function readFrontMatter(src: string): NoteSettings {
  const m = /^(?:\uFEFF)?---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(src);
  const settings: NoteSettings = {};
  if (!m) return settings;
  for (const line of m[1].split(/\r?\n/)) {
    const kv = /^([A-Za-z-]+):[ \t]*(.*?)[ \t]*$/.exec(line);
    if (!kv) continue;
    const value = unquote(kv[2]);
    switch (kv[1]) {
      case 'csl':
        if (value) settings.csl = value;
        break;
      case 'lang':
        if (value) settings.lang = value;
        break;
      case 'suppress-bibliography':
        settings.suppressBibliography = /^(true|yes|on)$/i.test(value);
        break;
      case 'reference-section-title':
        if (value) settings.referenceSectionTitle = value;
        break;
    }
  }
  return settings;
}

function unquote(value: string): string {
  const v = value.replace(/\s+#.*$/, '');
  return /^(['"]).*\1$/.test(v) ? v.slice(1, -1) : v;
}

// ------------------------------------------------------------------------------------------------------------------
// Formatting, once per render

function prepare(tokens: Token[], env: unknown, source: CitationSource): RenderState {
  const index = new Map<Token, number>();
  const groups: CitationGroup[] = [];
  const collect = (list: Token[]) => {
    for (const token of list) {
      if (token.type === CITE) {
        index.set(token, groups.length);
        groups.push(token.meta as CitationGroup);
      } else if (token.children) {
        collect(token.children);
      }
    }
  };
  collect(tokens);
  const settings = noteSettings(tokens);
  const state: RenderState = { index, bibliographyPlaced: false, suppressBibliography: settings.suppressBibliography === true };
  if (groups.length === 0) return state;
  const document = currentDocument(env);
  const keys = [...new Set(groups.flatMap(groupKeys))];
  const items = source.items(document, keys);
  if (!items) return state;
  const style = source.style(document, settings);
  state.notice = style.notice;
  try {
    const options = { style: style.xml, lang: style.lang, bibliographyLater: source.later !== undefined };
    state.formatted = source.format ? source.format(groups, items.items, options) : formatCitations(groups, items.items, options);
    if (state.formatted.finish) source.later!(state.formatted.finish);
  } catch (e) {
    // A broken style (a user's .csl) must not blank the preview: citations stay as written, and say why.
    state.notice = `Citations could not be formatted: ${e instanceof Error ? e.message : String(e)}`;
  }
  return state;
}

/** VS Code's preview renders with `env.currentDocument` (a vscode.Uri); tests pass a string. */
function currentDocument(env: unknown): string | undefined {
  const doc = (env as { currentDocument?: unknown } | undefined)?.currentDocument;
  return doc === undefined || doc === null ? undefined : String(doc);
}
