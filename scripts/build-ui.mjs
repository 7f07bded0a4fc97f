// Bundles the chat page (ui/src/main.ts and its libraries) into ui/dist/app.js (and lazily loaded chunks); `--watch` rebuilds on change.
import { build, context } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const options = {
  absWorkingDir: root,
  entryPoints: { app: 'ui/src/main.ts' },
  outdir: 'ui/dist',
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
