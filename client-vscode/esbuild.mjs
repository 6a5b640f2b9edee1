// Bundles the extension (and vscode-languageclient, citeproc-js, the bundled CSL styles and locales) into one
// CommonJS file, so the .vsix needs no node_modules; writes the notices of what is bundled beside it.
// `--tests`: bundles the node:test files (client-vscode/test/*.test.ts) and the preview bench (bench/preview) into
// client-vscode/out/ instead; they run in plain node (no vscode module).
import * as esbuild from 'esbuild';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node18',
  external: ['vscode'],
  logLevel: tests ? 'warning' : 'info',
};

// citeproc-js makes closures in its hot paths: under keepNames each gets a defineProperty, which made formatting 300
// citations several times slower. So it is its own file, built without keepNames, that the extension requires
// (lazily, on the first preview with citations) as ./citeproc.js beside extension.js.
const worker = path.join(here, 'src', 'preview', 'worker.ts');

const citeprocExternal = {
  name: 'citeproc-external',
  setup(build) {
    build.onResolve({ filter: /^citeproc$/ }, () => ({ path: './citeproc.js', external: true }));
  },
};

if (tests) {
  const testDir = path.join(here, 'test');
  const entries = fs.readdirSync(testDir).filter((f) => f.endsWith('.test.ts')).map((f) => path.join(testDir, f));
  fs.rmSync(path.join(here, 'out'), { recursive: true, force: true });
  await esbuild.build({ ...common, entryPoints: entries, outdir: path.join(here, 'out', 'test'), sourcemap: 'inline' });
  await esbuild.build({
    ...common,
    entryPoints: [path.join(root, 'bench', 'preview', 'citations.bench.ts')],
    outdir: path.join(here, 'out', 'bench'),
  });
  // The preview's second formatting thread: beside the bench (parallel.ts looks for it there), and for the tests out of
  // out/test, where node --test would run it as a test.
  for (const dir of ['worker', 'bench']) {
    await esbuild.build({ ...common, entryPoints: [worker], outfile: path.join(here, 'out', dir, 'preview-worker.js') });
  }
} else {
  const options = {
    ...common,
    entryPoints: [path.join(here, 'src', 'extension.ts')],
    outfile: path.join(here, 'dist', 'extension.js'),
    keepNames: true,
    plugins: [citeprocExternal],
    sourcemap: watch ? 'inline' : false,
    minify: !watch,
    legalComments: 'none', // the notices file below carries them
  };
  await esbuild.build({
    ...common,
    entryPoints: [path.join(root, 'node_modules', 'citeproc', 'citeproc_commonjs.js')],
    outfile: path.join(here, 'dist', 'citeproc.js'),
    minify: true,
    legalComments: 'none',
  });
  await esbuild.build({
    ...common,
    entryPoints: [worker],
    outfile: path.join(here, 'dist', 'preview-worker.js'),
    plugins: [citeprocExternal],
    minify: !watch,
    legalComments: 'none',
  });
  fs.mkdirSync(path.join(here, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(here, 'dist', 'THIRD-PARTY-NOTICES.txt'), notices());
  if (watch) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  } else {
    await esbuild.build(options);
  }
}

/** The licences of what the bundle includes besides our own code. */
function notices() {
  const license = (pkg, file = 'LICENSE') => fs.readFileSync(path.join(root, 'node_modules', pkg, file), 'utf8').trim();
  return [
    'Paper Notes bundles the following third-party software and data in client-vscode/dist/extension.js (and the CSL',
    'locales in client-vscode/dist/preview-worker.js, the Markdown preview\'s second formatting thread).',
    '',
    '== citeproc-js (npm "citeproc"), https://github.com/Juris-M/citeproc-js: formats citations in the Markdown preview.',
    'Unmodified; its source is the npm package "citeproc" of the version in package-lock.json.',
    license('citeproc'),
    '',
    '== CSL styles "APA 7th edition", "NLM/Vancouver", "Cite Them Right 12th edition - Harvard" and the CSL locales',
    'en-US, de-DE, es-ES, fr-FR, nl-NL, from the Citation Style Language projects (https://github.com/citation-style-language/styles,',
    'https://github.com/citation-style-language/locales), as packaged by @citation-js/plugin-csl (MIT). Licensed under the',
    'Creative Commons Attribution-ShareAlike 3.0 Unported licence, https://creativecommons.org/licenses/by-sa/3.0/;',
    'each style names its authors in its <info> element.',
    '',
    '== vscode-languageclient, vscode-jsonrpc, vscode-languageserver-protocol (MIT), Copyright (c) Microsoft Corporation.',
    license('vscode-languageclient', 'License.txt'),
    '',
  ].join('\n');
}
