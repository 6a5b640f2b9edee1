// The preview's fast paths: a long bibliography in a second render (the in-text citations first), and citeproc-js's
// helpers made faster. Each must leave the final HTML as it was: the steps are driven one by one, no timers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { CitationSource, NoteItems } from '../src/preview/citations';
import { BIBLIOGRAPHY_LATER_FROM, CslItem, resetFormatters } from '../src/preview/format';
import { speedUp, speedUpEngine, updateItemsSortLater } from '../src/preview/citeproc-speed';
import { bundledLocale, bundledStyle, localeXml } from '../src/preview/styles';
import { markdown } from './syntax.test';

const { corpus } = require('../../bench/preview/corpus') as typeof import('../../bench/preview/corpus');
const DOC = { currentDocument: 'file:///w/note.md' };
const STYLES = ['apa', 'harvard', 'vancouver'];

/** A source with one answer and the style by name; with `later`, it keeps the steps renders leave, to run on demand. */
function source(items: CslItem[], style: string, later: boolean): CitationSource & { steps: (() => void)[] } {
  const data: NoteItems = { items: new Map(items.map((x) => [x.id, structuredClone(x)])), unknown: new Set() };
  const steps: (() => void)[] = [];
  const s: CitationSource & { steps: (() => void)[] } = { steps, items: () => data, style: () => ({ xml: bundledStyle(style)! }) };
  if (later) s.later = (step) => steps.push(step);
  return s;
}

test('a long bibliography comes in a second render; the first shows the final in-text citations', () => {
  const c = corpus(7, 120, 150);
  assert.ok(c.items.length >= BIBLIOGRAPHY_LATER_FROM);
  for (const style of STYLES) {
    for (const note of [c.note, `${c.note}\n\n# Bibliography\n\n::: {#refs}\n:::\n\nAfter.\n`]) {
      resetFormatters();
      const expected = markdown(source(c.items, style, false)).render(note, DOC);
      resetFormatters();
      const src = source(c.items, style, true);
      const md = markdown(src);
      const first = md.render(note, DOC);
      assert.doesNotMatch(first, /pn-cite-pending|csl-entry/, `${style}: the first render formats citations, no entries`);
      assert.match(first, /<p class="pn-references-pending">/, `${style}: where the bibliography will be`);
      // What the first render shows of the citations is what the final one shows: nothing provisional. (citeproc's
      // bibliography ends with an unindented </div>, its entries are indented.)
      const withoutBibliography = (html: string) =>
        html.replace('<p class="pn-references-pending">Formatting the references…</p>', '').replace(/<div class="csl-bib-body">\n[\s\S]*?\n<\/div>/, '');
      assert.equal(withoutBibliography(first), withoutBibliography(expected), `${style}: the in-text citations are final at once`);
      assert.equal(src.steps.length, 1);
      src.steps.splice(0).forEach((step) => step());
      assert.equal(md.render(note, DOC), expected, `${style}: after the step, the HTML of formatting at once`);
      assert.equal(src.steps.length, 0, `${style}: nothing left for later`);
    }
  }
});

test('a note with few items is formatted in one render, bibliography included', () => {
  const c = corpus(8, BIBLIOGRAPHY_LATER_FROM - 1, 60);
  const src = source(c.items, 'apa', true);
  const html = markdown(src).render(c.note, DOC);
  assert.match(html, /csl-entry/);
  assert.doesNotMatch(html, /pn-references-pending/);
  assert.equal(src.steps.length, 0);
});

test("a bibliography's step after another note was formatted in the same style is that note's bibliography", () => {
  const a = corpus(9, 100, 120);
  const b = corpus(10, 90, 100);
  for (const style of STYLES) {
    resetFormatters();
    const expectedA = markdown(source(a.items, style, false)).render(a.note, DOC);
    resetFormatters();
    const expectedB = markdown(source(b.items, style, false)).render(b.note, DOC);
    resetFormatters();
    const srcA = source(a.items, style, true);
    const srcB = source(b.items, style, true);
    const mdA = markdown(srcA);
    const mdB = markdown(srcB);
    mdA.render(a.note, DOC);
    mdB.render(b.note, DOC); // the engine's registry is b's now, its bibliography order still to come
    srcA.steps.splice(0).forEach((step) => step());
    assert.equal(mdA.render(a.note, DOC), expectedA, `${style}: a after b`);
    srcB.steps.splice(0).forEach((step) => step());
    assert.equal(mdB.render(b.note, DOC), expectedB, `${style}: b after a's step`);
  }
});

