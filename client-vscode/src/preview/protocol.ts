// The messages between the host's thread (parallel.ts) and the second formatting thread (worker.ts), and what both
// sides must agree on. Types and constants only, so that the worker's bundle takes nothing else of parallel.ts.
import type { CitationGroup } from './syntax';
import type { BibliographyParts, CslItem, FormatOptions, FormattedGroup, RegistryFacts } from './format';

/** How many answers' items the worker keeps; the host sends an answer's items again once it may have dropped them. */
export const ANSWERS_HELD = 4;

/** Messages to the worker. */
export type ToWorker =
  | {
      type: 'warm';
      options: FormatOptions;
      /** A note to format once the engine is built, so that V8 has compiled the formatting code before a real half. */
      practice?: { groups: CitationGroup[]; items: CslItem[] };
    }
  | {
      type: 'format';
      job: number;
      /** The answer the items belong to; `items` is sent with its first job only. */
      token: number;
      items?: CslItem[];
      groups: CitationGroup[];
      options: FormatOptions;
      /** Whether to send its registry's facts with the clusters. */
      facts: boolean;
      /** Whether to format and send its bibliography after the clusters. */
      bibliography: boolean;
    };

/** Messages from the worker. */
export type FromWorker =
  | { type: 'ready'; id: string }
  | { type: 'clusters'; job: number; groups: FormattedGroup[]; facts?: RegistryFacts }
  | { type: 'bibliography'; job: number; parts?: BibliographyParts }
  | { type: 'error'; job?: number; message: string };
