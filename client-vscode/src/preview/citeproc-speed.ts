// citeproc-js internals replaced at load by faster equivalents with the same results (profiled on the preview bench:
// a 300-item note). Among them:
// - CSL.toLocaleLowerCase/UpperCase call String#toLocaleLowerCase(langArray) for every name initial, title word and
//   sort key: with a locale list V8 canonicalizes it on every call (2.4 µs against 0.02 µs). Only Turkish,
//   Azerbaijani, Lithuanian (and Greek, upper case) map case differently from the plain mapping, and V8 looks at the
//   list's first tag only; so any other first language takes the plain mapping, and those four the original path.
// - CSL.getSortCompare's comparer calls String#localeCompare(b, locale, options), which builds an ICU collator per
//   call (9 µs against 0.3 µs): the same comparison with one Intl.Collator per engine.
// - The bibliography's order from first sort keys, all keys only for items that tie on the first (see firstSortKey).
// Applied once, when citeproc is first loaded; the node tests check them against the originals.
import type * as CSL from 'citeproc';

interface CslInternals {
  toLocaleLowerCase(this: { tmp: { lang_array: unknown } }, s: string): string;
  toLocaleUpperCase(this: { tmp: { lang_array: unknown } }, s: string): string;
  getSortCompare(this: unknown, defaultLocale?: string): (a: string, b: string) => number;
  stringCompare?: (a: string, b: string) => number;
  speedUp?: boolean;
  /** The originals of what is replayed, for the tests that compare. */
  speedUpOriginals?: { parseParticles(name: Record<string, unknown>): void };
  Disambiguation: { prototype: DisambiguationInternals };
  getSortKeys(this: unknown, item: unknown, keyType: 'bibliography_sort'): unknown[];
  SUPERSCRIPTS_REGEXP: RegExp;
  Util: { Names: { initializeWith(state: NamesState, name: string, terminator: string, normalizeOnly: boolean): string } };
  parseParticles(name: Record<string, unknown>): void;
  NUMERIC: unknown;
  END: unknown;
  Registry: { prototype: RegistryInternals };
  tokenExec(this: TokenState, token: Token, Item: unknown, item: unknown): number;
  Stack: { prototype: { value(this: { mystack: unknown[] }): unknown } };
  getSafeEscape(state: EscapeState): (text: string) => string;
  Output: { Formats: Record<string, { text_escape(text: string | undefined): string }> };
}

/** What CSL.getSafeEscape reads of an engine. */
interface EscapeState {
  tmp: { area: string };
  opt: { mode: string; development_extensions: { thin_non_breaking_space_html_hack?: boolean } };
}

/** What CSL.tokenExec reads of a compiled style token. */
interface Token {
  next: number;
  succeed: number;
  fail: number;
  test?: (Item: unknown, item: unknown) => unknown;
  execs: ((this: Token, state: TokenState, Item: unknown, item: unknown) => number | false | undefined)[];
}

interface TokenState {
  tmp: { jump: { replace(value: string): void } };
}

/** What CSL.Util.Names.initializeWith reads of an engine besides its arguments. */
interface NamesState {
  opt: Record<string, unknown>;
  tmp: { lang_array: unknown };
}

/** The part of citeproc-js's disambiguator the helpers here touch. */
interface DisambiguationInternals {
  run(this: DisambiguationInternals, akey: string): void;
  disYears(this: DisambiguationInternals): void;
  ambigcites: Record<string, unknown[] | undefined>;
  registry: Record<string, RegistryEntry | undefined>;
  lists: [unknown, { id: string }[]][];
  listpos: number;
  state: EngineInternals;
}

interface RegistryEntry {
  /** The bibliography's sort keys; undefined until computed. */
  sortkeys?: unknown[] | false;
  seq?: number;
}

