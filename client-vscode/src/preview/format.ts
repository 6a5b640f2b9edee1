// Formats a note's citations and bibliography with citeproc-js from CSL-JSON items (as the server's
// paperNotes/cslItems sends them). Pure: items, a style's XML and a language in, HTML out; no vscode.
import type * as CSL from 'citeproc';
import { CitationGroup, CitationItem, groupKeys } from './syntax';
import { localeXml } from './styles';

/** A CSL-JSON item; only what the preview reads itself is typed. */
export interface CslItem {
  id: string;
  title?: string;
  author?: { family?: string; given?: string; literal?: string }[];
  [variable: string]: unknown;
}

export interface FormatOptions {
  /** The style's CSL XML. */
  style: string;
  /** A bundled locale tag (`de-DE`); the style's default locale (else en-US) when absent. */
  lang?: string;
}

export interface FormattedGroup {
  /** The in-text citation as HTML: `(Vaswani et al., 2017, p. 3)`, `Vaswani et al. (2017)`; unknown keys as `(@key?)`. */
  html: string;
  /** Plain text for the mouse-over: the cited titles. */
  title: string;
}

export interface Formatted {
  groups: FormattedGroup[];
  /** The bibliography of every known cited item as HTML (`<div class="csl-bib-body">`), empty when none is known. */
  bibliography: string;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

// Loaded on the first citation to format, not at activation (the extension bundle requires it as ./citeproc.js).
let citeproc: typeof CSL | undefined;
const load = (): typeof CSL => (citeproc ??= require('citeproc') as typeof CSL);

// An engine parses its style once (0.3–0.6 s for APA): one per items map (one server answer), style and language.
// Beside it, what it formatted for the current set of cited keys: re-rendering a note (a refresh, a keystroke that
// touches no citation) then costs nothing, and a changed citation costs one cluster. A key cited or no longer cited
// changes numbering and the bibliography: everything is formatted again.
interface Formatter {
  engine: CSL.Engine;
  cited: string;
  clusters: Map<string, string>;
  authors: Map<string, string>;
  bibliography?: string;
}

const formatters = new WeakMap<ReadonlyMap<string, CslItem>, Map<string, Formatter>>();

function formatterFor(items: ReadonlyMap<string, CslItem>, options: FormatOptions): Formatter {
  let byStyle = formatters.get(items);
  if (!byStyle) formatters.set(items, (byStyle = new Map()));
  const id = `${options.lang ?? ''}\u0000${options.style}`;
  let formatter = byStyle.get(id);
  if (!formatter) {
    const sys: CSL.Sys = {
      retrieveLocale: (lang) => localeXml(lang),
      retrieveItem: (key) => items.get(key),
    };
    // A note's `lang:` wins over the style's default-locale, as in pandoc.
    const { Engine } = load();
    const engine = options.lang ? new Engine(sys, options.style, options.lang, true) : new Engine(sys, options.style);
    engine.setOutputFormat('html');
    byStyle.set(id, (formatter = { engine, cited: '', clusters: new Map(), authors: new Map() }));
  }
  return formatter;
}

/** Formats every group in order (so numeric styles number by first citation) and the bibliography. */
export function formatCitations(groups: CitationGroup[], items: ReadonlyMap<string, CslItem>, options: FormatOptions): Formatted {
  const formatter = formatterFor(items, options);
  const { engine } = formatter;
  const cited: string[] = [];
  const seen = new Set<string>();
  for (const group of groups) {
    for (const key of groupKeys(group)) {
      if (items.has(key) && !seen.has(key)) {
        seen.add(key);
        cited.push(key);
      }
    }
  }
  const citedKey = cited.join('\u0000');
  if (citedKey !== formatter.cited) {
    // The registry in first-citation order (numeric styles number so), disambiguated once; each cluster is then
    // made alone. rebuildProcessorState would also track positions (ibid., subsequent), at O(n²): 300 citations 0.6 s.
    engine.updateItems(cited);
    formatter.cited = citedKey;
    formatter.clusters.clear();
    formatter.authors.clear();
    formatter.bibliography = undefined;
  }
  const clusterOf = (citeItems: CSL.CiteItem[], unsorted: boolean): string => {
    const signature = JSON.stringify([citeItems, unsorted]);
    let html = formatter.clusters.get(signature);
    if (html === undefined) {
      html = unsorted ? unsortedCluster(engine, citeItems) : engine.makeCitationCluster(citeItems);
      formatter.clusters.set(signature, html);
    }
    return html;
  };
  const authorOf = (key: string): string => {
    let html = formatter.authors.get(key);
    if (html === undefined) {
      html = engine.makeCitationCluster([{ id: key, 'author-only': true }]);
      // Numeric styles print no author in citations: name the authors plainly, as one would write them.
      if (!html || html.includes('NO_PRINTED_FORM')) html = escapeHtml(plainAuthors(items.get(key)!));
      formatter.authors.set(key, html);
    }
    return html;
  };
  const formatted = groups.map((group): FormattedGroup => {
    const parts: string[] = [];
    const first = group.items[0];
    const known = group.items.filter((item) => items.has(item.key));
    // `@a [@b]`: a's year comes first, where its author was printed; the style's sort would move it.
    const cluster = known.length > 0 ? clusterOf(known.map(citeItem), first.mode === 'in-text') : undefined;
    if (first.mode === 'in-text' && items.has(first.key)) {
      parts.push(cluster ? `${authorOf(first.key)} ${cluster}` : authorOf(first.key));
    } else if (cluster) {
      parts.push(cluster);
    }
    for (const item of group.items) {
      if (!items.has(item.key)) parts.push(`<span class="pn-cite-unknown">(@${escapeHtml(item.key)}?)</span>`);
    }
    const title = group.items
      .map((item) => items.get(item.key)?.title ?? `@${item.key}: not in any library`)
      .join('; ');
    return { html: parts.join(' '), title };
  });
  if (formatter.bibliography === undefined) {
    const bib = cited.length > 0 ? engine.makeBibliography() : false;
    formatter.bibliography = bib ? bib[0].bibstart + bib[1].join('') + bib[0].bibend : '';
  }
  return { groups: formatted, bibliography: formatter.bibliography };
}

/** makeCitationCluster sorts by the style's citation sort, with no `unsorted` flag as processCitationCluster has: its
 * sort keys are emptied for the call (the test 'every citation form' checks `@a [@b]` keeps a first). */
function unsortedCluster(engine: CSL.Engine, items: CSL.CiteItem[]): string {
  const tokens = engine.citation_sort.tokens;
  engine.citation_sort.tokens = [];
  try {
    return engine.makeCitationCluster(items);
  } finally {
    engine.citation_sort.tokens = tokens;
  }
}

function plainAuthors(item: CslItem): string {
  const names = (item.author ?? []).map((n) => n.literal ?? n.family ?? n.given ?? '').filter((n) => n);
  if (names.length === 0) return item.title ?? item.id;
  if (names.length === 1) return names[0];
  if (names.length === 2) return `${names[0]} and ${names[1]}`;
  return `${names[0]} et al.`;
}

function citeItem(item: CitationItem, position: number): CSL.CiteItem {
  const cite: CSL.CiteItem = { id: item.key };
  if (item.prefix) cite.prefix = affix(item.prefix) + ' ';
  const { label, locator, rest } = splitLocator(item.suffix);
  if (locator) {
    cite.locator = locator;
    cite.label = label;
  }
  if (rest) cite.suffix = affix(rest);
  // The author of an in-text citation is printed before the cluster; the cluster holds the year and locator.
  if (item.mode === 'suppress-author' || (item.mode === 'in-text' && position === 0)) cite['suppress-author'] = true;
  return cite;
}

/** Affixes are text with CSL's few tags (citeproc escapes everything else): Markdown emphasis becomes <i>/<b>. */
function affix(text: string): string {
  return text
    .replace(/\*\*(.+?)\*\*/g, '<b>$1</b>')
    .replace(/(^|[^\w*])[*_](.+?)[*_](?![\w*])/g, '$1<i>$2</i>');
}

// Pandoc's locator terms (citeproc's English abbreviations) → CSL locator labels.
const LABELS: [RegExp, string][] = [
  [/^(?:p|pp|pg|pgs|page|pages)$/, 'page'],
  [/^(?:ch|chs|chap|chaps|chapter|chapters)$/, 'chapter'],
  [/^(?:sec|secs|sect|section|sections|§|§§)$/, 'section'],
  [/^(?:vol|vols|volume|volumes)$/, 'volume'],
  [/^(?:fig|figs|figure|figures)$/, 'figure'],
  [/^(?:para|paras|paragraph|paragraphs|¶|¶¶)$/, 'paragraph'],
  [/^(?:n|nn|note|notes)$/, 'note'],
  [/^(?:l|ll|line|lines)$/, 'line'],
  [/^(?:no|nos|number|numbers)$/, 'number'],
  [/^(?:pt|pts|part|parts)$/, 'part'],
  [/^(?:bk|bks|book|books)$/, 'book'],
  [/^(?:col|cols|column|columns)$/, 'column'],
  [/^(?:v|vv|verse|verses)$/, 'verse'],
  [/^(?:fol|fols|folio|folios)$/, 'folio'],
  [/^(?:op|opp|opus)$/, 'opus'],
];

/**
 * Pandoc's locator in a suffix: `, p. 33`, `pp. 3-4`, `ch. 2`, `33` (a bare number is a page). What follows the
 * locator stays a suffix (`, p. 33, emphasis added`). No locator: the suffix as written.
 */
export function splitLocator(suffix: string): { label?: string; locator?: string; rest: string } {
  const m = /^\s*,?\s*(?:([a-zA-Z]+|§§?|¶¶?)\.?\s*)?(\d[\w\-–:.]*?|[ivxlcdmIVXLCDM]+)((?:\s*(?:,|&|and)\s*\d[\w\-–:.]*?)*)(?=$|[\s,;])(.*)$/s.exec(suffix);
  if (!m) return { rest: suffix };
  const [, term, first, more, rest] = m;
  const label = term === undefined ? 'page' : LABELS.find(([re]) => re.test(term.toLowerCase()))?.[1];
  if (!label || (term === undefined && !/^\d/.test(first))) return { rest: suffix };
  return { label, locator: (first + more).replace(/[.,]$/, ''), rest: rest.trim() ? rest.replace(/^\s*/, ' ').replace(/^ ,/, ',') : '' };
}
