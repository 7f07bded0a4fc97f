// Opening the index for a command or the server: the embedder first (a local model is started, or LSA with
// a notice), then the start-up check (holding the writer lock, it repairs what a writer that died left and
// clears its leftovers), then a rebuild when the index is missing or stale (after checking that the index
// folder can be written, so that a build does not run for 20 s to fail at the end).
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from './config.ts';
import { AppError } from './errors.ts';
import { FileWriterLock } from './index/file-writer-lock.ts';
import { buildIndex, isIndexFresh, loadIndex, type ProgressListener } from './index/index-store.ts';
import type { EmbedderRequest, EmbedderSettings } from './index/embedders.ts';
import { openEmbedder } from './index/model-runtime.ts';
import type { PassageIndex } from './index/passage-index.ts';
import { describeReconcile, reconcileIndex, type ReconcileReport } from './index/reconcile-index.ts';
import type { HeldLock, WriterLock } from './index/writer-lock.ts';

/** How long opening the index waits for another writer (an ingest takes some 20 s) before serving CURRENT as it is. */
export const WRITER_WAIT_MS = 120_000;

export interface OpenIndexOptions {
  onProgress?: ProgressListener;
  log?: (line: string) => void;
  lock?: WriterLock;
  /** What the start-up check found (for /healthz). */
  onChecked?: (report: ReconcileReport) => void;
}

/**
 * A command's index. A local model asked for is started here and runs until the process exits (its
 * child process, if any, goes with it); the server opens its embedder itself, to stop it on shutdown.
 */
export async function openIndex(
  config: Pick<Config, 'dataDir' | 'indexDir'> & { embedder: EmbedderRequest | EmbedderSettings },
  options: OpenIndexOptions = {},
): Promise<PassageIndex> {
  const { settings: embedder } = await openEmbedder(config.embedder, options.log ? { log: options.log } : {});
  const settings = { dataDir: config.dataDir, indexDir: config.indexDir, embedder };
  const lock = options.lock ?? new FileWriterLock(config.indexDir);
  let held: HeldLock | undefined;
  try {
    held = await lock.acquire('start-up check', {
      waitMs: WRITER_WAIT_MS,
      onWait: (holder) => {
        options.log?.(`Waiting for another writer of the index to finish (${holder.purpose}, pid ${holder.pid}) …`);
        options.onProgress?.({ stage: 'waiting for the index writer', done: 0, total: 1 });
      },
    });
  } catch (error) {
    // A read-only INDEX_DIR, or a writer that holds on: serve CURRENT as it is (a rebuild below says why it cannot).
    options.log?.(`No start-up check: ${(error as Error).message}`);
  }
  try {
    if (held) {
      const report = await reconcileIndex(settings);
      options.onChecked?.(report);
      const line = describeReconcile(report);
      if (line) options.log?.(line);
    }
    const freshness = await isIndexFresh(settings);
    if (!freshness.fresh) {
      await assertWritableFolder(config.indexDir, freshness.reason);
      options.log?.(`Building the index: ${freshness.reason} …`);
      await buildIndex(settings, options.onProgress, held ? { held } : { lock });
    }
  } finally {
    await held?.release();
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