test('the speed-ups print what citeproc-js printed before them (HTML of the version before, by hash)', () => {
  // Rendered by the preview before its citeproc-js speed-ups (commit f05a749), this setup exactly. Year suffixes
  // (2019a) counted too, so that a mismatch says whether disambiguation moved.
  const before: Record<string, string> = {
    'apa 3': 'ce2f8e352c15ad7b 29239 4',
    'apa 6': '6e7947fbeaf7eea0 68495 18',
    'harvard 3': '529532fdc606bc39 28901 3',
    'harvard 6': '51f82bcff23e48cf 67602 18',
    'vancouver 3': 'c7d27e0223286492 30306 0',
    'vancouver 6': '2fb6e4cf1faf67ff 71962 0',
  };
  for (const style of STYLES) {
    for (const [seed, count, cites] of [[3, 48, 60], [6, 120, 150]]) {
      const c = corpus(seed, count, cites);
      resetFormatters();
      const html = markdown(source(c.items, style, false)).render(c.note + '\n\n::: {#refs}\n:::\n', DOC);
      const digest = `${createHash('sha256').update(html).digest('hex').slice(0, 16)} ${html.length} ${(html.match(/\d{4}[a-c]\)/g) ?? []).length}`;
      assert.equal(digest, before[`${style} ${seed}`], `${style}, corpus ${seed}`);
    }
  }
});

test("citeproc's tag processing, skipped for strings without tags, gives what it gives on every string", () => {
  const { Engine } = require('citeproc') as typeof import('citeproc');
  const items: CslItem[] = [
    { id: 'q', type: 'article-journal', title: 'On "quoted" words and \'inner\' ones', author: [{ family: 'O’Brien', given: 'Mary' }], issued: { 'date-parts': [[2001]] } },
    { id: 'm', type: 'book', title: 'Markup <i>in</i> <b>titles</b> and <span class="nocase">iPhone</span> & <sc>caps</sc>', author: [{ family: "D'Angelo", given: 'Jo' }], issued: { 'date-parts': [[2002]] } },
    { id: 'l', type: 'chapter', title: '“Curly” quotes, «guillemets» and „German“ ones', 'container-title': 'It’s a container', author: [{ family: 'Müller', given: 'Jürgen' }], issued: { 'date-parts': [[2003]] } },
    { id: 'p', type: 'article-journal', title: 'Plain title with superscript x² and  two spaces', author: [{ literal: 'A Group & Co' }], issued: { 'date-parts': [[2004]] } },
  ];
  const byId = new Map(items.map((x) => [x.id, x]));
  for (const style of STYLES) {
    for (const lang of ['en-US', 'de-DE', 'fr-FR']) {
      const make = (fast: boolean) => {
        const engine = new Engine({ retrieveLocale: localeXml, retrieveItem: (id) => byId.get(id) }, bundledStyle(style)!, bundledLocale(lang)!.tag, true);
        engine.setOutputFormat('html');
        if (fast) speedUpEngine(engine);
        engine.updateItems(items.map((x) => x.id));
        const bib = engine.makeBibliography();
        return [...items.map((x) => engine.makeCitationCluster([{ id: x.id, prefix: 'see "this" ', suffix: ', it’s <i>here</i>' }])), bib ? bib[1].join('') : ''];
      };
      assert.deepEqual(make(true), make(false), `${style} ${lang}`);
    }
  }
});

test("citeproc's HTML escaping, short-cut for strings with nothing to escape, escapes as the original", () => {
  require('../src/preview/format'); // loads citeproc with the speed-ups once a note is formatted
  markdown(source(corpus(11, 3, 3).items, 'apa', false)).render(corpus(11, 3, 3).note, DOC);
  const csl = require('citeproc') as { Output: { Formats: { html: { text_escape(s: unknown): string } } }; SUPERSCRIPTS_REGEXP: RegExp; SUPERSCRIPTS: Record<string, string> };
  // citeproc-js 2.4's html text_escape, as written there.
  const original = (text: unknown): string =>
    String(text || '')
      .replace(/&/g, '&#38;').replace(/</g, '&#60;').replace(/>/g, '&#62;').replace(/\s\s/g, '\xA0 ')
      .replace(csl.SUPERSCRIPTS_REGEXP, (c) => `<sup>${csl.SUPERSCRIPTS[c]}</sup>`);
  for (const s of ['', undefined, null, 0, 'plain', 'a & b', '<i>x</i>', 'a  b', 'a\t\tb', 'x² and ª', 'tm™', ' lead', 'trail ', 'é ü ß', '&#38;']) {
    assert.equal(csl.Output.Formats.html.text_escape(s), original(s), JSON.stringify(s));
  }
});

