// `npm run ingest [-- --if-stale]`: builds the index in vectorstore/ from data/, with a progress bar. It holds
// the writer lock throughout (waiting for a report being added or removed to finish), after the start-up
// check has brought data/added in line with the current index. Shipped reports the admin withdrew stay out
// (data/added/catalogue.json lists them); it says which, and how to bring one back.
import { parseArgs } from 'node:util';
import { readConfig } from '../config.ts';
import { readCatalogue } from '../corpus/catalogue.ts';
import { FileWriterLock } from '../index/file-writer-lock.ts';
import { buildIndex, isIndexFresh } from '../index/index-store.ts';
import { commandProcesses, openEmbedder } from '../index/model-runtime.ts';
import { describeReconcile, reconcileIndex } from '../index/reconcile-index.ts';
import { withWriterLock } from '../index/writer-lock.ts';
import { createProgressBar } from './progress.ts';

/** How long an ingest waits for another writer to finish. */
const WRITER_WAIT_MS = 10 * 60_000;

const { values } = parseArgs({ options: { 'if-stale': { type: 'boolean', default: false } } });
const config = readConfig();
const embedder = await openEmbedder(config.embedder, { log: (line) => console.error(line), bulkProcesses: commandProcesses() });
const settings = { dataDir: config.dataDir, indexDir: config.indexDir, embedder: embedder.settings };
try {
  await withWriterLock(
    new FileWriterLock(config.indexDir),
    'ingest',
    async (held) => {
      const checked = describeReconcile(await reconcileIndex(settings));
      if (checked) console.error(checked);
      if (values['if-stale']) {
        const freshness = await isIndexFresh(settings);
        if (freshness.fresh) return void console.error(`The index in ${config.indexDir}/ is up to date.`);
        console.error(`Rebuilding the index: ${freshness.reason}.`);
      }
      const started = performance.now();
      const progress = createProgressBar();
      try {
        const manifest = await buildIndex(settings, progress.listener, { held });
        progress.stop();
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        console.error(`Indexed ${manifest.passages} passages (${manifest.droppedDuplicates} duplicates of Jiangsu's PDF copy dropped) with ${manifest.embedder}, ${manifest.dimensions} dimensions, in ${seconds} s → ${config.indexDir}/`);
        const { withdrawn } = await readCatalogue(config.dataDir);
        if (withdrawn.length > 0) {
          console.error(`Left out ${withdrawn.length} shipped report${withdrawn.length === 1 ? '' : 's'} withdrawn by the admin (${withdrawn.map((entry) => entry.id).join(', ')}); \`npm run reports -- restore ID\` brings one back.`);
        }
      } finally {
        progress.stop();
      }
    },
    { waitMs: WRITER_WAIT_MS, onWait: (holder) => console.error(`Waiting for another writer of the index to finish (${holder.purpose}, pid ${holder.pid}, for ${holder.ageSeconds} s) …`) },
  );
} catch (error) {
  await embedder.stop();
  console.error(`Ingest failed: ${(error as Error).message}`);
  process.exit(1);
}
await embedder.stop();
