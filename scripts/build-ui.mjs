// Builds the served page into ui/site/: the files at the top of ui/ (index.html, styles.css, favicon.svg,
// any other asset placed there) copied as they are, and ui/src/main.ts with its libraries bundled into
// ui/site/dist/app.js (the Word exporter
// is a chunk of its own, ui/site/dist/chunks/, fetched the first time someone exports). The server serves ui/site/ only, so no path reaches ui/src/ or the project.
// `--watch` rebuilds the bundle on change (top-level files are copied once, at start).
import { build, context } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const watch = process.argv.includes('--watch');
const uiDir = path.join(root, 'ui');
const siteDir = path.join(uiDir, 'site');

mkdirSync(siteDir, { recursive: true });
for (const entry of readdirSync(uiDir, { withFileTypes: true })) {
  if (entry.isFile() && !entry.name.startsWith('.') && !/\.(ts|md)$/.test(entry.name)) copyFileSync(path.join(uiDir, entry.name), path.join(siteDir, entry.name));
}

/** @type {import('esbuild').BuildOptions} */
const options = {
  absWorkingDir: root,
  entryPoints: { app: 'ui/src/main.ts' },
  outdir: 'ui/site/dist',
  // The Word exporter (the `docx` library) is a chunk of its own, fetched the first time someone exports.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  minify: !watch,
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'info',
  define: { 'process.env.NODE_ENV': '"production"' },
};

if (watch) {
  const builder = await context(options);
  await builder.watch();
} else {
  const result = await build({ ...options, metafile: true });
  const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
  if (bytes === 0) throw new Error('ui build produced no output');
}
