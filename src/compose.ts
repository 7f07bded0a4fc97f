// Opening the index for a command or the server: rebuild it first when it is missing or stale.
import type { Config } from './config.ts';
import { buildIndex, isIndexFresh, loadIndex, type ProgressListener } from './index/index-store.ts';
import type { PassageIndex } from './index/passage-index.ts';

export async function openIndex(
  config: Pick<Config, 'dataDir' | 'indexDir' | 'embedder'>,
  options: { onProgress?: ProgressListener; log?: (line: string) => void } = {},
): Promise<PassageIndex> {
  const settings = { dataDir: config.dataDir, indexDir: config.indexDir, embedder: config.embedder };
  const freshness = await isIndexFresh(settings);
  if (!freshness.fresh) {
    options.log?.(`Building the index: ${freshness.reason} …`);
    await buildIndex(settings, options.onProgress);
  }
  return loadIndex(settings);
}
