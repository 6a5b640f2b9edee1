// A long note formatted on two threads (parallel.ts, partition.ts): the HTML must be what one engine formats, the
// split must really happen where it can, and whatever goes wrong (halves that depend on each other, a tie in the
// bibliography's order, a worker that fails or hangs) must end in one engine's HTML. No timers are raced: the tests
// wait for the worker's engine before they format, and a hanging worker is detected by its timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CitationSource, NoteItems } from '../src/preview/citations';
import { CslItem, formatCitations, resetFormatters } from '../src/preview/format';
import { merge, PARALLEL_FROM, SecondEngine } from '../src/preview/parallel';
import { nameKeys, partitionItems, styleTraits } from '../src/preview/partition';
import { bundledStyle } from '../src/preview/styles';
import { CitationGroup, groupKeys } from '../src/preview/syntax';
import { markdown } from './syntax.test';

const { corpus } = require('../../bench/preview/corpus') as typeof import('../../bench/preview/corpus');
const DOC = { currentDocument: 'file:///w/note.md' };
const STYLES = ['apa', 'harvard', 'vancouver'];
/** The worker as the test build bundles it (not in out/test, where node --test would run it as a test). */
const WORKER = path.join(__dirname, '..', 'worker', 'preview-worker.js');

type Source = CitationSource & { steps: (() => void)[] };

function source(items: CslItem[], style: string, later: boolean, second?: SecondEngine, split?: typeof partitionItems): Source {
  const data: NoteItems = { items: new Map(items.map((x) => [x.id, structuredClone(x)])), unknown: new Set() };
  const steps: (() => void)[] = [];
  const s: Source = { steps, items: () => data, style: () => ({ xml: bundledStyle(style)! }) };
  if (later) s.later = (step) => steps.push(step);
  if (second) s.format = (groups, items, options) => second.format(groups, items, options, split);
  return s;
}

/** What one engine renders, from a fresh engine. */
function alone(items: CslItem[], style: string, note: string): string {
  resetFormatters();
  return markdown(source(items, style, false)).render(note, DOC);
}

/** Renders as the extension does: once, then the steps it left and once more. */
function progressive(src: Source, note: string): { first: string; html: string } {
  const md = markdown(src);
  const first = md.render(note, DOC);
  src.steps.splice(0).forEach((step) => step());
  return { first, html: md.render(note, DOC) };
}

/** Runs a test with the real worker, what it logs collected; the worker is stopped after. */
function withWorker(run: (second: SecondEngine, log: string[]) => void): void {
  const log: string[] = [];
  const second = new SecondEngine(WORKER, { log: (m) => log.push(m) });
  try {
    run(second, log);
  } finally {
    second.dispose();
  }
}

/** A note's citation groups, as the plugin collects them. */
function groupsOf(note: string): CitationGroup[] {
  const md = markdown();
  const groups: CitationGroup[] = [];
  const walk = (tokens: ReturnType<typeof md.parse>) => {
    for (const t of tokens) {
      if (t.type === 'pandoc_cite') groups.push(t.meta as CitationGroup);
      if (t.children) walk(t.children);
    }
  };
  walk(md.parse(note, {}));
  return groups;
}

test('a long note split over two threads renders what one engine renders, in-text citations first', () => {
  withWorker((second) => {
    for (const style of STYLES) {
      assert.ok(second.waitReady({ style: bundledStyle(style)! }), `${style}: the worker's engine is built`);
      for (const [seed, count, cites] of [[21, 120, 160], [22, 300, 300]]) {
        const c = corpus(seed, count, cites);
        for (const note of [c.note, `${c.note}\n\n# Bibliography\n\n::: {#refs}\n:::\n\nAfter.\n`]) {
          const expected = alone(c.items, style, note);
          const before = { ...second.counts };
          const { first, html } = progressive(source(c.items, style, true, second), note);
          assert.equal(html, expected, `${style} ${seed}: the final HTML`);
          assert.doesNotMatch(first, /pn-cite-pending/, `${style} ${seed}: the first render shows formatted citations`);
          if (style === 'vancouver') {
            assert.deepEqual(second.counts, before, 'a numeric style is never split');
          } else {
            assert.equal(second.counts.split, before.split + 1, `${style} ${seed}: the note was split`);
            assert.equal(second.counts.whole, before.whole, `${style} ${seed}: and stayed split`);
          }
          // Formatted all at once (no later step) it is the same too.
          assert.equal(markdown(source(c.items, style, false, second)).render(note, DOC), expected, `${style} ${seed}: at once`);
        }
      }
    }
  });
});

