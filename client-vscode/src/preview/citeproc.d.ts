// The part of citeproc-js (npm `citeproc`, no types of its own) the preview uses.
declare module 'citeproc' {
  export interface Sys {
    retrieveLocale(lang: string): string;
    retrieveItem(id: string): unknown;
  }
  export interface CiteItem {
    id: string;
    prefix?: string;
    suffix?: string;
    locator?: string;
    label?: string;
    'suppress-author'?: boolean;
    'author-only'?: boolean;
  }
  export interface Citation {
    citationID: string;
    citationItems: CiteItem[];
    properties: { noteIndex: number; unsorted?: boolean };
  }
  export type BibliographyResult = [{ bibstart: string; bibend: string; entry_ids: string[][] }, string[]];
  export class Engine {
    constructor(sys: Sys, style: string, lang?: string, forceLang?: boolean);
    setOutputFormat(format: 'html' | 'text'): void;
    updateItems(ids: string[]): void;
    rebuildProcessorState(citations: Citation[], mode: 'html' | 'text', uncited: string[]): [string, number, string][];
    makeCitationCluster(items: CiteItem[]): string;
    makeBibliography(): BibliographyResult | false;
    opt: { xclass?: string };
    /** Internal: the style's citation sort keys (emptied to keep a cluster's order). */
    citation_sort: { tokens: unknown[] };
  }
}
