// A long note's citations formatted on two citeproc-js engines at once: this thread's and a worker thread's, each
// with its half of the items (partition.ts), then put back together. citeproc-js is single-threaded and spends about
// 1 ms of CPU per cited item (APA) interpreting the style; an engine's registry cannot be shared, so the items are.
//
// markdown-it renders synchronously, so the host's thread waits for the worker's half with Atomics.wait (it would be
// formatting that half itself otherwise) and reads its answer with receiveMessageOnPort. The result is what one
// engine formats: after both engines registered their items, their registries are compared (the items' ambiguity
// keys and the name registry's keys must not meet), and the bibliographies are merged by their first sort keys (a
// tie across the halves is not decided there); either failing, or the worker failing or being late, and this
// thread's engine formats the whole note, as without a worker.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { CitationGroup } from './syntax';
import { groupKeys } from './syntax';
import {
  BibliographyParts,
  citedKeys,
  compareFirstKeys,
  CslItem,
  FormatOptions,
  formatCitations,
  Formatted,
  FormattedGroup,
  RegistryFacts,
  registryFacts,
  styleId,
  BIBLIOGRAPHY_LATER_FROM,
} from './format';
import { Partition, partitionItems, StyleTraits, styleTraits } from './partition';
import { ANSWERS_HELD, FromWorker, ToWorker } from './protocol';

/** From this many cited items a note is split: below it, the worker's messaging costs about what it saves. */
export const PARALLEL_FROM = 60;

/** How long the host's thread waits for the worker before formatting the whole note itself. */
const WORKER_TIMEOUT_MS = 30_000;

type JobReply = Exclude<FromWorker, { type: 'ready' }>;

/** The worker failed, was late, or the halves' registries met: the caller formats the whole note on one engine. */
class NotSplit extends Error {}

/** A note's answer split for one style: what the worker formatted of it so far, and the merged bibliography. */
interface SplitNote {
  cited: string;
  /** Undefined: formatted on this thread alone (no worker ready when it came, too uneven, or the halves met). */
  partition?: Partition;
  /** Each side's items (this thread's as a map kept for the answer, so that its results are cached with it). */
  mine: ReadonlyMap<string, CslItem>;
  theirs: CslItem[];
  token: number;
  verified: boolean;
  /** The worker's formatted groups by their signature. */
  clusters: Map<string, FormattedGroup>;
  /** The job whose bibliography is coming, or the worker's bibliography once it came. */
  theirBibliography?: number | { parts?: BibliographyParts };
  bibliography?: string;
}

/**
 * The worker thread and what it formatted: one per extension host (its engines are built once per style, as this
 * thread's). Created by whoever renders previews; without one, notes are formatted on this thread alone.
 */
export class SecondEngine {
  private worker: Worker | undefined;
  private port: MessagePort | undefined;
  private readonly counter = new Int32Array(new SharedArrayBuffer(4));
  private readonly ready = new Set<string>();
  private readonly warming = new Set<string>();
  private readonly replies = new Map<number, JobReply[]>();
  /** The answers' tokens the worker holds (the last ANSWERS_HELD it was sent). */
  private readonly held: number[] = [];
  private readonly notes = new WeakMap<ReadonlyMap<string, CslItem>, Map<string, SplitNote>>();
  private readonly traits = new Map<string, StyleTraits>();
  private nextJob = 1;
  private nextToken = 1;
  private broken: string | undefined;

  /** Notes (an answer's cited keys in a style) formatted on both threads, and long ones formatted on this one after all. */
  readonly counts = { split: 0, whole: 0 };
  private readonly log: (message: string) => void;
  private readonly timeoutMs: number;

  /**
   * `file`: the bundled worker.ts (preview-worker.js beside the bundle that runs this). The thread starts after the
   * first long note (`warm`), not before: most previews never need it.
   */
  constructor(
    private readonly file: string,
    options: { log?: (message: string) => void; timeoutMs?: number } = {},
  ) {
    this.log = options.log ?? (() => {});
    this.timeoutMs = options.timeoutMs ?? WORKER_TIMEOUT_MS;
  }

  private start(): void {
    if (this.worker) return;
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(this.file, { workerData: { port: port2, signal: this.counter.buffer }, transferList: [port2] });
    this.worker.unref(); // never keeps a process alive
    this.worker.on('error', (e) => this.fail(`the worker stopped: ${e.message}`));
  }

