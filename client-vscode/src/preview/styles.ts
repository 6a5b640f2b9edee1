// The citation styles and locales bundled with the extension: APA 7th, NLM/Vancouver and Cite Them Right (Harvard)
// from the official CSL styles repository, and five locales from the CSL locales repository, both CC BY-SA 3.0, as
// @citation-js/plugin-csl packages them (a dev dependency: esbuild inlines the two JSON files, nothing else of it).
import styles from '@citation-js/plugin-csl/lib/styles.json';
import locales from '@citation-js/plugin-csl/lib/locales.json';

const bundledStyles = styles as Record<string, string>;
const bundledLocales = locales as Record<string, string>;

/** Names a note's `csl:` or the setting may use for a bundled style (with or without `.csl`). */
const STYLE_NAMES: Record<string, string> = {
  apa: 'apa',
  vancouver: 'vancouver',
  harvard: 'harvard1',
  harvard1: 'harvard1',
  'cite-them-right-harvard': 'harvard1',
};

export const DEFAULT_STYLE = 'apa';
export const DEFAULT_LOCALE = 'en-US';

/** The XML of a bundled style, by name (`apa`, `apa.csl`, `Vancouver`...), else undefined. */
export function bundledStyle(name: string): string | undefined {
  const id = STYLE_NAMES[name.trim().toLowerCase().replace(/\.csl$/, '')];
  return id ? bundledStyles[id] : undefined;
}

export function bundledStyleNames(): string[] {
  return ['apa', 'vancouver', 'harvard'];
}

/** The bundled locale for a `lang:` tag: exact (`de-DE`), else by language (`de`, `de-AT`), else undefined. */
export function bundledLocale(lang: string | undefined): { tag: string; xml: string } | undefined {
  if (!lang) return undefined;
  const wanted = lang.trim().replace('_', '-').toLowerCase();
  const tags = Object.keys(bundledLocales);
  const tag = tags.find((t) => t.toLowerCase() === wanted) ?? tags.find((t) => t.split('-')[0].toLowerCase() === wanted.split('-')[0]);
  return tag ? { tag, xml: bundledLocales[tag] } : undefined;
}

export function localeXml(tag: string): string {
  return bundledLocales[tag] ?? bundledLocales[DEFAULT_LOCALE];
}
