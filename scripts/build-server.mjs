// Builds the server that `npm start` runs into dist/server/: src/main.ts and what it imports, bundled by
// esbuild into plain JavaScript (packages stay in node_modules, imported as they are). Running it needs no
// TypeScript loader, whose worker thread and compiler cost a server some 30 MB of memory. What the sources
// load lazily (the Redis modules, the chat model's client, MCP) stays a chunk of its own, loaded as lazily.
// Every module keeps its own import.meta.url (its source file's), so that a file found relative to a
// module (ui/site/, prompts/, a data file beside the code) is found from the bundle as from the sources.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = path.join(root, 'src/main.ts');

/** import.meta.url → the module's own source URL (but in the entry, which checks that it is the one run). */
const sourceUrls = {
  name: 'source-import-meta-url',
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (args.path === entry || !source.includes('import.meta.url')) return { contents: source, loader: 'ts' };
      return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
    });
  },
};

await rm(path.join(root, 'dist/server'), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/main.ts' },
  outdir: 'dist/server',
  splitting: true,
  chunkNames: '[name]-[hash]',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  plugins: [sourceUrls],
  logLevel: 'warning',
});
