// The Markdown preview's citation plugin on a note with 300 citations (npm run bench:preview): how long markdown-it
// takes to parse and render it, with the items already cached (the preview renders synchronously from its cache).
//   parse:          tokenizing (VS Code caches tokens per document version)
//   first render:   a new server answer: a new citeproc engine (the style parsed), every citation and the bibliography
//   render again:   the same answer (a refresh, a re-render after a scroll or a settings change)
//   typing:         a keystroke outside citations: parse and render, formatting from the cache
//   one locator:    a keystroke in a citation: that cluster is formatted again
//   key order:      a newly cited key up front: registry, every cluster and the bibliography again
import MarkdownIt from 'markdown-it';
import { citationsPlugin, CitationSource, NoteItems } from '../../client-vscode/src/preview/citations';
import { CslItem } from '../../client-vscode/src/preview/format';
import { bundledStyle } from '../../client-vscode/src/preview/styles';

const ITEMS = 120;
const CITATIONS = 300;

function item(i: number): CslItem {
  return {
    id: `key${i}`,
    type: i % 3 === 0 ? 'book' : 'article-journal',
    title: `A study of subject number ${i} and its consequences`,
    author: Array.from({ length: 1 + (i % 4) }, (_, a) => ({ family: `Author${(i * 7 + a) % 50}`, given: `Given ${a}` })),
    issued: { 'date-parts': [[1990 + (i % 30)]] },
    'container-title': `Journal ${i % 12}`,
    volume: String(i % 40),
    page: `${i}-${i + 10}`,
  };
}

function note(seed: number): string {
  const lines = ['---', 'title: Bench', '---', '# Notes', ''];
  for (let c = 0; c < CITATIONS; c++) {
    const k = (c * 37 + seed) % ITEMS;
    const forms = [`[@key${k}]`, `@key${k} says`, `[see @key${k}, p. ${c}; @key${(k + 1) % ITEMS}]`, `[-@key${k}]`, `@key${k} [pp. 3-4]`];
    lines.push(`Sentence ${c} with a citation ${forms[c % forms.length]} and some more words to read.${c % 5 === 4 ? '\n' : ''}`);
  }
  return lines.join('\n') + '\n';
}

function makeSource(): CitationSource {
  const data: NoteItems = { items: new Map(Array.from({ length: ITEMS }, (_, i) => item(i)).map((x) => [x.id, x])), unknown: new Set() };
  const xml = bundledStyle(process.argv[2] ?? 'apa')!;
  return { items: () => data, style: () => ({ xml }) };
}

function time(fn: () => void, runs: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return times.sort((a, b) => a - b);
}

const median = (xs: number[]) => xs[Math.floor(xs.length / 2)];
const fmt = (xs: number[]) => `median ${median(xs).toFixed(1)} ms (min ${xs[0].toFixed(1)}, max ${xs[xs.length - 1].toFixed(1)})`;

const text = note(0);
const env = () => ({ currentDocument: 'file:///bench/note.md' });
let md = new MarkdownIt({ html: true, linkify: true });
citationsPlugin(md, makeSource());
const tokens = md.parse(text, env());
const count = JSON.stringify(tokens).split('"pandoc_cite"').length - 1;

const parse = time(() => md.parse(text, env()), 10);
const first = time(() => {
  md = new MarkdownIt({ html: true, linkify: true });
  citationsPlugin(md, makeSource()); // a new answer: a new items map, so a new engine
  md.renderer.render(tokens, md.options, env());
}, 5);
const again = time(() => md.renderer.render(tokens, md.options, env()), 10);
let n = 0;
// Typing in a sentence: the citations are the same.
const typing = time(() => md.render(text.replace('Sentence 150 ', `Sentence 150 typed${n++} `), env()), 10);
// Editing one citation's locator: one cluster is formatted again.
const locator = time(() => md.render(text.replace('p. 152;', `p. ${1000 + n++};`), env()), 10);
// Citing another key first: numbering and the bibliography change, so everything is formatted again.
const newKey = time(() => md.render(`[@key${n++ % ITEMS}]\n\n` + text, env()), 5);
const html = md.render(text, env());

console.log(`${count} citation groups (${CITATIONS} written), ${ITEMS} items, style ${process.argv[2] ?? 'apa'}, node ${process.version}`);
console.log(`parse:         ${fmt(parse)}`);
console.log(`first render:  ${fmt(first)}`);
console.log(`render again:  ${fmt(again)}`);
console.log(`typing:        ${fmt(typing)}`);
console.log(`one locator:   ${fmt(locator)}`);
console.log(`key order:     ${fmt(newKey)}`);
console.log(`output: ${(html.length / 1024).toFixed(0)} KB, ${html.split('csl-entry').length - 1} bibliography entries`);
