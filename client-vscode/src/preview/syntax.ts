// Pandoc's citation syntax, read from Markdown source text: the same key grammar as the server
// (server/PaperNotes.Core/Notes/CitationSyntax.cs, InlineScanner.cs), plus what the preview needs beyond keys: how
// citations group ([@a; @b]), their prefixes, suffixes and modes. What counts as text (not code, math, URLs, HTML)
// is markdown-it's business, as Markdig's is on the server; this file only reads citation syntax where it is asked to.
// Pure functions over a string: no markdown-it, no vscode, so node tests and the bench run it as is.

/** How a citation is rendered, as pandoc distinguishes them. */
export type CitationMode = 'normal' | 'suppress-author' | 'in-text';

export interface CitationItem {
  key: string;
  mode: CitationMode;
  /** Text before the key inside brackets (`see` in `[see @a]`), trimmed. */
  prefix: string;
  /** Text after the key up to `;` or `]` (`, p. 3` in `[@a, p. 3]`), as written but for outer whitespace. */
  suffix: string;
}

/** One pandoc Cite: the items of `[@a; @b]`, or `@a` (with `@a [p. 3]` or `@a [@b]` after it). */
export interface CitationGroup {
  items: CitationItem[];
  /** Keys cited inside a suffix (`[@a and @b]`: pandoc nests a citation of b there); listed, not formatted. */
  nested: string[];
  /** Source offsets of the whole group: [start, end). */
  start: number;
  end: number;
}

// Pandoc's internal punctuation: allowed inside a key when an alphanumeric follows (CitationSyntax.InternalPunctuation).
const INTERNAL_PUNCTUATION = ':.#$%&-+?<>~/';

// .NET's char.IsLetterOrDigit on one UTF-16 unit, which is what the server tests: letters and decimal digits.
const LETTER_OR_DIGIT = /[\p{L}\p{Nd}]/u;

export function isLetterOrDigit(c: string | undefined): boolean {
  return c !== undefined && c.length === 1 && LETTER_OR_DIGIT.test(c);
}

export function isKeyStart(c: string | undefined): boolean {
  return c === '_' || isLetterOrDigit(c);
}

/** Length of the plain key that starts at `start`, 0 when none does (CitationSyntax.ScanKey). */
export function scanKey(text: string, start: number, end = text.length): number {
  if (start >= end || !isKeyStart(text[start])) return 0;
  let i = start + 1;
  while (i < end) {
    const c = text[i];
    if (c === '_' || isLetterOrDigit(c)) {
      i++;
    } else if (INTERNAL_PUNCTUATION.includes(c) && i + 1 < end && isLetterOrDigit(text[i + 1])) {
      i += 2;
    } else {
      break;
    }
  }
  return i - start;
}

/** The key written at `at` (which holds '@'): plain, or braced `@{...}` (anything but braces and line breaks, trimmed). */
export function readKey(text: string, at: number, end = text.length): { key: string; end: number } | undefined {
  if (text[at] !== '@') return undefined;
  if (text[at + 1] === '{') {
    let close = at + 2;
    while (close < end && text[close] !== '}' && text[close] !== '\n') close++;
    if (close >= end || text[close] !== '}') return undefined;
    const key = text.slice(at + 2, close).trim();
    return key ? { key, end: close + 1 } : undefined;
  }
  const length = scanKey(text, at + 1, end);
  return length ? { key: text.slice(at + 1, at + 1 + length), end: at + 1 + length } : undefined;
}

/** Whether a citation may start at `at` ('@', or '-@' when `allowMinus`): ada@example.com is no citation. */
function keyStartsAt(text: string, at: number, end: number, allowMinus: boolean): boolean {
  const atSign = allowMinus && text[at] === '-' ? at + 1 : at;
  if (text[atSign] !== '@' || (at > 0 && isLetterOrDigit(text[at - 1]))) return false;
  return readKey(text, atSign, end) !== undefined;
}

/** Pandoc's `spnl`: spaces, then at most one line break and the spaces after it. */
function skipSpnl(text: string, i: number, end: number): number {
  while (i < end && (text[i] === ' ' || text[i] === '\t')) i++;
  if (text[i] === '\r') i++;
  if (text[i] === '\n') i++;
  while (i < end && (text[i] === ' ' || text[i] === '\t')) i++;
  return i;
}

/** Past a code span that starts at `i` (a run of backticks closed by a run of the same length), else past the run. */
function skipCode(text: string, i: number, end: number): number {
  let run = i;
  while (run < end && text[run] === '`') run++;
  for (let j = run; j < end; ) {
    if (text[j] !== '`') {
      j++;
      continue;
    }
    let k = j;
    while (k < end && text[k] === '`') k++;
    if (k - j === run - i) return k;
    j = k;
  }
  return run;
}

