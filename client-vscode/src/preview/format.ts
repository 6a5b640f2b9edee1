// Formats a note's citations and bibliography with citeproc-js from CSL-JSON items (as the server's
// paperNotes/cslItems sends them). Pure: items, a style's XML and a language in, HTML out; no vscode.
import type * as CSL from 'citeproc';
import { CitationGroup, CitationItem, groupKeys } from './syntax';
import { localeXml } from './styles';
import { speedUp, speedUpEngine, updateItemsSortLater } from './citeproc-speed';

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
  /**
   * The caller can show the in-text citations first and the bibliography after: a bibliography of at least
   * BIBLIOGRAPHY_LATER_FROM items not formatted yet is left out, and `Formatted.finish` formats it.
   */
  bibliographyLater?: boolean;
}

/**
 * From this many cited items a bibliography not formatted yet may come later: it costs about 1 ms an item, as much as
 * the in-text citations (APA) or ten times as much (Vancouver). A smaller one costs less than a second render would.
 */
export const BIBLIOGRAPHY_LATER_FROM = 50;

export interface FormattedGroup {
  /** The in-text citation as HTML: `(Vaswani et al., 2017, p. 3)`, `Vaswani et al. (2017)`; unknown keys as `(@key?)`. */
  html: string;
  /** Plain text for the mouse-over: the cited titles. */
  title: string;
}

export interface Formatted {
  groups: FormattedGroup[];
  /**
   * The bibliography of every known cited item as HTML (`<div class="csl-bib-body">`), empty when none is known;
   * undefined when it comes later (`bibliographyLater`): then `finish` formats it.
   */
  bibliography?: string;
  /** Formats the bibliography left out, so that formatting the same answer again gives all of it at once. */
  finish?: () => void;
  /** The bibliography as its parts, when it is formatted and not empty: to merge with another engine's (parallel.ts). */
  parts?: BibliographyParts;
}

/** A bibliography as what goes around its entries and each entry in order, with the first key that ordered it. */
export interface BibliographyParts {
  start: string;
  end: string;
  entries: { id: string; html: string; first: unknown }[];
}

/**
 * What an engine's registry shares across items, by which two engines that formatted disjoint items could disagree
 * with one engine formatting all of them: the items' ambiguity keys (citeproc's `ambig`, the cite as disambiguation
 * compares it) and the name registry's keys (the family names given-name disambiguation compares across items).
 */
