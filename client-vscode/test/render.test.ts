// The preview's rendering: formatted citations (citeproc-js, bundled styles), unknown keys, titles on mouse-over,
// and where the bibliography goes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CitationSource, NoteItems, NoteSettings } from '../src/preview/citations';
import { CslItem, resetFormatters, splitLocator } from '../src/preview/format';
import { bundledLocale, bundledStyle } from '../src/preview/styles';
import { markdown } from './syntax.test';

export const ITEMS: CslItem[] = [
  {
    id: 'vaswani2017', type: 'paper-conference', title: 'Attention is all you need',
    author: [{ family: 'Vaswani', given: 'Ashish' }, { family: 'Shazeer', given: 'Noam' }, { family: 'Parmar', given: 'Niki' }],
    issued: { 'date-parts': [[2017]] }, 'container-title': 'Advances in neural information processing systems',
  },
  {
    id: 'tian2021', type: 'article-journal', title: 'Understanding self-supervised learning dynamics',
    author: [{ family: 'Tian', given: 'Yuandong' }], issued: { 'date-parts': [[2021]] }, 'container-title': 'ICML',
  },
];

/** A source with fixed items; `csl:` names a bundled style; records what was asked. */
export function source(items: CslItem[] | undefined, unknown: string[] = []): CitationSource & { asked: string[][] } {
  const data: NoteItems | undefined = items && { items: new Map(items.map((i) => [i.id, i])), unknown: new Set(unknown) };
  const asked: string[][] = [];
  return {
    asked,
    items: (_doc, keys) => (asked.push([...keys]), data),
    style: (_doc, settings: NoteSettings) => ({ xml: bundledStyle(settings.csl ?? 'apa')!, lang: bundledLocale(settings.lang)?.tag }),
  };
}

const html = (text: string, items: CslItem[] | undefined = ITEMS, unknown: string[] = []) =>
  markdown(source(items, unknown)).render(text, { currentDocument: 'file:///w/note.md' });

/** The visible text of each citation span, and its title. */
function cites(rendered: string): string[] {
  return [...rendered.matchAll(/<span class="pn-cite"[^>]*?(?: title="([^"]*)")?>(.*?)<\/span>(?=[^<]|<\/p>|<span class="pn-cite"|$)/g)].map(
    (m) => `${m[2].replace(/<[^>]+>/g, '').replace(/&#38;|&amp;/g, '&')}${m[1] ? `  [${m[1]}]` : ''}`,
  );
}

test('every citation form, APA', () => {
  const out = html(
    '[see @vaswani2017, p. 3; also @tian2021] and @vaswani2017 says, and [-@tian2021], @tian2021 [pp. 4-5], ' +
      '@vaswani2017 [@tian2021, ch. 2], [@vaswani2017, 33, emphasis added].\n',
  );
  assert.deepEqual(cites(out), [
    '(also Tian, 2021; see Vaswani et al., 2017, p. 3)  [Attention is all you need; Understanding self-supervised learning dynamics]',
    'Vaswani et al. (2017)  [Attention is all you need]',
    '(2021)  [Understanding self-supervised learning dynamics]',
    'Tian (2021, pp. 4–5)  [Understanding self-supervised learning dynamics]',
    'Vaswani et al. (2017; Tian, 2021, Chapter 2)  [Attention is all you need; Understanding self-supervised learning dynamics]',
    '(Vaswani et al., 2017, p. 33, emphasis added)  [Attention is all you need]',
  ]);
});

test('unknown keys show as (@key?) and are never dropped', () => {
  const out = html('[@vaswani2017; @nobody] and @ghost.\n', ITEMS, ['nobody', 'ghost']);
  assert.deepEqual(cites(out), [
    '(Vaswani et al., 2017) (@nobody?)  [Attention is all you need; @nobody: not in any library]',
    '(@ghost?)  [@ghost: not in any library]',
  ]);
  assert.match(out, /<span class="pn-cite-unknown">\(@nobody\?\)<\/span>/);
});

test('the bibliography goes at the end under References, or into ::: {#refs}', () => {
  const atEnd = html('# Note\n\nSee @tian2021.\n\nMore text.\n');
  assert.match(atEnd, /<p>More text.<\/p>\n<section class="pn-references"><h2>References<\/h2><div class="csl-bib-body">/);
  assert.match(atEnd, /Tian, Y\. \(2021\)\. Understanding self-supervised learning dynamics\. <i>ICML<\/i>\./);
  const inDiv = html('See @tian2021.\n\n# Bibliography\n\n::: {#refs}\n:::\n\n# Appendix\n\nText.\n');
  assert.match(inDiv, /<h1>Bibliography<\/h1>\n<div id="refs" class="pn-references">\n<div class="csl-bib-body">[\s\S]*<\/div><\/div>\n<h1>Appendix<\/h1>/);
  assert.doesNotMatch(inDiv, /<h2>References/);
  const titled = html('---\nreference-section-title: Works cited\n---\nSee @tian2021.\n');
  assert.match(titled, /<h2>Works cited<\/h2>/);
  const suppressed = html('---\nsuppress-bibliography: true\n---\nSee @tian2021.\n');
  assert.doesNotMatch(suppressed, /csl-bib-body/);
});