test('edits after a split note (a changed item, a new locator, a key cited first) render what one engine renders', () => {
  withWorker((second) => {
    for (const style of ['apa', 'harvard']) {
      assert.ok(second.waitReady({ style: bundledStyle(style)! }));
      const c = corpus(23, 150, 200);
      const src = source(c.items, style, true, second);
      const md = markdown(src);
      const render = (note: string) => {
        md.render(note, DOC);
        src.steps.splice(0).forEach((step) => step());
        return md.render(note, DOC);
      };
      render(c.note);
      const edits = [
        c.note.replace(/p\. \d+;/, 'p. 999;'),
        `[@${c.items[77].id}]\n\n${c.note}`,
        `${c.note}\n\nAnd [@${c.items[5].id}; @${c.items[140].id}] together.\n`,
      ];
      for (const note of edits) assert.equal(render(note), alone(c.items, style, note), `${style}: ${note.slice(0, 40)}`);
      // A new answer in which one item changed.
      const changed = c.items.map((x) => structuredClone(x));
      changed[3].title = 'A changed title';
      const data = { items: new Map(changed.map((x) => [x.id, x])), unknown: new Set<string>() };
      src.items = () => data;
      assert.equal(render(c.note), alone(changed, style, c.note), `${style}: one item changed`);
    }
  });
});

test('halves that depend on each other are found by their registries, and one engine formats the note', () => {
  withWorker((second, log) => {
    // Every other key to the worker: pairs by the same first author (same cite, same name) end up apart.
    const alternate: typeof partitionItems = (_groups, _items, cited) => {
      const sides: [string[], string[]] = [[], []];
      const side = new Map<string, 0 | 1>();
      cited.forEach((key, i) => {
        sides[i % 2].push(key);
        side.set(key, (i % 2) as 0 | 1);
      });
      return { sides, side };
    };
    // Each group on one side, as the split must be (only the registries' check is left to catch it).
    const byGroup: typeof partitionItems = (groups, items, cited) => {
      const side = new Map<string, 0 | 1>();
      let n = 0;
      for (const group of groups) {
        const keys = groupKeys(group).filter((k) => items.has(k) && !side.has(k));
        for (const key of keys) side.set(key, (n % 2) as 0 | 1);
        n++;
      }
      const sides: [string[], string[]] = [cited.filter((k) => side.get(k) === 0), cited.filter((k) => side.get(k) === 1)];
      return { sides, side };
    };
    for (const style of ['apa', 'harvard']) {
      assert.ok(second.waitReady({ style: bundledStyle(style)! }));
      const c = corpus(24, 200, 200);
      const expected = alone(c.items, style, c.note);
      const before = { ...second.counts };
      const { html } = progressive(source(c.items, style, true, second, byGroup), c.note);
      assert.equal(html, expected, `${style}: the HTML of one engine`);
      assert.equal(second.counts.whole, before.whole + 1, `${style}: formatted on one thread after all`);
      assert.equal(second.counts.split, before.split, `${style}: not split`);
      assert.ok(log.some((m) => /both halves hold (the cite|the name)/.test(m)), log.join('\n'));
      // Groups cut in two as well.
      assert.equal(progressive(source(c.items, style, true, second, alternate), c.note).html, expected, `${style}: keys alternating`);
    }
  });
});

test("entries of the two halves that tie on the bibliography's first key are ordered by one engine", () => {
  withWorker((second, log) => {
    // Harvard's given-name rule is by-cite (no name registry shared), its first sort key the authors: two papers by
    // the same author in different years have different cites and tie on that key. The split sends one to each side.
    const style = 'harvard';
    assert.ok(second.waitReady({ style: bundledStyle(style)! }));
    const c = corpus(25, 100, 100);
    const author = [{ family: 'Quillfeather', given: 'Odile' }];
    const a: CslItem = { id: 'tie-a', type: 'book', title: 'Earlier', author, issued: { 'date-parts': [[2011]] } };
    const b: CslItem = { id: 'tie-b', type: 'book', title: 'Later', author, issued: { 'date-parts': [[2015]] } };
    const items = [...c.items, a, b];
    const apart: typeof partitionItems = (groups, its, cited, traits) => {
      const p = partitionItems(groups, its, cited, traits)!;
      const side = new Map(p.side);
      side.set(b.id, (1 - side.get(a.id)!) as 0 | 1); // b is cited alone: its group moves with it
      const sides: [string[], string[]] = [cited.filter((k) => side.get(k) === 0), cited.filter((k) => side.get(k) === 1)];
      return { sides, side };
    };
    const note = `${c.note}\n\n[@${a.id}] and [@${b.id}].\n`;
    const expected = alone(items, style, note);
    const before = { ...second.counts };
    const { html } = progressive(source(items, style, true, second, apart), note);
    assert.equal(html, expected);
    assert.equal(second.counts.split, before.split + 1, 'the citations were split');
    assert.ok(log.some((m) => /tie on their first sort key/.test(m)), log.join('\n'));
  });
});