/**
 * A bracketed list `@a, p. 3; see -@b` from just after its '[' (pandoc's citeList, then ']'): every ';'-separated part
 * holds one key; a prefix holds no ';' and no ']'. Undefined when the text is no such list.
 */
function citeList(text: string, from: number, end: number): { items: CitationItem[]; nested: string[]; end: number } | undefined {
  const items: CitationItem[] = [];
  const nested: string[] = [];
  let i = skipSpnl(text, from, end);
  for (;;) {
    const prefixStart = i;
    while (i < end && !keyStartsAt(text, i, end, true)) {
      const c = text[i];
      if (c === ']' || c === ';' || c === '[') return undefined;
      if (c === '\\') i += 2;
      else if (c === '`') i = skipCode(text, i, end);
      else i++;
    }
    if (i >= end) return undefined;
    const prefix = text.slice(prefixStart, i).trim();
    const suppress = text[i] === '-';
    const key = readKey(text, suppress ? i + 1 : i, end)!;
    let j = key.end;
    while (j < end && text[j] !== ';' && text[j] !== ']') {
      const c = text[j];
      if (c === '\\') j += 2;
      else if (c === '`') j = skipCode(text, j, end);
      else if (c === '[') return undefined; // a bracket inside a suffix: not a citation we read (pandoc neither, mostly)
      else {
        if (c === '@' && keyStartsAt(text, j, end, false)) {
          const inner = readKey(text, j, end)!;
          nested.push(inner.key);
          j = inner.end;
          continue;
        }
        j++;
      }
    }
    if (j >= end) return undefined;
    items.push({ key: key.key, mode: suppress ? 'suppress-author' : 'normal', prefix, suffix: cleanSuffix(text.slice(key.end, j)) });
    if (text[j] === ']') return { items, nested, end: j + 1 };
    i = skipSpnl(text, j + 1, end);
  }
}

/** A suffix keeps one leading space if it had any (pandoc: `[@a and more]` → " and more"), never a trailing one. */
function cleanSuffix(raw: string): string {
  const trimmed = raw.trim();
  return trimmed && /^\s/.test(raw) ? ' ' + trimmed : trimmed;
}

/**
 * A bracketed citation `[see @a, p. 3; @b]` at `at` (which holds '['). Not one when the brackets are a link
 * (`[@a](url)`, `[@a][ref]`).
 */
export function parseBracketed(text: string, at: number, end = text.length): CitationGroup | undefined {
  if (text[at] !== '[') return undefined;
  const list = citeList(text, at + 1, end);
  if (!list || text[list.end] === '(' || text[list.end] === '[') return undefined;
  return { items: list.items, nested: list.nested, start: at, end: list.end };
}

/**
 * An in-text citation at `at` (which holds '@'): `@a`, `@a [p. 3]` (a locator in brackets after it), `@a [@b; @c]`
 * (more citations in the same group). A '-' before it stays text, as pandoc 2.17 reads `-@a` outside brackets.
 */
export function parseInText(text: string, at: number, end = text.length): CitationGroup | undefined {
  if (!keyStartsAt(text, at, end, false)) return undefined;
  const key = readKey(text, at, end)!;
  const first: CitationItem = { key: key.key, mode: 'in-text', prefix: '', suffix: '' };
  const open = skipSpnl(text, key.end, end);
  if (text[open] === '[' && text[open + 1] !== '^') {
    // pandoc's textualCite: a citation list right after (normalCite) ...
    const list = citeList(text, open + 1, end);
    if (list) return { items: [first, ...list.items], nested: list.nested, start: at, end: list.end };
    // ... else a bare locator `[p. 3]`, maybe followed by more citations `[p. 3; @b]` (bareloc).
    let j = open + 1;
    while (j < end && text[j] !== ';' && text[j] !== ']' && text[j] !== '[') {
      if (text[j] === '\\') j += 2;
      else if (text[j] === '`') j = skipCode(text, j, end);
      else if (text[j] === '@' && keyStartsAt(text, j, end, false)) break;
      else j++;
    }
    const suffix = cleanSuffix(text.slice(open + 1, j));
    if (text[j] === ']' && text[j + 1] !== '[' && text[j + 1] !== '(') {
      return { items: [{ ...first, suffix }], nested: [], start: at, end: j + 1 };
    }
    if (text[j] === ';') {
      const rest = citeList(text, j + 1, end);
      if (rest && text[rest.end] !== '[' && text[rest.end] !== '(') {
        return { items: [{ ...first, suffix }, ...rest.items], nested: rest.nested, start: at, end: rest.end };
      }
    }
  }
  return { items: [first], nested: [], start: at, end: key.end };
}

/** Every key of a group in source order: its items', and those nested in suffixes after them. */
export function groupKeys(group: CitationGroup): string[] {
  return [...group.items.map((i) => i.key), ...group.nested];
}
