// Opening the index for a command or the server: rebuild it first when it is missing or stale (after
// checking that the index folder can be written, so that a build does not run for 20 s to fail at the end).
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from './config.ts';
import { AppError } from './errors.ts';
import { buildIndex, isIndexFresh, loadIndex, type ProgressListener } from './index/index-store.ts';
import type { PassageIndex } from './index/passage-index.ts';

export async function openIndex(
  config: Pick<Config, 'dataDir' | 'indexDir' | 'embedder'>,
  options: { onProgress?: ProgressListener; log?: (line: string) => void } = {},
): Promise<PassageIndex> {
  const settings = { dataDir: config.dataDir, indexDir: config.indexDir, embedder: config.embedder };
  const freshness = await isIndexFresh(settings);
  if (!freshness.fresh) {
    await assertWritableFolder(config.indexDir, freshness.reason);
    options.log?.(`Building the index: ${freshness.reason} …`);
    await buildIndex(settings, options.onProgress);
  }
  return loadIndex(settings);
}

/** The folder, or the nearest parent that exists, must be writable by this process. */
export async function assertWritableFolder(folder: string, why: string): Promise<void> {
  let existing = path.resolve(folder);
  for (;;) {
    const found = await stat(existing).then(
      (stats) => stats,
      () => undefined,
    );
    if (found) break;
    const parent = path.dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  try {
    if (!(await stat(existing)).isDirectory()) throw new Error(`${existing} is not a folder`);
    await access(existing, constants.W_OK);
  } catch (error) {
    throw new AppError(
      'index_missing',
      `The index must be built (${why}), but INDEX_DIR ${folder} cannot be written (${existing} is not a folder this user can write). Set INDEX_DIR to a writable folder, or run \`npm run ingest\` once as a user who can write it.`,
      { cause: error },
    );
  }
}