test('the front matter picks the style and the locale', () => {
  const vancouver = html('---\ncsl: vancouver\n---\n[@tian2021] then @vaswani2017 and [@tian2021; @vaswani2017].\n');
  assert.deepEqual(cites(vancouver).map((c) => c.replace(/  \[.*/, '')), ['(1)', 'Vaswani et al. (2)', '(1,2)']);
  assert.match(vancouver, /csl-left-margin">1\.<\/div><div class="csl-right-inline">Tian Y\./);
  const harvard = html('---\ncsl: harvard.csl\nlang: de-DE\n---\n[@vaswani2017, p. 3]\n');
  assert.deepEqual(cites(harvard).map((c) => c.replace(/  \[.*/, '')), ['(Vaswani, Shazeer und Parmar, 2017, S. 3)']);
});

test('citations wait for their items, written as they are', () => {
  const s = source(undefined);
  const out = markdown(s).render('See [@tian2021, p. 3] and @{odd:key}.\n', { currentDocument: 'file:///w/note.md' });
  assert.match(out, /<span class="pn-cite pn-cite-pending" data-cite="tian2021">\[@tian2021, p. 3\]<\/span>/);
  assert.match(out, /data-cite="odd:key">@\{odd:key\}<\/span>/);
  assert.deepEqual(s.asked, [['tian2021', 'odd:key']]);
});

test('no citations in code, math, links, autolinks or HTML; affixes are escaped', () => {
  const out = html('`@tian2021` $@tian2021$ <https://x.org/@tian2021> [x](https://x.org/@tian2021) <b title="@tian2021">b</b>\n\n[<img src=x onerror=alert(1)> @tian2021]\n');
  assert.equal(cites(out).length, 1);
  assert.doesNotMatch(out, /<img src=x/);
  assert.match(out, /\(&#60;img src=x onerror=alert\(1\)&#62; Tian, 2021\)/);
});

test('locators in suffixes', () => {
  const show = (s: string) => JSON.stringify(splitLocator(s));
  assert.equal(show(', p. 33'), '{"label":"page","locator":"33","rest":""}');
  assert.equal(show(', pp. 33-35, 38'), '{"label":"page","locator":"33-35, 38","rest":""}');
  assert.equal(show(', chap. 2, and more'), '{"label":"chapter","locator":"2","rest":", and more"}');
  assert.equal(show(', 33'), '{"label":"page","locator":"33","rest":""}');
  assert.equal(show(' and more'), '{"rest":" and more"}');
  assert.equal(show(', sec. iv'), '{"label":"section","locator":"iv","rest":""}');
});

// The formatter keeps one citeproc engine per style and language across answers and notes, registering only new or
// changed items: what it prints must be what a fresh engine prints, disambiguation included.
const AMBIGUOUS: CslItem[] = [
  { id: 'kim2020a', type: 'article-journal', title: 'Sparse experts', author: [{ family: 'Kim', given: 'Ji' }, { family: 'Park', given: 'Min' }, { family: 'Lee', given: 'Su' }], issued: { 'date-parts': [[2020]] } },
  { id: 'kim2020b', type: 'article-journal', title: 'Dense experts', author: [{ family: 'Kim', given: 'Ji' }, { family: 'Chen', given: 'Wei' }, { family: 'Wu', given: 'Li' }], issued: { 'date-parts': [[2020]] } },
  { id: 'smith2019x', type: 'book', title: 'Scaling laws', author: [{ family: 'Smith', given: 'Anna' }], issued: { 'date-parts': [[2019]] }, publisher: 'MIT Press' },
  { id: 'smith2019y', type: 'book', title: 'Attention spans', author: [{ family: 'Smith', given: 'Anna' }], issued: { 'date-parts': [[2019]] }, publisher: 'MIT Press' },
  { id: 'smith2019z', type: 'article-journal', title: 'Other Smith', author: [{ family: 'Smith', given: 'Bob' }], issued: { 'date-parts': [[2019]] } },
  ...ITEMS,
];

test('a reused engine prints what a fresh one prints: new notes, re-answers, changed items, ambiguous citations', () => {
  const { corpus } = require('../../bench/preview/corpus') as typeof import('../../bench/preview/corpus');
  const big = corpus(3, 48, 60);
  const other = corpus(4, 30, 30);
  const note = (items: CslItem[], extra = '') =>
    items.map((x, i) => (i % 3 === 0 ? `@${x.id} says` : i % 3 === 1 ? `[see @${x.id}, p. ${i}]` : `[-@${x.id}]`)).join(' and ') + '.\n' + extra;
  const render = (style: string, items: CslItem[], text: string) =>
    markdown(source(items.map((x) => structuredClone(x)))).render(`---\ncsl: ${style}\n---\n${text}`, { currentDocument: 'file:///w/note.md' });
  const fresh = (style: string, items: CslItem[], text: string) => {
    resetFormatters();
    return render(style, items, text);
  };
  const ambiguousNote = note(AMBIGUOUS, '[@kim2020a; @kim2020b; @smith2019x; @smith2019y]\n');
  const edited = big.items.map((x, i) => (i === 7 ? { ...x, title: 'An edited title' } : i === 12 ? { ...x, issued: { 'date-parts': [[1990]] } } : x));
  for (const style of ['apa', 'harvard', 'vancouver']) {
    const expected = fresh(style, AMBIGUOUS, ambiguousNote);
    const expectedBig = fresh(style, big.items, big.note);
    const expectedEdited = fresh(style, edited, big.note);
    const expectedFewer = fresh(style, AMBIGUOUS.slice(1), note(AMBIGUOUS.slice(1)));
    resetFormatters();
    render(style, other.items, other.note);
    assert.equal(render(style, AMBIGUOUS, ambiguousNote), expected, `${style}: a note after another`);
    assert.equal(render(style, big.items, big.note), expectedBig, `${style}: a larger note after it`);
    assert.equal(render(style, AMBIGUOUS, ambiguousNote), expected, `${style}: back to the first`);
    assert.equal(render(style, AMBIGUOUS.slice(1), note(AMBIGUOUS.slice(1))), expectedFewer, `${style}: a key no longer cited`);
    assert.equal(render(style, big.items, big.note), expectedBig, `${style}: the same items again`);
    assert.equal(render(style, edited, big.note), expectedEdited, `${style}: two items changed`);
    assert.equal(render(style, big.items, big.note), expectedBig, `${style}: changed back`);
    if (style === 'apa') {
      // The note does need disambiguation: year suffixes and names before "et al.".
      assert.match(expected, /A\. Smith \(2019a\)/);
      assert.match(expected, /Kim, Park, et al\./);
      assert.match(expectedBig, /\d{4}[ab]\)/);
    }
  }
});

test("citeproc's case mapping and sort comparison, made fast, answer as the originals", () => {
  const original = require('citeproc') as Record<string, unknown>;
  const lower = original.toLocaleLowerCase as (this: unknown, s: string) => string;
  const upper = original.toLocaleUpperCase as (this: unknown, s: string) => string;
  const compare = original.getSortCompare as (this: unknown, locale?: string) => (a: string, b: string) => number;
  // Patched once the preview first formats (the tests above did).
  assert.equal(original.speedUp, true);
  const words = ['Istanbul', 'İZMİR', 'ıi', 'ΣΊΣΥΦΟΣ', 'Straße', 'ǅemal', 'Ĳssel', 'van der Berg', '[Anon]', '"Quoted"', 'Zürich', 'zebra', 'Éclair', 'eclair', '10 things', '9 things', ''];
  const langs = [['en-US', 'en'], ['en'], ['tr'], ['tr-TR', 'en'], ['az'], ['lt'], ['el'], ['de-DE'], ['en_US'], ['nonsense-tag-!'], [], ['x']];
  for (const lang_array of langs) {
    const self = { tmp: { lang_array } };
    const safe = (f: () => string) => { try { return f(); } catch { return '(throws)'; } };
    for (const w of words) {
      const expectLower = safe(() => w.toLocaleLowerCase(lang_array));
      const expectUpper = safe(() => w.toLocaleUpperCase(lang_array));
      assert.equal(lower.call(self, w), expectLower === '(throws)' ? w.toLowerCase() : expectLower, `lower ${w} ${lang_array}`);
      assert.equal(upper.call(self, w), expectUpper === '(throws)' ? w.toUpperCase() : expectUpper, `upper ${w} ${lang_array}`);
    }
  }
  for (const locale of ['en-US', 'de-DE', 'tr-TR', undefined]) {
    const self = { tmp: { lang_array: [locale ?? 'en-US'] } };
    const cmp = compare.call(self, locale);
    const opts = { sensitivity: 'base', ignorePunctuation: true, numeric: true } as const;
    const strip = (s: string) => s.replace(/^[\[\]'"]*/g, '');
    for (const a of words) {
      for (const b of words) {
        const expected = strip(a).toLocaleLowerCase(self.tmp.lang_array).localeCompare(strip(b).toLocaleLowerCase(self.tmp.lang_array), locale ?? 'en-US', opts);
        assert.equal(Math.sign(cmp(a, b)), Math.sign(expected), `${locale}: ${a} <> ${b}`);
      }
    }
  }
});