/** The registry steps citeproc-js's updateItems runs, of which the bibliography's order can wait. */
interface RegistryInternals {
  registry: Record<string, RegistryEntry>;
  mylist: string[];
  touched: Record<string, boolean>;
  setsortkeys(): void;
  sorttokens(nosort?: boolean): void;
  renumber(): void;
  /** The bibliography's comparison: key by key, then by seq. */
  sorter: { compareKeys(a: RegistryEntry, b: RegistryEntry): number };
  state: EngineInternals;
}

interface EngineInternals {
  registry: RegistryInternals;
  fun: { flipflopper: { processTags(blob: { blobs: unknown }): void } };
  getTerm(term: string): string | undefined;
  opt: { update_mode: unknown };
  bibliography_sort: { tokens: { name?: string; tokentype?: unknown }[] };
  tmp: { area: string; root: string; extension: string; taintedItemIDs: Record<string, boolean> };
  retrieveItem(id: string): unknown;
}

let loaded: CslInternals | undefined;

/** What CSL.parseParticles may set on a name. */
const PARTICLE_FIELDS = ['family', 'given', 'suffix', 'comma-suffix', 'non-dropping-particle', 'dropping-particle', 'comma-dropping-particle'];

/** Languages whose case mapping is not the plain (locale-independent) one in V8/ICU. */
const SPECIAL_CASE = new Set(['tr', 'az', 'lt', 'el']);

/** Whether toLocale*Case(langArray) gives the plain mapping: a first tag of another language. */
function plainCase(langs: unknown): boolean {
  if (!Array.isArray(langs) || langs.length === 0 || typeof langs[0] !== 'string') return false;
  const language = /^[A-Za-z]+/.exec(langs[0])?.[0].toLowerCase();
  return language !== undefined && !SPECIAL_CASE.has(language);
}