test("the bibliography's order from first sort keys (all keys for items that tie on it) is the order from all keys", () => {
  const citeproc = require('citeproc') as typeof import('citeproc');
  speedUp(citeproc);
  type Registry = { getSortedIds(): string[]; registry: Record<string, { sortkeys?: unknown[]; seq: number }> };
  for (const style of STYLES) {
    for (const [seed, count] of [[3, 48], [6, 120], [12, 300]]) {
      const items = corpus(seed, count, count).items;
      const byId = new Map(items.map((x) => [x.id, x]));
      const engine = () => {
        const e = new citeproc.Engine({ retrieveLocale: localeXml, retrieveItem: (id) => byId.get(id) }, bundledStyle(style)!);
        e.setOutputFormat('html');
        return e;
      };
      const ids = items.map((x) => x.id);
      const full = engine();
      full.updateItems(ids);
      const lazy = engine();
      updateItemsSortLater(lazy, ids)?.();
      const [a, b] = [full, lazy].map((e) => (e as unknown as { registry: Registry }).registry);
      assert.deepEqual(b.getSortedIds(), a.getSortedIds(), `${style} ${seed}`);
      for (const id of ids) assert.equal(b.registry[id].seq, a.registry[id].seq, `${style} ${seed} ${id}`);
      if (style === 'apa' && count === 300) {
        // Both paths were taken: items with their first key only, and ties given all their keys.
        const lengths = ids.map((id) => b.registry[id].sortkeys!.length);
        assert.ok(lengths.some((n) => n === 1) && lengths.some((n) => n > 1), `${style}: ${new Set(lengths)}`);
      }
      // A later update (items changed, then added) keeps the same order as all keys give.
      const more = corpus(seed + 100, 40, 40).items.map((x) => ({ ...x, id: `more-${x.id}` }));
      for (const x of more) byId.set(x.id, x);
      byId.set(ids[0], { ...byId.get(ids[0])!, title: 'Changed' });
      const next = [...ids.slice(1), ...more.map((x) => x.id)];
      full.updateItems(next);
      lazy.updateItems(next);
      assert.deepEqual(b.getSortedIds(), a.getSortedIds(), `${style} ${seed}, updated`);
    }
  }
});

test("citeproc's escaping lookup, interpreter step and stack top, made allocation-free, answer as the originals", () => {
  const citeproc = require('citeproc') as typeof import('citeproc');
  speedUp(citeproc);
  const csl = citeproc as unknown as {
    getSafeEscape(state: unknown): (s: string) => string;
    Output: { Formats: Record<string, { text_escape(s: string): string }> };
    Stack: new (value?: unknown, literal?: unknown) => { value(): unknown; push(v: unknown, literal?: unknown): void; pop(): unknown };
    tokenExec(this: unknown, token: unknown, Item: unknown, item: unknown): number;
  };
  const samples = ['', 'plain', 'a & b <i>', 'x\u202fy', 'two  spaces'];
  for (const mode of ['html', 'text']) {
    for (const hack of [false, true]) {
      for (const area of ['citation', 'bibliography', 'citation_sort', 'bibliography_sort', 'intext']) {
        const state = { tmp: { area }, opt: { mode, development_extensions: { thin_non_breaking_space_html_hack: hack } } };
        const escape = csl.getSafeEscape(state);
        for (const s of samples) {
          // citeproc-js 2.4's getSafeEscape, as written there: escaping in citations and the bibliography only.
          let expected = s;
          if (area === 'citation' || area === 'bibliography') {
            if (hack && mode === 'html') expected = expected.replace(/\u202f/g, '<span style="white-space:nowrap">&thinsp;</span>');
            expected = csl.Output.Formats[mode].text_escape(expected);
          }
          assert.equal(escape(s), expected, `${mode} ${hack} ${area} ${JSON.stringify(s)}`);
        }
      }
    }
  }
  const stack = new csl.Stack();
  assert.equal(stack.value(), undefined);
  stack.push('a');
  stack.push(0, true);
  assert.equal(stack.value(), 0);
  stack.pop();
  assert.equal(stack.value(), 'a');
  // A token's test picks succeed or fail (and records which); an exec's answer, when any, is the next token.
  const jumps: string[] = [];
  const state = { tmp: { jump: { replace: (v: string) => jumps.push(v) } } };
  const token = (test: boolean | undefined, execs: (() => number | undefined)[]) => ({ next: 1, succeed: 2, fail: 3, test: test === undefined ? undefined : () => test, execs });
  assert.equal(csl.tokenExec.call(state, token(undefined, []), {}, {}), 1);
  assert.equal(csl.tokenExec.call(state, token(true, []), {}, {}), 2);
  assert.equal(csl.tokenExec.call(state, token(false, [() => undefined]), {}, {}), 3);
  assert.equal(csl.tokenExec.call(state, token(true, [() => 7, () => undefined]), {}, {}), 7);
  assert.deepEqual(jumps, ['succeed', 'fail', 'succeed']);
});

