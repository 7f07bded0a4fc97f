// Noticing that another process (the reports CLI, an ingest, another replica) switched the index: CURRENT
// is polled, and read again at once when told (another replica announcing its change); a change loads the
// new folder while the old index keeps answering until the swap.
import { unwatchFile, watchFile } from 'node:fs';
import path from 'node:path';
import type { EmbedderSettings } from './embedders.ts';
import { currentIndexFolder, loadIndexFolder } from './index-store.ts';
import type { PassageIndex } from './passage-index.ts';

export function watchCurrentIndex(
  settings: { indexDir: string; embedder: EmbedderSettings },
  current: () => PassageIndex | undefined,
  onChange: (index: PassageIndex) => void,
  onError: (error: Error) => void = () => {},
  intervalMs = 500,
): { stop(): void; check(): void } {
  const file = path.join(settings.indexDir, 'CURRENT');
  let loading = false;
  let again = false;
  const check = async (): Promise<void> => {
    if (loading) return void (again = true);
    loading = true;
    try {
      do {
        again = false;
        const folder = await currentIndexFolder(settings.indexDir);
        const serving = current();
        if (!serving || serving.folder === folder) continue;
        const reuse = settings.embedder.kind === 'lsa' ? undefined : serving.embeddings;
        onChange(await loadIndexFolder(settings, folder, reuse));
      } while (again);
    } catch (error) {
      onError(error as Error);
    } finally {
      loading = false;
    }
  };
  watchFile(file, { interval: intervalMs, persistent: false }, () => void check());
  return { stop: () => unwatchFile(file), check: () => void check() };
}
