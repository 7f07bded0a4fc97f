// `npm run reports -- add FILE… [--region NAME] [--year YYYY] [--parent NAME] [--replace]`, `list`, `remove ID`,
// `restore ID [--replace]`: the reports users bring, added to and removed from the index in place, with a
// progress bar; a shipped report removed is withdrawn (its file in data/ stays) and can be restored.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { ProcessDocumentReader } from '../corpus/document-reader.ts';
import { buildUserReport } from '../corpus/user-report.ts';
import { readConfig } from '../config.ts';
import { currentIndexFolder, loadIndexFolder, type WriteOptions } from '../index/index-store.ts';
import { commandProcesses, openEmbedder } from '../index/model-runtime.ts';
import { addReports, catalogueOf, listReports, listWithdrawn, removeReport, restoreReport, type UpdateProgress } from '../index/update-index.ts';

const STAGES: Record<string, string> = { load: 'Opening the index', chunk: 'Chunking', embed: 'Embedding passages', index: 'Indexing (BM25, HNSW)', write: 'Writing and switching' };

function progressBar(): { listener: UpdateProgress; stop: () => void } {
  const stream = process.stderr;
  let bar: cliProgress.SingleBar | undefined;
  let stage = '';
  const stop = (): void => {
    bar?.stop();
    bar = undefined;
  };
  return {
    stop,
    listener: (event) => {
      if (event.stage !== stage) {
        stop();
        stage = event.stage;
        if (!stream.isTTY) return void stream.write(`${STAGES[stage] ?? stage} …\n`);
        bar = new cliProgress.SingleBar({ format: `${(STAGES[stage] ?? stage).padEnd(24)} [{bar}] {percentage}% {value}/{total}`, stream, hideCursor: true }, cliProgress.Presets.shades_classic);
        bar.start(event.total, event.done);
        return;
      }
      bar?.update(event.done);
    },
  };
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { region: { type: 'string' }, year: { type: 'string' }, parent: { type: 'string' }, replace: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
});
const [command, ...rest] = positionals;
const config = readConfig();
const embedder = await openEmbedder(config.embedder, { log: (line) => console.error(line), bulkProcesses: commandProcesses() });
const settings = { dataDir: config.dataDir, indexDir: config.indexDir, embedder: embedder.settings };
/** How long a command waits for another writer of the index (an ingest, an upload) to finish. */
const WRITER_WAIT_MS = 10 * 60_000;
const wait: WriteOptions['wait'] = {
  waitMs: WRITER_WAIT_MS,
  onWait: (holder) => console.error(`Waiting for another writer of the index to finish (${holder.purpose}, pid ${holder.pid}, for ${holder.ageSeconds} s) …`),
};
const usage = 'usage: npm run reports -- add FILE… [--region NAME] [--year YYYY] [--parent NAME] [--replace] | list [--json] | remove ID | restore ID [--replace]';

async function run(): Promise<void> {
  if (command === 'list') {
    const folder = await currentIndexFolder(settings.indexDir);
    const index = await loadIndexFolder(settings, folder);
    const catalogue = await catalogueOf(settings, folder);
    const listing = listReports(index.store.reports, (id) => index.store.passagesOf(id).length, catalogue.reports);
    const withdrawn = listWithdrawn(catalogue);
    if (values.json) return void console.log(JSON.stringify({ reports: listing, withdrawn }, null, 2));
    for (const report of listing) console.log(`${report.id.padEnd(28)} ${String(report.year)}  ${report.region.padEnd(10)} ${String(report.passages).padStart(4)} passages  ${report.origin}${report.addedAt ? ` ${report.addedAt}` : ''}  ${report.title}`);
    if (withdrawn.length > 0) console.log('\nWithdrawn (shipped, files kept in data/; `npm run reports -- restore ID` brings one back):');
    for (const report of withdrawn) console.log(`${report.id.padEnd(28)} ${String(report.year)}  ${report.region.padEnd(10)} withdrawn ${report.withdrawnAt}${report.replaced ? ' (an added report has its place)' : ''}  ${report.title}`);
    return;
  }
  if (command === 'add') {
    if (rest.length === 0) throw new Error(usage);
    const year = values.year !== undefined ? Number(values.year) : undefined;
    if (values.year !== undefined && !/^\d{4}$/.test(values.year)) throw new Error(`--year ${values.year}: give a four-digit year`);
    const prepared = [];
    const reader = new ProcessDocumentReader(config.documentLimits);
    for (const file of rest) {
      const document = await reader.read({ bytes: await readFile(file), fileName: path.basename(file), maxBytes: config.maxUploadBytes });
      const report = buildUserReport(document, { ...(values.region ? { region: values.region } : {}), ...(year ? { year } : {}), ...(values.parent ? { parent: values.parent } : {}) });
      const parent = report.report.parent ? `, part of ${report.report.parent}${values.parent ? ' (--parent)' : ''}` : '';
      console.error(`${file}: ${report.report.title} (${report.report.id}${parent}; region from ${values.region ? '--region' : `“${report.detected.evidence.region ?? '?'}”`}, year from ${year ? '--year' : `“${report.detected.evidence.year ?? '?'}”`}; ${document.format}${document.encoding ? `, ${document.encoding}` : ''}, ${report.report.text.length} characters)`);
      prepared.push({ document, report });
    }
    const progress = progressBar();
    try {
      const { result: added } = await addReports(settings, prepared, { replace: values.replace, onProgress: progress.listener, purpose: `reports add ${rest.map((file) => path.basename(file)).join(', ')}`, wait });
      progress.stop();
      for (const report of added) console.error(`Added ${report.id}: ${report.passages} passages${report.replaced ? ` (replacing the previous ${report.replaced}${report.replacedShipped ? `, which ships with the project: its file in data/ stays and \`npm run reports -- restore ${report.replaced} --replace\` brings it back` : ''})` : ''}${report.newRegion ? `; ${report.region} is a new region of the corpus` : ''}, in ${report.milliseconds} ms.`);
    } finally {
      progress.stop();
    }
    return;
  }
  if (command === 'remove') {
    const id = rest[0];
    if (!id || rest.length > 1) throw new Error(usage);
    const { result: removed } = await removeReport(settings, id, { purpose: `reports remove ${id}`, wait });
    if (removed.origin === 'seed') console.error(`Withdrew ${removed.id} (${removed.passages} passages) in ${removed.milliseconds} ms. It ships with the project: its file in data/ stays, it is listed as withdrawn, and \`npm run reports -- restore ${removed.id}\` brings it back.`);
    else console.error(`Removed ${removed.id} (${removed.passages} passages) in ${removed.milliseconds} ms.`);
    return;
  }
  if (command === 'restore') {
    const id = rest[0];
    if (!id || rest.length > 1) throw new Error(usage);
    const progress = progressBar();
    try {
      const { result: restored } = await restoreReport(settings, id, { replace: values.replace, onProgress: progress.listener, purpose: `reports restore ${id}`, wait });
      progress.stop();
      console.error(`Restored ${restored.id} from data/ (${restored.passages} passages)${restored.replaced ? `, in place of the added report ${restored.replaced}` : ''}, in ${restored.milliseconds} ms.`);
    } finally {
      progress.stop();
    }
    return;
  }
  throw new Error(usage);
}

try {
  await run();
} catch (error) {
  console.error((error as Error).message);
  await embedder.stop();
  process.exit(1);
}
// A local model's processes are stopped (and waited for) rather than left to exit after the command.
await embedder.stop();
