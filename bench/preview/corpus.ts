// Generated notes and libraries for the preview bench (and the preview tests): a note citing N distinct papers with
// realistic CSL items (titles, one to twenty-odd authors from a pool where family names recur, container titles,
// volumes, pages, DOIs, dates), so some citations are ambiguous the way a real reading list is: two papers by the
// same first author in the same year (APA's 2020a/2020b), same first author with different co-authors (et al. rules).
// Deterministic: the same seed gives the same note and items; another seed gives other keys, names and titles.
import { CslItem } from '../../client-vscode/src/preview/format';

const FAMILIES = [
  'Smith', 'Zhang', 'Wang', 'Li', 'Chen', 'Liu', 'Kim', 'Park', 'Müller', 'García', 'Martin', 'Nguyen', 'Tanaka',
  'Suzuki', 'Rossi', 'Kowalski', 'Ivanov', 'Johnson', 'Brown', 'Williams', 'Jones', 'Davis', 'Miller', 'Wilson',
  'Moore', 'Taylor', 'Anderson', 'Thomas', 'Jackson', 'White', 'Harris', 'Clark', 'Lewis', 'Robinson', 'Walker',
  'Young', 'Allen', 'King', 'Wright', 'Scott', 'Hill', 'Green', 'Adams', 'Baker', 'Nelson', 'Carter', 'Mitchell',
  'Roberts', 'Turner', 'Phillips', 'Campbell', 'Parker', 'Evans', 'Edwards', 'Collins', 'Stewart', 'Morris', 'Murphy',
  'Cook', 'Rogers', 'Morgan', 'Peterson', 'Cooper', 'Reed', 'Bailey', 'Bell', 'Gómez', 'Kelly', 'Howard', 'Ward',
  'Cox', 'Díaz', 'Richardson', 'Wood', 'Watson', 'Brooks', 'Bennett', 'Gray', 'James', 'Reyes', 'Cruz', 'Hughes',
  'Price', 'Myers', 'Long', 'Foster', 'Sanders', 'Ross', 'Morales', 'Powell', 'Sullivan', 'Russell', 'Ortiz',
  'Jenkins', 'Gutiérrez', 'Perry', 'Butler', 'Barnes', 'Fisher', 'Henderson', 'Coleman', 'Simmons', 'Patterson',
  'Jordan', 'Reynolds', 'Hamilton', 'Graham', 'Wallace', 'Woods', 'Cole', 'West', 'Owens', 'Marshall', 'Schmidt',
  'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Dubois', 'Lefebvre', 'Moreau',
  'Laurent', 'Bernard', 'Petit', 'van der Berg', 'de Vries', 'Bakker', 'Janssen', 'Visser', 'Yamamoto', 'Watanabe',
  'Ito', 'Nakamura', 'Kobayashi', 'Sato', 'Huang', 'Zhao', 'Wu', 'Zhou', 'Xu', 'Sun', 'Ma', 'Zhu', 'Hu', 'Guo',
];
const GIVENS = [
  'Ashish', 'Noam', 'Niki', 'Yuandong', 'Maria', 'John', 'Wei', 'Anna', 'Peter', 'Laura', 'Hiroshi', 'Elena', 'David',
  'Sofia', 'Marco', 'Julia', 'Ahmed', 'Fatima', 'Lucas', 'Emma', 'Ravi', 'Priya', 'Jan', 'Eva', 'Tomás', 'Ines',
  'Jean-Pierre', 'Kai', 'Mei', 'Oliver', 'Chloé', 'Sven',
];
const WORDS = [
  'attention', 'learning', 'representations', 'self-supervised', 'contrastive', 'graph', 'neural', 'networks',
  'language', 'models', 'scaling', 'laws', 'vision', 'transformers', 'diffusion', 'retrieval', 'augmented',
  'generation', 'reinforcement', 'policy', 'optimization', 'sparse', 'mixture', 'experts', 'efficient', 'inference',
  'robust', 'calibration', 'uncertainty', 'benchmark', 'evaluation', 'protein', 'structure', 'prediction',
  'causal', 'discovery', 'federated', 'privacy', 'distillation', 'quantization', 'pruning', 'memory', 'reasoning',
  'chain-of-thought', 'instruction', 'tuning', 'alignment', 'preference', 'feedback', 'multimodal', 'speech',
];
const CONTAINERS = [
  'Advances in Neural Information Processing Systems', 'Proceedings of the International Conference on Machine Learning',
  'Journal of Machine Learning Research', 'Nature', 'Science', 'Transactions of the Association for Computational Linguistics',
  'IEEE Transactions on Pattern Analysis and Machine Intelligence', 'Proceedings of the AAAI Conference on Artificial Intelligence',
  'International Conference on Learning Representations', 'Computational Linguistics', 'Neural Computation',
  'Proceedings of the National Academy of Sciences', 'Artificial Intelligence', 'Machine Learning', 'Bioinformatics',
];
const PUBLISHERS = ['MIT Press', 'Cambridge University Press', 'Springer', 'Oxford University Press', "O'Reilly Media"];