test("citeproc's particle parsing, replayed for a name seen before, changes each name as the original does", () => {
  const citeproc = require('citeproc') as typeof import('citeproc');
  speedUp(citeproc);
  const csl = citeproc as unknown as {
    parseParticles(name: Record<string, unknown>): void;
    speedUpOriginals: { parseParticles(name: Record<string, unknown>): void };
  };
  const names: Record<string, unknown>[] = [
    { family: 'van der Berg', given: 'Jan' },
    { family: 'Berg', given: 'Jan van der' },
    { family: 'de la Fontaine', given: 'Jean' },
    { family: "d'Alembert", given: 'Jean le Rond' },
    { family: 'Müller', given: 'Jürgen, Jr.' },
    { family: 'King', given: 'Martin Luther, Jr.' },
    { family: 'King', given: 'Martin Luther, Jr.', suffix: 'III' },
    { family: 'King', given: 'Martin Luther, Jr.', suffix: '' },
    { family: 'Doe', given: 'John, et al.' },
    { family: 'Doe', given: 'John, et al.', 'dropping-particle': 'von' },
    { family: 'Doe', given: 'John,! Jr.' },
    { family: 'Smith', given: 'Ann', 'non-dropping-particle': 'van' },
    // Parsing writes the particle this name has already, then a name alike but for it: the particle must be set there.
    { family: 'van Smith', given: 'Ann', 'non-dropping-particle': 'van' },
    { family: 'van Smith', given: 'Ann' },
    { family: 'van Smith', given: 'Ann', 'non-dropping-particle': 'de', 'comma-suffix': true },
    { family: 'Smith', given: 'Ann', 'static-ordering': false, isInstitution: undefined },
    { family: 'al-Farabi', given: 'Abu Nasr' },
    { family: 'Ibn Sina', given: 'Abu Ali' },
  ];
  // Twice over: each name first where it may be computed, then where it is replayed (the same four fields as another).
  for (const round of [1, 2]) {
    for (const name of names) {
      const expected = structuredClone(name);
      csl.speedUpOriginals.parseParticles(expected);
      const actual = structuredClone(name);
      csl.parseParticles(actual);
      assert.deepEqual(actual, expected, `round ${round}: ${JSON.stringify(name)}`);
    }
  }
});

test('citations formatted after the bibliography are what a fresh engine formats (its names do not leak into them)', () => {
  // Rendering a bibliography registers every name it prints, co-authors too, in the registry given-name
  // disambiguation reads: without putting it back, a cluster formatted later (here each item cited again with a new
  // locator) gained initials ("N. Janssen" for a co-author "M. Janssen" elsewhere) that a fresh engine does not print.
  for (const style of STYLES) {
    const c = corpus(26, 120, 150);
    const again = `${c.note}\n\n${c.items.map((x, i) => `[@${x.id}, p. ${900 + i}]`).join(' ')}\n`;
    resetFormatters();
    const expected = markdown(source(c.items, style, false)).render(again, DOC);
    resetFormatters();
    const md = markdown(source(c.items, style, false));
    assert.match(md.render(c.note, DOC), /csl-entry/);
    assert.equal(md.render(again, DOC), expected, style);
  }
});