test('a worker that fails or never answers leaves the note to one engine, with the same HTML', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pn-worker-'));
  // Speaks the protocol as far as "ready", then fails every job, or never answers it.
  const fake = (onJob: string) => `
    const { workerData } = require('node:worker_threads');
    const { port, signal } = workerData;
    const counter = new Int32Array(signal);
    const reply = (m) => { port.postMessage(m); Atomics.add(counter, 0, 1); Atomics.notify(counter, 0); };
    port.on('message', (m) => {
      if (m.type === 'warm') return reply({ type: 'ready', id: (m.options.lang ?? '') + '\\u0000' + m.options.style });
      ${onJob}
    });`;
  const failing = path.join(dir, 'failing.js');
  const silent = path.join(dir, 'silent.js');
  fs.writeFileSync(failing, fake(`reply({ type: 'error', job: m.job, message: 'boom' });`));
  fs.writeFileSync(silent, fake(`/* never answers */`));
  try {
    const c = corpus(26, 120, 150);
    const expected = alone(c.items, 'apa', c.note);
    for (const [file, why] of [[failing, /the worker failed: boom/], [silent, /did not answer in time/]] as const) {
      const log: string[] = [];
      // The silent one is given up after 300 ms (it never answers, however long the wait); the failing one answers
      // at once, but a loaded machine may take seconds to run it: no short deadline there, nor for starting either.
      const second = new SecondEngine(file, { log: (m) => log.push(m), timeoutMs: file === silent ? 300 : 30_000 });
      try {
        assert.ok(second.waitReady({ style: bundledStyle('apa')! }, 30_000));
        const { html } = progressive(source(c.items, 'apa', true, second), c.note);
        assert.equal(html, expected);
        assert.equal(second.counts.whole, 1);
        assert.ok(log.some((m) => why.test(m)), log.join('\n'));
      } finally {
        second.dispose();
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the split keeps every citation group, and every name shared, on one side', () => {
  for (const seed of [31, 32, 33]) {
    const c = corpus(seed, 300, 300);
    const items = new Map(c.items.map((x) => [x.id, x]));
    const groups = groupsOf(c.note);
    const cited = [...new Set(groups.flatMap(groupKeys))].filter((k) => items.has(k));
    for (const allNames of [false, true]) {
      const p = partitionItems(groups, items, cited, { whole: false, allNames });
      if (!p) {
        assert.ok(allNames, `seed ${seed}: first names alone leave the items splittable`);
        continue;
      }
      assert.equal(p.sides[0].length + p.sides[1].length, cited.length);
      assert.ok(Math.min(p.sides[0].length, p.sides[1].length) >= cited.length / 4, 'not too uneven');
      for (const group of groups) {
        const sides = new Set(groupKeys(group).filter((k) => items.has(k)).map((k) => p.side.get(k)));
        assert.ok(sides.size <= 1, `seed ${seed}: a group on both sides`);
      }
      const sideOfName = new Map<string, 0 | 1>();
      for (const key of cited) {
        for (const name of nameKeys(items.get(key)!, allNames)) {
          const side = sideOfName.get(name);
          if (side === undefined) sideOfName.set(name, p.side.get(key)!);
          else assert.equal(p.side.get(key), side, `seed ${seed}: ${name} on both sides`);
        }
      }
    }
  }
  assert.equal(partitionItems([], new Map(), ['a', 'b'], { whole: true, allNames: false }), undefined);
});

test('name keys: particles, accents, case and literal names compare alike; items without names share one key', () => {
  const keys = (author: unknown) => nameKeys({ id: 'x', author } as CslItem, false);
  assert.deepEqual(keys([{ family: 'van der Berg', given: 'Jan' }]), keys([{ family: 'Berg', given: 'Anna' }]));
  assert.deepEqual(keys([{ family: 'Müller' }]), keys([{ family: 'MULLER' }]));
  assert.deepEqual(keys([{ literal: 'World Health Organization' }]), ['name:organization']);
  assert.notDeepEqual(keys([{ family: 'Smith' }]), keys([{ family: 'Smyth' }]));
  assert.deepEqual(nameKeys({ id: 'x', title: 'T' }, false), ['no names']);
  assert.deepEqual(nameKeys({ id: 'x', editor: [{ family: 'Ng' }], author: [] } as CslItem, false), ['name:ng']);
  assert.equal(nameKeys({ id: 'x', author: [{ family: 'A' }, { family: 'B' }] } as CslItem, true).length, 2);
});

test('style traits: numeric, author-substituting and aligned styles stay whole; the given-name rule is read', () => {
  assert.equal(styleTraits(bundledStyle('vancouver')!).whole, true);
  assert.equal(styleTraits(bundledStyle('apa')!).whole, false);
  assert.equal(styleTraits(bundledStyle('apa')!).allNames, false);
  assert.equal(styleTraits(bundledStyle('harvard')!).whole, false);
  assert.equal(styleTraits('<style><bibliography subsequent-author-substitute="---"/></style>').whole, true);
  assert.equal(styleTraits('<citation givenname-disambiguation-rule="all-names-with-initials">').allNames, true);
});

test('merging two halves: by first key, by citation when unsorted, undefined on a tie across them', () => {
  const parts = (entries: [string, string][]) => ({ start: '<b>', end: '</b>', entries: entries.map(([id, first]) => ({ id, html: id, first })) });
  const compare = (x: unknown, y: unknown) => String(x).localeCompare(String(y));
  const order = new Map(['a', 'b', 'c', 'd'].map((k, i) => [k, i]));
  assert.equal(merge(parts([['a', 'k1'], ['c', 'k3']]), parts([['b', 'k2'], ['d', 'k4']]), compare, order), '<b>abcd</b>');
  assert.equal(merge(parts([['a', 'y'], ['d', 'x']]), parts([['c', 'z']]), undefined, order), '<b>acd</b>');
  assert.equal(merge(parts([['a', 'k1']]), parts([['b', 'k1']]), compare, order), undefined);
  assert.equal(merge(undefined, parts([['b', 'k1']]), compare, order), '<b>b</b>');
  assert.equal(merge(undefined, undefined, compare, order), '');
});

test('notes below the threshold never start the worker', () => {
  const second = new SecondEngine(path.join(os.tmpdir(), 'does-not-exist.js'));
  const c = corpus(27, PARALLEL_FROM - 1, PARALLEL_FROM + 10);
  const items = new Map(c.items.map((x) => [x.id, x]));
  resetFormatters();
  const groups = groupsOf(c.note);
  const options = { style: bundledStyle('apa')! };
  const expected = formatCitations(groups, items, options);
  resetFormatters();
  assert.deepEqual(second.format(groups, items, options), expected);
  assert.deepEqual(second.counts, { split: 0, whole: 0 });
});

test("the first long note is formatted on this thread alone; the worker then practises on it and takes half the next", () => {
  withWorker((second) => {
    const a = corpus(28, 120, 150);
    const b = corpus(29, 120, 150);
    const expectedA = alone(a.items, 'apa', a.note);
    const expectedB = alone(b.items, 'apa', b.note);
    resetFormatters();
    const srcA = source(a.items, 'apa', true, second);
    const mdA = markdown(srcA);
    mdA.render(a.note, DOC);
    assert.deepEqual(second.counts, { split: 0, whole: 1 }, 'no worker yet: this thread formats it');
    assert.equal(second.isReady({ style: bundledStyle('apa')! }), false, 'the worker is not asked before the bibliography is done');
    srcA.steps.splice(0).forEach((step) => step());
    assert.equal(mdA.render(a.note, DOC), expectedA);
    assert.ok(second.waitReady({ style: bundledStyle('apa')! }), 'asked after it, it gets ready');
    assert.equal(progressive(source(b.items, 'apa', true, second), b.note).html, expectedB);
    assert.deepEqual(second.counts, { split: 1, whole: 1 });
  });
});
