// Splits a note's cited items in two for two citeproc-js engines (parallel.ts), so that each formats its half as one
// engine would format the whole: items that could depend on each other stay together. Pure: no citeproc, no threads.
//
// What citeproc-js's output for an item depends on besides the item and the style (read from its registry code):
// - the other items of its ambiguity group (the same cite as disambiguation compares it: names as the citation
//   prints them and the year): added names, given names, year suffixes in the bibliography's order;
// - for global given-name disambiguation, every registered name with the same family name (its name registry);
// - the other items of a cluster it is cited in (sorting, collapsing "Smith, 2019a, b");
// - numbering (citation-number) and the entry before it in the bibliography (subsequent-author-substitute): styles
//   with these are not split at all;
// - second-field-align: the bibliography's widest label sets the margin of all; not split either.
// Names alike here (the same last word of a family name, case and accents aside) are an over-approximation of
// citeproc's keys, and parallel.ts checks the engines' registries after the fact, so a guess that is wrong costs
// time (one engine formats all), never a different result.
import type { CitationGroup } from './syntax';
import { groupKeys } from './syntax';
import type { CslItem } from './format';

/** Two sides' keys in order of first citation; every key of a group is on one side. */
export interface Partition {
  sides: [string[], string[]];
  side: ReadonlyMap<string, 0 | 1>;
}

/** What of a style decides whether and how its items may be split. */
export interface StyleTraits {
  /** The output of one item depends on others' positions: numbers, the previous entry, the widest label. */
  whole: boolean;
  /** Given-name disambiguation compares every name of every item, not only the first of each list. */
  allNames: boolean;
}

/** Reads the traits off a style's XML (attributes only: a style that names them in a comment is kept whole, safely). */
export function styleTraits(xml: string): StyleTraits {
  const whole = /citation-number|subsequent-author-substitute|second-field-align/.test(xml);
  const rule = /givenname-disambiguation-rule\s*=\s*"([^"]*)"/.exec(xml)?.[1];
  return { whole, allNames: rule === 'all-names' || rule === 'all-names-with-initials' };
}

/**
 * The smaller side must hold at least this share of the items to be worth a second engine: below it, the messaging
 * and the second registry cost more than the larger side saves.
 */
const SMALLEST_SHARE = 0.25;

/**
 * Splits the cited keys into two sides closed under co-citation and shared names, as evenly as the groups allow
 * (groups in order of first citation, each to the side with fewer items so far). Undefined when the style must stay
 * whole or the split would be too uneven.
 */
export function partitionItems(
  groups: readonly CitationGroup[],
  items: ReadonlyMap<string, CslItem>,
  cited: readonly string[],
  traits: StyleTraits,
): Partition | undefined {
  if (traits.whole || cited.length < 2) return undefined;
  const index = new Map<string, number>();
  cited.forEach((key, i) => index.set(key, i));
  const parent = cited.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    // The root is the first cited, so that components are ordered by their first citation.
    if (ra < rb) parent[rb] = ra;
    else if (rb < ra) parent[ra] = rb;
  };
  for (const group of groups) {
    let first: number | undefined;
    for (const key of groupKeys(group)) {
      const i = index.get(key);
      if (i === undefined) continue;
      if (first === undefined) first = i;
      else union(first, i);
    }
  }
  const byName = new Map<string, number>();
  cited.forEach((key, i) => {
    for (const name of nameKeys(items.get(key)!, traits.allNames)) {
      const other = byName.get(name);
      if (other === undefined) byName.set(name, i);
      else union(other, i);
    }
  });
  const components = new Map<number, string[]>();
  cited.forEach((key, i) => {
    const root = find(i);
    let keys = components.get(root);
    if (!keys) components.set(root, (keys = []));
    keys.push(key);
  });
  const sides: [string[], string[]] = [[], []];
  const side = new Map<string, 0 | 1>();
  // Map order is insertion order: components by their first citation.
  for (const keys of components.values()) {
    const to: 0 | 1 = sides[1].length < sides[0].length ? 1 : 0;
    for (const key of keys) side.set(key, to);
    sides[to].push(...keys);
  }
  if (Math.min(sides[0].length, sides[1].length) < SMALLEST_SHARE * cited.length) return undefined;
  for (const keys of sides) keys.sort((a, b) => index.get(a)! - index.get(b)!);
  return { sides, side };
}

/**
 * The names of an item that can tie it to another: the first of each name list (every name with `allNames`), as the
 * last word of its family name (a particle may be part of it or not: "van der Berg", "Berg"), else of its literal or
 * given name, in lower case without accents or punctuation. An item with no names is tied to every other such item:
 * its cite shows a title or an editor's or container's name in their place.
 */
export function nameKeys(item: CslItem, allNames: boolean): string[] {
  const keys: string[] = [];
  for (const value of Object.values(item)) {
    if (!Array.isArray(value)) continue;
    for (const name of allNames ? value : value.slice(0, 1)) {
      if (typeof name !== 'object' || name === null) continue;
      const n = name as Record<string, unknown>;
      const text = [n.family, n.literal, n.given].find((x): x is string => typeof x === 'string' && x.trim() !== '');
      if (text === undefined) continue;
      const word = normalize(text).split(' ').pop()!;
      if (word) keys.push(`name:${word}`);
    }
  }
  return keys.length > 0 ? keys : ['no names'];
}

function normalize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .trim()
    .replace(/\s+/g, ' ');
}