export function speedUp(citeproc: typeof CSL): void {
  const csl = citeproc as unknown as CslInternals;
  loaded = csl;
  if (csl.speedUp) return;
  csl.speedUp = true;
  const lower = csl.toLocaleLowerCase;
  const upper = csl.toLocaleUpperCase;
  csl.toLocaleLowerCase = function (s) {
    return plainCase(this.tmp.lang_array) ? s.toLowerCase() : lower.call(this, s);
  };
  csl.toLocaleUpperCase = function (s) {
    return plainCase(this.tmp.lang_array) ? s.toUpperCase() : upper.call(this, s);
  };
  const original = csl.getSortCompare;
  csl.getSortCompare = function (defaultLocale) {
    if (csl.stringCompare) return csl.stringCompare;
    const locale = defaultLocale || 'en-US';
    let collator: Intl.Collator;
    try {
      collator = new Intl.Collator(locale, { sensitivity: 'base', ignorePunctuation: true, numeric: true });
    } catch {
      return original.call(this, defaultLocale); // a locale Intl rejects: the original's behaviour, whatever it is
    }
    const me = this as { tmp: { lang_array: unknown } };
    // As the original: both sides lower-cased in the engine's language, compared; a leading bracket or quote ignored
    // when the collator does not ignore it already.
    const strcmp = (a: string, b: string) => collator.compare(csl.toLocaleLowerCase.call(me, a), csl.toLocaleLowerCase.call(me, b));
    const stripPunct = (s: string) => s.replace(/^[\[\]'"]*/g, '');
    if (!strcmp('[x', 'x')) return strcmp;
    return (a, b) => strcmp(stripPunct(a), stripPunct(b));
  };
  const run = csl.Disambiguation.prototype.run;
  csl.Disambiguation.prototype.run = function (akey) {
    // An ambiguity group of one item has nothing to disambiguate: the original renders its cite once more and
    // registers nothing (its lists stay empty); most of a note's items are alone in their group.
    if ((this.ambigcites[akey]?.length ?? 0) < 2) return;
    run.call(this, akey);
  };
  const html = csl.Output.Formats.html!;
  const escape = html.text_escape;
  // The HTML output's escaping runs five replaces over every string, nearly all of them empty ("" for nothing, as the
  // original answers) or with nothing any replace changes (&, <, >, two white spaces in a row, a superscript letter).
  const escaped = new RegExp(`[&<>]|\\s\\s|${csl.SUPERSCRIPTS_REGEXP.source}`);
  html.text_escape = function (text) {
    if (!text) return '';
    return escaped.test(text) ? escape.call(this, text) : text;
  };
  // Given names are initialized ("Ashish" → "A.") each time a name is rendered, a few times per item: the same name,
  // terminator and mode give the same string, in the engine's language and hyphen setting (all it reads).
  const names = csl.Util.Names;
  const initializeWith = names.initializeWith;
  const initialized = new WeakMap<NamesState, Map<string, string>>();
  names.initializeWith = function (state, name, terminator, normalizeOnly) {
    if (typeof name !== 'string' || (terminator !== undefined && typeof terminator !== 'string')) {
      return initializeWith.call(this, state, name, terminator, normalizeOnly);
    }
    let memo = initialized.get(state);
    if (!memo) initialized.set(state, (memo = new Map()));
    const langs = state.tmp.lang_array;
    const key = `${name}\u0000${terminator ?? ''}\u0000${normalizeOnly ? 1 : 0}\u0000${String(state.opt['initialize-with-hyphen'])}\u0000${Array.isArray(langs) ? langs.join(',') : String(langs)}`;
    let result = memo.get(key);
    if (result === undefined) {
      result = initializeWith.call(this, state, name, terminator, normalizeOnly);
      memo.set(key, result);
    }
    return result;
  };
  // A name's particles ("van der", "de la") and a suffix in its given name ("John, Jr.") are split off each time the
  // name is rendered (a copy of it: several times per item and render), with regular expressions run over the reversed
  // given name. It reads and writes only PARTICLE_FIELDS: names alike in all of them (present or not, and their values)
  // are changed alike, so the changes of the first are replayed on the others. (Alike in the fields it reads is not
  // enough: a particle it writes, which one name had already and another has not, is a change for the second only.)
  const parseParticles = csl.parseParticles;
  csl.speedUpOriginals = { parseParticles };
  const parsed = new Map<string, [string, unknown][]>();
  csl.parseParticles = function (name) {
    if (typeof name.family !== 'string' || typeof name.given !== 'string') return parseParticles.call(this, name);
    let key = '';
    for (const field of PARTICLE_FIELDS) {
      const value = name[field];
      if (!(field in name)) key += '\u0000-';
      else if (typeof value === 'string' || typeof value === 'boolean' || value === undefined) key += `\u0000+${typeof value}:${String(value)}`;
      else return parseParticles.call(this, name);
    }
    let changes = parsed.get(key);
    if (changes) {
      for (const [field, value] of changes) name[field] = value;
      return;
    }
    const before = PARTICLE_FIELDS.map((field) => [field in name, name[field]]);
    parseParticles.call(this, name);
    changes = [];
    PARTICLE_FIELDS.forEach((field, i) => {
      if (field in name !== before[i][0] || name[field] !== before[i][1]) changes!.push([field, name[field]]);
    });
    if (parsed.size >= 10_000) parsed.clear(); // a bound: a library's names, not every name ever previewed
    parsed.set(key, changes);
  };
  // The style interpreter's step, run for every token of every render (~400,000 a 300-item note): the original makes
  // a closure per call.
  csl.tokenExec = function (token, Item, item) {
    let next = token.next;
    if (token.test) {
      if (token.test(Item, item)) {
        this.tmp.jump.replace('succeed');
        next = token.succeed;
      } else {
        this.tmp.jump.replace('fail');
        next = token.fail;
      }
    }
    const execs = token.execs;
    for (let i = 0, n = execs.length; i < n; i++) {
      const maybe = execs[i].call(token, this, Item, item);
      if (maybe) next = maybe;
    }
    return next;
  };
  // The top of a stack, read ~600,000 times a 300-item note: the original copies it into a new array first.
  csl.Stack.prototype.value = function () {
    const stack = this.mystack;
    return stack[stack.length - 1];
  };
  // The escaping of each output string is looked up per string (~100,000 times a note): the original builds an array to
  // test the area and, outside citations and the bibliography (sort keys, disambiguation), a new identity function.
  const getSafeEscape = csl.getSafeEscape;
  const identity = (text: string) => text;
  csl.getSafeEscape = function (state) {
    const area = state.tmp.area;
    if (area !== 'bibliography' && area !== 'citation') return identity;
    if (state.opt.development_extensions.thin_non_breaking_space_html_hack && state.opt.mode === 'html') return getSafeEscape.call(this, state);
    return csl.Output.Formats[state.opt.mode].text_escape;
  };
  const disYears = csl.Disambiguation.prototype.disYears;
  csl.Disambiguation.prototype.disYears = function () {
    // Year suffixes go in the bibliography's order: with that order left for later (updateItemsSortLater), the
    // items of this ambiguous group get their sort keys now, as updateItems would have computed them.
    for (const { id } of this.lists[this.listpos][1]) {
      const entry = this.registry[id];
      if (entry && (!entry.sortkeys || partialKeys.has(entry.sortkeys))) entry.sortkeys = allSortKeys(this.state, id);
    }
    disYears.call(this);
  };
  // Whatever sorts the registry compares items that tie on their first key by all their keys.
  const sorttokens = csl.Registry.prototype.sorttokens;
  csl.Registry.prototype.sorttokens = function (nosort) {
    if (!nosort) completeTiedKeys(this);
    sorttokens.call(this, nosort);
  };
}

/**
 * Sort keys whose first key no other registered item ties with: only that key was computed. The comparison decides on
 * it for every pair, as with all keys (APA has ten: the title, the archive..., half of computing them).
 */
const partialKeys = new WeakSet<unknown[]>();
/** Per style: its bibliography sort tokens up to the end of the first key. */
const firstKeyTokens = new WeakMap<object, EngineInternals['bibliography_sort']['tokens'] | null>();

function allSortKeys(engine: EngineInternals, id: string): unknown[] {
  return loaded!.getSortKeys.call(engine, engine.retrieveItem(id), 'bibliography_sort');
}

/** The first sort key alone (the rest are the same tokens run further), or all when the style has one key. */
function firstSortKey(engine: EngineInternals, id: string): unknown[] {
  const sort = engine.bibliography_sort;
  const tokens = sort.tokens;
  let first = firstKeyTokens.get(tokens);
  if (first === undefined) {
    const end = tokens.findIndex((token) => token.name === 'key' && token.tokentype === loaded!.END);
    // Names rendered in a later key register in the name registry, which given-name disambiguation reads: all keys.
    const namesLater = tokens.slice(end + 1).some((token) => token.name === 'names');
    first = end >= 0 && end < tokens.length - 1 && !namesLater ? tokens.slice(0, end + 1) : null;
    firstKeyTokens.set(tokens, first);
  }
  if (!first) return allSortKeys(engine, id);
  sort.tokens = first;
  let keys: unknown[];
  try {
    keys = allSortKeys(engine, id);
  } finally {
    sort.tokens = tokens;
  }
  partialKeys.add(keys);
  return keys;
}

/** Gives every item with only its first key all its keys when another item ties with it on that key. */
function completeTiedKeys(registry: RegistryInternals): void {
  const entries: { id: string; first: RegistryEntry }[] = [];
  let partial = false;
  for (const id of registry.mylist) {
    const keys = registry.registry[id]?.sortkeys;
    if (!keys) continue;
    partial ||= partialKeys.has(keys);
    entries.push({ id, first: { sortkeys: keys.slice(0, 1), seq: 0 } });
  }
  if (!partial) return;
  const compare = (a: { first: RegistryEntry }, b: { first: RegistryEntry }) => registry.sorter.compareKeys(a.first, b.first);
  entries.sort(compare);
  for (let i = 0; i < entries.length; ) {
    let j = i + 1;
    while (j < entries.length && compare(entries[i], entries[j]) === 0) j++;
    for (let k = i; j - i > 1 && k < j; k++) {
      const entry = registry.registry[entries[k].id];
      if (partialKeys.has(entry.sortkeys as unknown[])) entry.sortkeys = allSortKeys(registry.state, entries[k].id);
    }
    i = j;
  }
}

/**
 * Per engine: citeproc-js's FlipFlopper.processTags (quotes and inline markup in every string it outputs) builds a
 * RegExp from two long Unicode classes on each call before finding, for nearly every string, no tag at all. Its tags
 * are fixed markup (each has `<`, `"` or `'`), the engine's locale quotes as the FlipFlopper read them at
 * construction, and `’` between letters (made a `'` first); a string with none of them is left alone, so it is not
 * processed.
 */
export function speedUpEngine(engine: CSL.Engine): void {
  const flipflopper = (engine as unknown as EngineInternals).fun.flipflopper;
  const processTags = flipflopper.processTags;
  const quotes = ['open-quote', 'close-quote', 'open-inner-quote', 'close-inner-quote']
    .map((term) => (engine as unknown as EngineInternals).getTerm(term))
    .filter((quote): quote is string => typeof quote === 'string' && quote.length > 0);
  flipflopper.processTags = function (blob) {
    const text = blob.blobs;
    if (typeof text === 'string' && !/[<"'\u2019]/.test(text) && !quotes.some((quote) => text.includes(quote))) return;
    processTags.call(this, blob);
  };
}

/**
 * `engine.updateItems(ids)`, but the bibliography's order (every item's sort keys, about a third of the update for
 * APA) is left to the step it returns, which must run before the bibliography is made or the registry updated again.
 * Citations do not need that order unless they print citation numbers (then it all happens now, and the result is
 * undefined); year suffixes, which follow it, get the keys of their few items when disambiguation assigns them.
 */
export function updateItemsSortLater(engine: CSL.Engine, ids: string[]): (() => void) | undefined {
  const internals = engine as unknown as EngineInternals;
  if (!loaded || internals.opt.update_mode === loaded.NUMERIC || internals.bibliography_sort.tokens.length === 0) {
    engine.updateItems(ids);
    return undefined;
  }
  const registry = internals.registry;
  const tainted = internals.tmp.taintedItemIDs;
  // What setsortkeys would compute again is forgotten instead, so that nothing reads stale keys in between.
  registry.setsortkeys = function (this: RegistryInternals) {
    for (const key of this.mylist) if (this.touched[key] || tainted[key]) this.registry[key].sortkeys = undefined;
  };
  registry.sorttokens = () => {};
  registry.renumber = () => {};
  try {
    engine.updateItems(ids);
  } finally {
    // Own properties shadowed the prototype's methods for this one call.
    delete (registry as Partial<RegistryInternals>).setsortkeys;
    delete (registry as Partial<RegistryInternals>).sorttokens;
    delete (registry as Partial<RegistryInternals>).renumber;
  }
  return () => sortRegistry(internals);
}

/** The end of updateItems that updateItemsSortLater left: sort keys, the bibliography's order, its numbering. */
function sortRegistry(engine: EngineInternals): void {
  const { area, root, extension } = engine.tmp;
  engine.tmp.area = 'citation';
  engine.tmp.root = 'citation';
  engine.tmp.extension = '';
  try {
    // setsortkeys, computing the first key only (sorttokens completes the keys of ties).
    const registry = engine.registry;
    for (const key of registry.mylist) {
      if (registry.touched[key] || engine.tmp.taintedItemIDs[key] || !registry.registry[key].sortkeys) registry.registry[key].sortkeys = firstSortKey(engine, key);
    }
    engine.registry.sorttokens(false);
    engine.registry.renumber();
  } finally {
    engine.tmp.area = area;
    engine.tmp.root = root;
    engine.tmp.extension = extension;
  }
}