/** A small deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Corpus {
  items: CslItem[];
  /** The note: front matter (`csl:` when a style is given), headings, 300-odd citations in every pandoc form. */
  note: string;
  /** Citation groups written in the note. */
  citations: number;
}

/**
 * `count` distinct items and a note with `citations` citation groups citing every one of them at least once.
 * Every 12th item takes the first author and year of the item before it (and every 24th its whole author list), so
 * APA and Harvard must disambiguate (2019a/2019b, or more names before "et al.").
 */
export function corpus(seed: number, count = 300, citations = 300, style?: string): Corpus {
  const rnd = random(seed * 7919 + 17);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const items: CslItem[] = [];
  for (let i = 0; i < count; i++) {
    const authorCount = rnd() < 0.05 ? 21 + Math.floor(rnd() * 8) : 1 + Math.floor(rnd() * rnd() * 8);
    let author = Array.from({ length: authorCount }, () => ({ family: pick(FAMILIES), given: pick(GIVENS) }));
    let year = 1995 + Math.floor(rnd() * 30);
    const previous = items[i - 1];
    if (previous && i % 12 === 0) {
      const prevAuthors = previous.author!;
      const copy = (a: (typeof prevAuthors)[number]) => ({ family: a.family!, given: a.given! });
      author = i % 24 === 0 ? prevAuthors.map(copy) : [copy(prevAuthors[0]), ...author.slice(1)];
      year = (previous.issued as { 'date-parts': number[][] })['date-parts'][0][0];
    }
    const words = Array.from({ length: 4 + Math.floor(rnd() * 9) }, () => pick(WORDS));
    const title = words[0][0].toUpperCase() + words[0].slice(1) + ' ' + words.slice(1).join(' ') + (rnd() < 0.3 ? `: A ${pick(WORDS)} perspective` : '');
    const kind = rnd();
    const id = `${author[0].family.toLowerCase().replace(/[^a-z]/g, '')}${year}s${seed}n${i}`;
    const item: CslItem = { id, type: 'article-journal', title, author, issued: { 'date-parts': [[year, 1 + Math.floor(rnd() * 12)]] } };
    if (kind < 0.55) {
      Object.assign(item, { 'container-title': pick(CONTAINERS), volume: String(1 + Math.floor(rnd() * 60)), issue: String(1 + Math.floor(rnd() * 12)) });
      const first = 1 + Math.floor(rnd() * 900);
      item.page = `${first}-${first + 5 + Math.floor(rnd() * 30)}`;
    } else if (kind < 0.85) {
      Object.assign(item, { type: 'paper-conference', 'container-title': pick(CONTAINERS), publisher: 'Curran Associates', page: `${1 + Math.floor(rnd() * 9000)}` });
    } else if (kind < 0.95) {
      Object.assign(item, { type: 'book', publisher: pick(PUBLISHERS), 'publisher-place': 'Cambridge, MA', edition: rnd() < 0.3 ? '2' : undefined });
    } else {
      Object.assign(item, { type: 'chapter', 'container-title': `Handbook of ${pick(WORDS)}`, publisher: pick(PUBLISHERS), editor: [{ family: pick(FAMILIES), given: pick(GIVENS) }], page: '11-42' });
    }
    if (rnd() < 0.6) item.DOI = `10.${1000 + Math.floor(rnd() * 9000)}/${id}`;
    for (const key of Object.keys(item)) if (item[key] === undefined) delete item[key];
    items.push(item);
  }
  const keys = items.map((x) => x.id);
  const lines = ['---', 'title: Reading notes', ...(style ? [`csl: ${style}`] : []), '---', '', '# Notes', ''];
  for (let c = 0; c < citations; c++) {
    const k = keys[c % count];
    const other = keys[Math.floor(rnd() * count)];
    const forms = [`[@${k}]`, `@${k} says`, `[see @${k}, p. ${c + 1}; @${other}]`, `[-@${k}]`, `@${k} [pp. 3-4]`, `[@${k}, ch. 2]`];
    lines.push(`Sentence ${c} with a citation ${forms[c % forms.length]} and some more words to read.`);
    if (c % 5 === 4) lines.push('');
    if (c % 60 === 59) lines.push(`## Section ${c / 60 + 1}`, '');
  }
  return { items, note: lines.join('\n') + '\n', citations };
}
