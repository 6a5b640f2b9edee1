// Minimal readers for the e2e tests: find a paper's title and abstract in the workspace's
// library files (BibTeX, CSL JSON, CSL YAML) so the checks can compare with what VS Code shows.
// Deliberately small: only what the example libraries need, never the server's own parsers.
import fs from 'node:fs';
import path from 'node:path';

export const LIBRARY_RE = /\.(bib|bibtex|csl\.json|csl\.ya?ml)$/i;

export function listFiles(dir, re, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.git')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) listFiles(full, re, out);
    else if (re.test(entry.name)) out.push(full);
  }
  return out.sort();
}

/** Returns { file, title, abstract, count } for key, or undefined. */
export function findPaper(workspace, key) {
  for (const file of listFiles(workspace, LIBRARY_RE)) {
    const text = fs.readFileSync(file, 'utf8');
    let paper;
    try {
      if (/\.bib(tex)?$/i.test(file)) paper = fromBib(text, key);
      else if (/\.json$/i.test(file)) paper = fromCslJson(text, key);
      else paper = fromCslYaml(text, key);
    } catch {
      paper = undefined;
    }
    if (paper) return { file, ...paper };
  }
  return undefined;
}

/** Rough number of entries in all library files (for a sanity note only). */
export function countPapers(workspace) {
  let n = 0;
  for (const file of listFiles(workspace, LIBRARY_RE)) {
    const text = fs.readFileSync(file, 'utf8');
    if (/\.bib(tex)?$/i.test(file)) {
      n += [...text.matchAll(/^\s*@(\w+)\s*[{(]/gm)].filter((m) => !/^(string|comment|preamble)$/i.test(m[1])).length;
    } else if (/\.json$/i.test(file)) {
      try {
        const data = JSON.parse(text);
        n += Array.isArray(data) ? data.length : Array.isArray(data.items) ? data.items.length : 1;
      } catch { /* ignore */ }
    } else {
      n += [...text.matchAll(/^\s*-\s+id\s*:/gm)].length;
    }
  }
  return n;
}

function fromCslJson(text, key) {
  const data = JSON.parse(text);
  const items = Array.isArray(data) ? data : (data.items ?? data.references ?? [data]);
  const item = items.find((i) => String(i.id) === key || i['citation-key'] === key);
  return item ? { title: strip(item.title ?? ''), abstract: strip(item.abstract ?? '') } : undefined;
}

function fromBib(text, key) {
  const start = new RegExp(`@\\w+\\s*[{(]\\s*${escapeRe(key)}\\s*,`, 'i').exec(text);
  if (!start) return undefined;
  let depth = 1;
  let i = start.index + start[0].length;
  const bodyStart = i;
  for (; i < text.length && depth > 0; i++) {
    if (text[i] === '{' || text[i] === '(') depth++;
    else if (text[i] === '}' || text[i] === ')') depth--;
  }
  const body = text.slice(bodyStart, i - 1);
  return { title: strip(bibField(body, 'title')), abstract: strip(bibField(body, 'abstract')) };
}

function bibField(body, name) {
  const m = new RegExp(`(?:^|[,\\s])${name}\\s*=\\s*`, 'i').exec(body);
  if (!m) return '';
  let i = m.index + m[0].length;
  if (body[i] === '{') {
    let depth = 0;
    const s = i;
    for (; i < body.length; i++) {
      if (body[i] === '{') depth++;
      else if (body[i] === '}' && --depth === 0) break;
    }
    return body.slice(s + 1, i);
  }
  if (body[i] === '"') {
    const e = body.indexOf('"', i + 1);
    return body.slice(i + 1, e < 0 ? body.length : e);
  }
  return /^[^,]*/.exec(body.slice(i))[0];
}

function fromCslYaml(text, key) {
  const lines = text.split(/\r?\n/);
  const idRe = new RegExp(`^(\\s*)(-\\s+)?id\\s*:\\s*["']?${escapeRe(key)}["']?\\s*$`);
  let idx = -1;
  let indent = 0;
  for (let i = 0; i < lines.length; i++) {
    const m = idRe.exec(lines[i]);
    if (m) {
      idx = i;
      indent = m[1].length + (m[2] ? m[2].length : 0);
      break;
    }
  }
  if (idx < 0) return undefined;
  // The item's other keys are at `indent`; the item ends at a line less indented or a new "- ".
  let start = idx;
  while (start > 0 && !/^\s*-\s/.test(lines[start]) && leading(lines[start - 1]) >= indent && lines[start - 1].trim()) start--;
  let end = idx + 1;
  while (end < lines.length && (lines[end].trim() === '' || (leading(lines[end]) >= indent && !isItemStart(lines[end], indent)))) end++;
  const block = lines.slice(start, end);
  return { title: strip(yamlValue(block, 'title', indent)), abstract: strip(yamlValue(block, 'abstract', indent)) };
}

function isItemStart(line, indent) {
  return /^\s*-\s/.test(line) && leading(line) < indent;
}

function yamlValue(block, name, indent) {
  const re = new RegExp(`^(\\s*-\\s+)?\\s*${name}\\s*:\\s*(.*)$`);
  for (let i = 0; i < block.length; i++) {
    const line = block[i];
    const m = re.exec(line);
    if (!m) continue;
    const keyIndent = m[1] ? m[1].length : leading(line);
    if (keyIndent !== indent) continue;
    let value = m[2].trim();
    const more = [];
    for (let j = i + 1; j < block.length && (block[j].trim() === '' || leading(block[j]) > keyIndent); j++) more.push(block[j].trim());
    if (/^[>|][+-]?\d*$/.test(value)) return more.join(' ');
    value = [value, ...more].join(' ').trim();
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) value = value.slice(1, -1);
    return value;
  }
  return '';
}

function leading(line) {
  return /^\s*/.exec(line)[0].length;
}

function strip(s) {
  return String(s).replace(/\\[a-zA-Z]+\s*/g, '').replace(/[{}]/g, '').replace(/\s+/g, ' ').trim();
}

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Lowercase words, punctuation removed: for comparing text shown by VS Code with the source. */
export function words(s) {
  return String(s).toLowerCase().normalize('NFKD').replace(/[^\p{L}\p{N}]+/gu, ' ').trim().split(' ').filter(Boolean);
}

/** A title word (not part of the key) to type after '@' so completion must search titles. */
export function titleWord(title, key) {
  const candidates = String(title)
    .split(/[^A-Za-z]+/)
    .filter((w) => w.length >= 5 && !key.toLowerCase().includes(w.toLowerCase()));
  candidates.sort((a, b) => b.length - a.length);
  return candidates[0];
}

/** Keys of all entries in the workspace's library files (rough, for the mock server). */
export function allKeys(workspace) {
  const keys = [];
  for (const file of listFiles(workspace, LIBRARY_RE)) {
    const text = fs.readFileSync(file, 'utf8');
    if (/\.bib(tex)?$/i.test(file)) {
      for (const m of text.matchAll(/^\s*@(\w+)\s*[{(]\s*([^,\s]+)\s*,/gm)) if (!/^(string|comment|preamble)$/i.test(m[1])) keys.push(m[2]);
    } else if (/\.json$/i.test(file)) {
      try {
        const data = JSON.parse(text);
        for (const i of Array.isArray(data) ? data : data.items ?? []) keys.push(String(i.id));
      } catch { /* ignore */ }
    } else {
      for (const m of text.matchAll(/^\s*-\s+id\s*:\s*["']?([^"'\s]+)["']?\s*$/gm)) keys.push(m[1]);
    }
  }
  return keys;
}