  /** The worker beside this bundle, or undefined when it is not there (a bundle without one). */
  static beside(dir: string, log?: (message: string) => void): SecondEngine | undefined {
    const file = path.join(dir, 'preview-worker.js');
    return fs.existsSync(file) ? new SecondEngine(file, { log }) : undefined;
  }

  dispose(): void {
    this.fail('disposed');
  }

  /**
   * Builds the worker's engine for a style now (its first note would otherwise wait 0.5–1 s for it), and formats the
   * `practice` note with it, if given, before it says it is ready: its first halves ran two to three times slower
   * than the next ones, in code V8 had not compiled yet.
   */
  warm(options: FormatOptions, practice?: { groups: CitationGroup[]; items: ReadonlyMap<string, CslItem> }): void {
    const id = styleId(options);
    if (this.broken || this.warming.has(id)) return;
    this.warming.add(id);
    this.start();
    this.post({
      type: 'warm',
      options: { style: options.style, lang: options.lang },
      practice: practice && { groups: practice.groups, items: [...practice.items.values()] },
    });
  }

  /** Whether the worker's engine for the style is built (without waiting). */
  isReady(options: FormatOptions): boolean {
    if (this.broken) return false;
    this.drain();
    return this.ready.has(styleId(options));
  }

  /** Waits until the worker's engine for the style is built (benches and tests); whether it is. */
  waitReady(options: FormatOptions, timeoutMs = this.timeoutMs): boolean {
    this.warm(options);
    const id = styleId(options);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = Atomics.load(this.counter, 0);
      this.drain();
      if (this.broken || this.ready.has(id) || !this.wait(seen, deadline)) return this.isReady(options);
    }
  }

  /** Formats a note as formatCitations does, its items split over the two engines when that is worth it. */
  format(
    groups: CitationGroup[],
    items: ReadonlyMap<string, CslItem>,
    options: FormatOptions,
    split: typeof partitionItems = partitionItems,
  ): Formatted {
    const cited = citedKeys(groups, items);
    if (cited.length < PARALLEL_FROM || this.broken) return formatCitations(groups, items, options);
    let traits = this.traits.get(options.style);
    if (!traits) {
      if (this.traits.size >= 8) this.traits.clear(); // a .csl being edited is a new style on every save
      this.traits.set(options.style, (traits = styleTraits(options.style)));
    }
    if (traits.whole) return formatCitations(groups, items, options);
    const id = styleId(options);
    let byStyle = this.notes.get(items);
    if (!byStyle) this.notes.set(items, (byStyle = new Map()));
    const citedKey = cited.join('\u0000');
    let note = byStyle.get(id);
    if (note?.cited !== citedKey) {
      // Decided once per answer and cited keys: a note that began on one engine stays on it (its results are there).
      const partition = this.isReady(options) ? split(groups, items, cited, traits) : undefined;
      byStyle.set(id, (note = this.splitNote(citedKey, items, partition)));
      if (!partition) {
        this.counts.whole++;
        if (!this.warming.has(id)) return this.formatThenWarm(groups, items, options);
      }
    }
    if (!note.partition) return formatCitations(groups, items, options);
    try {
      return this.formatSplit(note, groups, items, options);
    } catch (e) {
      if (!(e instanceof NotSplit)) throw e;
      this.log(`Preview: formatting on one thread (${e.message})`);
      note.partition = undefined;
      this.counts.whole++;
      return formatCitations(groups, items, options);
    }
  }

  /**
   * The first long note in a style is formatted on this thread alone, and the worker builds its engine after it (and
   * formats that note, for practice). Both threads busy while the code is new to V8 leave its optimizing compiler,
   * which runs on another thread, no core, and both run slower than one alone (the first note's in-text citations:
   * 1.2–1.5 s alone, 1.6–2.2 s split).
   */
  private formatThenWarm(groups: CitationGroup[], items: ReadonlyMap<string, CslItem>, options: FormatOptions): Formatted {
    const formatted = formatCitations(groups, items, options);
    const finish = formatted.finish;
    if (!finish) {
      this.warm(options, { groups, items });
      return formatted;
    }
    return {
      ...formatted,
      finish: () => {
        try {
          finish();
        } finally {
          this.warm(options, { groups, items });
        }
      },
    };
  }

  private splitNote(cited: string, items: ReadonlyMap<string, CslItem>, partition: Partition | undefined): SplitNote {
    const mine = new Map<string, CslItem>();
    const theirs: CslItem[] = [];
    if (partition) {
      for (const key of partition.sides[0]) mine.set(key, items.get(key)!);
      for (const key of partition.sides[1]) theirs.push(items.get(key)!);
    }
    return { cited, partition, mine, theirs, token: this.nextToken++, verified: false, clusters: new Map() };
  }

  private formatSplit(note: SplitNote, groups: CitationGroup[], items: ReadonlyMap<string, CslItem>, options: FormatOptions): Formatted {
    const partition = note.partition!;
    const sides: [CitationGroup[], CitationGroup[]] = [[], []];
    const place: [0 | 1, number][] = [];
    for (const group of groups) {
      const key = groupKeys(group).find((k) => items.has(k));
      const side = key === undefined ? 0 : partition.side.get(key)!;
      place.push([side, sides[side].length]);
      sides[side].push(group);
    }
    const signatures = sides[1].map(signature);
    const needClusters = signatures.some((s) => !note.clusters.has(s));
    let job: number | undefined;
    if (needClusters || note.theirBibliography === undefined) {
      job = this.nextJob++;
      const bibliography = note.theirBibliography === undefined;
      if (bibliography) note.theirBibliography = job;
      const held = this.held.includes(note.token);
      if (!held) {
        this.held.push(note.token);
        if (this.held.length > ANSWERS_HELD) this.held.shift();
      }
      this.post({
        type: 'format',
        job,
        token: note.token,
        items: held ? undefined : note.theirs,
        groups: sides[1],
        options: { style: options.style, lang: options.lang },
        facts: !note.verified,
        bibliography,
      });
    }
    const mine = formatCitations(sides[0], note.mine, options);
    if (job !== undefined) {
      const reply = this.receive(job, 'clusters');
      reply.groups.forEach((g, i) => note.clusters.set(signatures[i], g));
      if (!note.verified) {
        if (!reply.facts) throw new NotSplit('the worker sent no registry');
        const met = meet(registryFacts(options), reply.facts);
        if (met) throw new NotSplit(`both halves hold ${met}`);
        note.verified = true;
        if (++this.counts.split === 1) this.log(`Preview: a long note formatted on two threads (${note.mine.size} + ${note.theirs.length} items)`);
      }
    }
    const formatted = place.map(([side, i]) => (side === 0 ? mine.groups[i] : note.clusters.get(signatures[i])!));
    if (note.bibliography !== undefined) return { groups: formatted, bibliography: note.bibliography };
    const finish = () => {
      const complete = formatCitations(sides[0], note.mine, { ...options, bibliographyLater: false });
      note.bibliography = this.mergeBibliographies(note, complete.parts, groups, items, options);
    };
    if (options.bibliographyLater && note.mine.size + note.theirs.length >= BIBLIOGRAPHY_LATER_FROM) {
      return { groups: formatted, finish };
    }
    finish();
    return { groups: formatted, bibliography: note.bibliography };
  }

  /** Both bibliographies in the style's order; when they cannot be merged exactly, this thread formats the whole. */
  private mergeBibliographies(
    note: SplitNote,
    mine: BibliographyParts | undefined,
    groups: CitationGroup[],
    items: ReadonlyMap<string, CslItem>,
    options: FormatOptions,
  ): string {
    let theirs = note.theirBibliography;
    try {
      if (typeof theirs === 'number') note.theirBibliography = theirs = { parts: this.receive(theirs, 'bibliography').parts };
      const order = new Map(note.cited.split('\u0000').map((key, i) => [key, i]));
      const merged = merge(mine, theirs?.parts, compareFirstKeys(options), order);
      if (merged !== undefined) return merged;
      this.log('Preview: two bibliography entries tie on their first sort key across the halves; formatting it on one thread');
    } catch (e) {
      if (!(e instanceof NotSplit)) throw e;
      this.log(`Preview: formatting the bibliography on one thread (${e.message})`);
    }
    return formatCitations(groups, items, { ...options, bibliographyLater: false }).bibliography ?? '';
  }

  private post(message: ToWorker): void {
    try {
      this.port!.postMessage(message);
    } catch (e) {
      this.fail(`a message could not be sent: ${e instanceof Error ? e.message : String(e)}`);
      throw new NotSplit(this.broken);
    }
  }

  /** Reads what the worker sent so far, without waiting. */
  private drain(): void {
    if (!this.port) return;
    for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) {
      const message = m.message as FromWorker;
      if (message.type === 'ready') this.ready.add(message.id);
      else if (message.job === undefined) this.log(`Preview: the worker could not build an engine: ${message.type === 'error' ? message.message : message.type}`);
      else {
        const job = message.job;
        let replies = this.replies.get(job);
        if (!replies) this.replies.set(job, (replies = []));
        replies.push(message);
        // Replies nobody will read (an answer superseded before its bibliography was wanted) are not kept long.
        for (const old of this.replies.keys()) if (old < job - 16) this.replies.delete(old);
      }
    }
  }

  /** Waits for a job's reply of a kind; a failure or a late worker throws NotSplit. */
  private receive<T extends 'clusters' | 'bibliography'>(job: number, type: T): Extract<FromWorker, { type: T }> {
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const seen = Atomics.load(this.counter, 0);
      this.drain();
      const replies = this.replies.get(job) ?? [];
      const error = replies.find((r) => r.type === 'error');
      if (error?.type === 'error') {
        this.replies.delete(job);
        throw new NotSplit(`the worker failed: ${error.message}`);
      }
      const found = replies.find((r) => r.type === type);
      if (found) {
        replies.splice(replies.indexOf(found), 1);
        if (type === 'bibliography' || replies.length === 0) this.replies.delete(job);
        return found as Extract<FromWorker, { type: T }>;
      }
      if (this.broken) throw new NotSplit(this.broken);
      if (!this.wait(seen, deadline)) {
        this.fail(this.broken ?? 'the worker did not answer in time');
        throw new NotSplit(this.broken);
      }
    }
  }

  /**
   * Sleeps until the worker sends something after `seen` (the counter read before the last drain: it bumps the
   * counter after posting, so nothing sent before that read is missed) or until the deadline; false past it, or when
   * this thread may not block.
   */
  private wait(seen: number, deadline: number): boolean {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    try {
      Atomics.wait(this.counter, 0, seen, left);
    } catch (e) {
      this.fail(`this thread may not wait (${e instanceof Error ? e.message : String(e)})`);
      return false;
    }
    return true;
  }

  private fail(reason: string): void {
    if (this.broken) return;
    this.broken = reason;
    if (reason !== 'disposed') this.log(`Preview: the second formatting thread is off: ${reason}`);
    void this.worker?.terminate();
    this.port?.close();
  }
}