export interface RegistryFacts {
  ambiguity: string[];
  names: string[];
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

// Loaded on the first citation to format, not at activation (the extension bundle requires it as ./citeproc.js).
let citeproc: typeof CSL | undefined;
const load = (): typeof CSL => {
  if (!citeproc) {
    citeproc = require('citeproc') as typeof CSL;
    speedUp(citeproc);
  }
  return citeproc;
};

// Building a citeproc-js engine parses its style (0.5–1 s for APA): one engine per style and language, kept across
// server answers and notes. Its registry holds the items of the note it formatted last; a new answer registers only
// the items that are new or changed (citeproc's updateItems is incremental: deleted, inserted and changed items, and
// the disambiguation of their groups), so a re-answer with the same items costs a JSON comparison, not a reformat.
interface Formatter {
  engine: CSL.Engine;
  /** The answer whose items the registry holds (the engine's retrieveItem reads it). */
  items: ReadonlyMap<string, CslItem>;
  /** Each registered item as JSON, to find the items a new answer changed. */
  registered: Map<string, string>;
  /** The cited keys the registry holds, in first-citation order, joined. */
  cited: string;
  /** What was formatted for this registry state (shared by every answer with the same items and cited keys). */
  results?: Results;
  /** The registry's bibliography order, left by the last update until a bibliography or another update needs it. */
  sortLater?: () => void;
}

/** What one registry state formatted: clusters by their cite items, in-text authors by key, the bibliography. */
interface Results {
  cited: string;
  clusters: Map<string, string>;
  authors: Map<string, string>;
  bibliography?: string;
  parts?: BibliographyParts;
}

/** At most this many engines (style × language) are kept; a changed .csl file is another style. */
const MAX_ENGINES = 4;
const formatters = new Map<string, Formatter>();
/** The results of each answer (items map) and style: re-rendering a note, or another open note, formats nothing. */
const resultsByAnswer = new WeakMap<ReadonlyMap<string, CslItem>, Map<string, Results>>();

/** Forgets every engine: the next format builds its engine anew (tests compare that with a reused engine). */
export function resetFormatters(): void {
  formatters.clear();
}

function formatterFor(id: string, options: FormatOptions): Formatter {
  let formatter = formatters.get(id);
  if (formatter) {
    formatters.delete(id); // most recently used last
  } else {
    const sys: CSL.Sys = {
      retrieveLocale: (lang) => localeXml(lang),
      retrieveItem: (key) => formatter!.items.get(key),
    };
    // A note's `lang:` wins over the style's default-locale, as in pandoc.
    const { Engine } = load();
    const engine = options.lang ? new Engine(sys, options.style, options.lang, true) : new Engine(sys, options.style);
    engine.setOutputFormat('html');
    speedUpEngine(engine);
    formatter = { engine, items: new Map(), registered: new Map(), cited: '' };
  }
  formatters.set(id, formatter);
  if (formatters.size > MAX_ENGINES) formatters.delete(formatters.keys().next().value!);
  return formatter;
}

/**
 * Brings an engine's registry to an answer's items and cited keys: items whose content changed are deleted first
 * (citeproc keeps a registered item's data), then the cited keys are registered in first-citation order (numeric
 * styles number so). Returns whether anything changed, i.e. whether formatted results of before are stale.
 */
function sync(entry: Formatter, items: ReadonlyMap<string, CslItem>, cited: string[], citedKey: string): boolean {
  const changed = new Set<string>();
  if (entry.items !== items) {
    for (const [key, json] of entry.registered) {
      const item = items.get(key);
      if (item && JSON.stringify(item) !== json) changed.add(key);
    }
    entry.items = items;
  }
  if (changed.size === 0 && citedKey === entry.cited) return false;
  const { engine } = entry;
  sortNow(entry);
  if (changed.size > 0) engine.updateItems(cited.filter((key) => !changed.has(key)));
  // The registry in first-citation order, disambiguated once; each cluster is then made alone.
  // rebuildProcessorState would also track positions (ibid., subsequent), at O(n²): 300 citations 0.6 s.
  // The bibliography's order waits for the bibliography, which may come in a later render.
  entry.sortLater = updateItemsSortLater(engine, cited);
  entry.cited = citedKey;
  const registered = new Map<string, string>();
  for (const key of cited) registered.set(key, (!changed.has(key) && entry.registered.get(key)) || JSON.stringify(items.get(key)));
  entry.registered = registered;
  entry.results = undefined;
  return true;
}

/** Completes the registry's last update (its bibliography order), if that was left for later. */
function sortNow(entry: Formatter): void {
  const sortLater = entry.sortLater;
  entry.sortLater = undefined;
  sortLater?.();
}

/** The engine of a style and language: the key of its formatter. */
export function styleId(options: FormatOptions): string {
  return `${options.lang ?? ''}\u0000${options.style}`;
}

/** The keys the groups cite that have an item, each once, in order of first citation. */
export function citedKeys(groups: CitationGroup[], items: ReadonlyMap<string, CslItem>): string[] {
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
  return cited;
}

/** Builds the engine of a style and language now, if it is not built (a worker's, before its first note). */
export function prepareEngine(options: FormatOptions): void {
  formatterFor(styleId(options), options);
}

/** What the registry of the style's engine shares across items (see RegistryFacts), for the items it holds. */
export function registryFacts(options: FormatOptions): RegistryFacts {
  const formatter = formatters.get(styleId(options));
  if (!formatter) return { ambiguity: [], names: [] };
  const registry = (formatter.engine as unknown as EngineRegistry).registry;
  const ambiguity = new Set<string>();
  for (const key of formatter.registered.keys()) {
    const ambig = registry.registry[key]?.ambig;
    if (typeof ambig === 'string') ambiguity.add(ambig);
  }
  return { ambiguity: [...ambiguity], names: Object.keys(registry.namereg.namereg) };
}

/**
 * How the style's bibliography orders two entries by their first sort keys (negative: a first); 0 when they tie on it
 * (then only their other keys or their order of registration decide); undefined when the style does not sort (the
 * order of citation).
 */
export function compareFirstKeys(options: FormatOptions): ((a: unknown, b: unknown) => number) | undefined {
  const engine = formatterFor(styleId(options), options).engine as unknown as EngineRegistry;
  if (engine.bibliography_sort.tokens.length === 0) return undefined;
  const sorter = engine.registry.sorter;
  return (a, b) => sorter.compareKeys({ sortkeys: [a], seq: 0 }, { sortkeys: [b], seq: 0 });
}

/** The registry internals read above. */
interface EngineRegistry {
  registry: {
    registry: Record<string, { ambig?: unknown; sortkeys?: unknown[] | false } | undefined>;
    namereg: { namereg: Record<string, unknown>; nameind: unknown; nameindpkeys: unknown; itemkeyreg: unknown };
    sorter: { compareKeys(a: { sortkeys: unknown[]; seq: number }, b: { sortkeys: unknown[]; seq: number }): number };
  };
  bibliography_sort: { tokens: unknown[] };
  tmp: { taintedItemIDs: Record<string, boolean> };
}

/** Formats every group in order (so numeric styles number by first citation) and the bibliography. */
export function formatCitations(groups: CitationGroup[], items: ReadonlyMap<string, CslItem>, options: FormatOptions): Formatted {
  const id = styleId(options);
  const cited = citedKeys(groups, items);
  const citedKey = cited.join('\u0000');
  let byStyle = resultsByAnswer.get(items);
  if (!byStyle) resultsByAnswer.set(items, (byStyle = new Map()));
  let results = byStyle.get(id);
  if (results?.cited !== citedKey) byStyle.set(id, (results = { cited: citedKey, clusters: new Map(), authors: new Map() }));
  // The engine, its registry made this answer's: only when something is not formatted yet.
  let ready: CSL.Engine | undefined;
  let formatter: Formatter | undefined;
  const engine = (): CSL.Engine => {
    if (ready) return ready;
    formatter = formatterFor(id, options);
    let stale: boolean;
    try {
      stale = sync(formatter, items, cited, citedKey);
    } catch (e) {
      formatters.delete(id); // a registry left half-updated is not reused
      if (formatter.registered.size === 0) throw e;
      // citeproc-js 2.4's incremental update can throw where registering afresh does not (after deletions, its reset
      // of an ambiguity group left with one item reads another group): once more, on a new engine.
      formatter = formatterFor(id, options);
      try {
        stale = sync(formatter, items, cited, citedKey);
      } catch (again) {
        formatters.delete(id);
        throw again;
      }
    }
    if (!stale && formatter.results && formatter.results !== results) {
      // Another answer with the same items and cited keys (a re-answer after a save or a library change): what was
      // formatted for it is this answer's too.
      const previous = formatter.results;
      for (const [k, v] of results!.clusters) previous.clusters.set(k, v);
      for (const [k, v] of results!.authors) previous.authors.set(k, v);
      byStyle!.set(id, (results = previous));
    }
    formatter.results = results;
    return (ready = formatter.engine);
  };
  const sorted = (e: CSL.Engine, f: Formatter): CSL.Engine => {
    try {
      sortNow(f);
    } catch (err) {
      formatters.delete(id); // a registry left half-updated is not reused
      throw err;
    }
    return e;
  };
  const clusterOf = (citeItems: CSL.CiteItem[], unsorted: boolean): string => {
    const signature = JSON.stringify([citeItems, unsorted]);
    let html = results!.clusters.get(signature);
    if (html === undefined) {
      const e = engine();
      html = results!.clusters.get(signature) ?? (unsorted ? unsortedCluster(e, citeItems) : e.makeCitationCluster(citeItems));
      results!.clusters.set(signature, html);
    }
    return html;
  };
  const authorOf = (key: string): string => {
    let html = results!.authors.get(key);
    if (html === undefined) {
      const e = engine();
      html = results!.authors.get(key) ?? e.makeCitationCluster([{ id: key, 'author-only': true }]);
      // Numeric styles print no author in citations: name the authors plainly, as one would write them.
      if (!html || html.includes('NO_PRINTED_FORM')) html = escapeHtml(plainAuthors(items.get(key)!));
      results!.authors.set(key, html);
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
  if (results.bibliography === undefined && cited.length > 0) engine();
  if (results.bibliography === undefined && options.bibliographyLater && cited.length >= BIBLIOGRAPHY_LATER_FROM) {
    return { groups: formatted, finish: () => finishBibliography(groups, items, options, results!) };
  }
  if (results.bibliography === undefined) {
    const e = cited.length > 0 ? sorted(engine(), formatter!) : undefined;
    const bib = e ? bibliographyOf(e) : false;
    results.bibliography = bib ? bib[0].bibstart + bib[1].join('') + bib[0].bibend : '';
    if (bib) {
      const registry = (e as unknown as EngineRegistry).registry.registry;
      const entries = bib[1].map((html, i) => {
        const key = bib[0].entry_ids[i][0];
        const sortkeys = registry[key]?.sortkeys;
        return { id: key, html, first: sortkeys ? sortkeys[0] : undefined };
      });
      results.parts = { start: bib[0].bibstart, end: bib[0].bibend, entries };
    }
  }
  return { groups: formatted, bibliography: results.bibliography, parts: results.parts };
}

/**
 * The engine's bibliography, its name registry as it was before. Rendering a bibliography registers every name it
 * prints (co-authors too) in the registry that given-name disambiguation reads; citations formatted after it (a new
 * locator, a key cited anew, the next answer) would then add initials that a fresh engine does not ("H. de Vries"
 * because a co-author elsewhere is "M. de Vries"). citeproc-js 2.4 does this; the registry is put back.
 */
function bibliographyOf(engine: CSL.Engine): CSL.BibliographyResult | false {
  const internals = engine as unknown as EngineRegistry;
  const names = internals.registry.namereg;
  // One clone: nameindpkeys holds references into namereg, which must stay shared.
  const saved = structuredClone({ namereg: names.namereg, nameind: names.nameind, nameindpkeys: names.nameindpkeys, itemkeyreg: names.itemkeyreg });
  // What the bibliography's names marked for disambiguation again, because of names it registered.
  const tainted = { ...internals.tmp.taintedItemIDs };
  try {
    return engine.makeBibliography();
  } finally {
    Object.assign(names, saved);
    internals.tmp.taintedItemIDs = tainted;
  }
}

/**
 * Formats the note again without `bibliographyLater`: every cluster is cached for this answer, so that formats the
 * bibliography only (with the registry brought back to this answer if another note was formatted in between). A
 * failure leaves it empty, so that the next render does not wait for it again.
 */
function finishBibliography(groups: CitationGroup[], items: ReadonlyMap<string, CslItem>, options: FormatOptions, results: Results): void {
  try {
    formatCitations(groups, items, { ...options, bibliographyLater: false });
  } catch (e) {
    results.bibliography ??= '';
    throw e;
  }
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
