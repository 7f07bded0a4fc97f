// `npm run ingest [-- --if-stale]`: builds the index in vectorstore/ from data/, with a progress bar.
import { parseArgs } from 'node:util';
import { readConfig } from '../config.ts';
import { buildIndex, isIndexFresh } from '../index/index-store.ts';
import { createProgressBar } from './progress.ts';

const { values } = parseArgs({ options: { 'if-stale': { type: 'boolean', default: false } } });
const config = readConfig();
const settings = { dataDir: config.dataDir, indexDir: config.indexDir, embedder: config.embedder };
if (values['if-stale']) {
  const freshness = await isIndexFresh(settings);
  if (freshness.fresh) {
    console.error(`The index in ${config.indexDir}/ is up to date.`);
    process.exit(0);
  }
  console.error(`Rebuilding the index: ${freshness.reason}.`);
}
const started = performance.now();
const progress = createProgressBar();
try {
  const manifest = await buildIndex(settings, progress.listener);
  progress.stop();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.error(`Indexed ${manifest.passages} passages (${manifest.droppedDuplicates} duplicates of Jiangsu's PDF copy dropped) with ${manifest.embedder}, ${manifest.dimensions} dimensions, in ${seconds} s → ${config.indexDir}/`);
} catch (error) {
  progress.stop();
  console.error(`Ingest failed: ${(error as Error).message}`);
  process.exit(1);
}