/** A group as the worker's results are kept: what its formatting depends on (not where it is in the note). */
function signature(group: CitationGroup): string {
  return JSON.stringify([group.items, group.nested]);
}

/** A key both registries hold, if any (then one engine would have formatted some item differently). */
function meet(a: RegistryFacts, b: RegistryFacts): string | undefined {
  const ambiguity = new Set(a.ambiguity);
  const sharedCite = b.ambiguity.find((k) => ambiguity.has(k));
  if (sharedCite !== undefined) return `the cite "${sharedCite}"`;
  const names = new Set(a.names);
  const sharedName = b.names.find((k) => names.has(k));
  return sharedName === undefined ? undefined : `the name "${sharedName}"`;
}

/**
 * The two halves' entries in the style's order: by first sort key (undefined when two from different halves tie on
 * it: only keys not sent, or the order of registration, would decide), or by first citation when the style does not
 * sort. Each half's entries are in that order already.
 */
export function merge(
  a: BibliographyParts | undefined,
  b: BibliographyParts | undefined,
  compare: ((x: unknown, y: unknown) => number) | undefined,
  citedOrder: ReadonlyMap<string, number>,
): string | undefined {
  if (!a || !b) {
    const parts = a ?? b;
    return parts ? parts.start + parts.entries.map((e) => e.html).join('') + parts.end : '';
  }
  if (a.start !== b.start || a.end !== b.end) return undefined;
  const position = (x: { id: string }) => citedOrder.get(x.id) ?? Number.MAX_SAFE_INTEGER;
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.entries.length && j < b.entries.length) {
    const x = a.entries[i];
    const y = b.entries[j];
    let c: number;
    if (compare) {
      c = compare(x.first, y.first);
      if (c === 0) return undefined;
    } else {
      c = position(x) - position(y);
    }
    if (c < 0) {
      out.push(x.html);
      i++;
    } else {
      out.push(y.html);
      j++;
    }
  }
  while (i < a.entries.length) out.push(a.entries[i++].html);
  while (j < b.entries.length) out.push(b.entries[j++].html);
  return a.start + out.join('') + a.end;
}
