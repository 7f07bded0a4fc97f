// A writer of a test's index in a process of its own (DATA_DIR, INDEX_DIR from the environment):
// `add FILE REGION YEAR`, `remove ID` or `ingest`, stopped after one step of the write through the
// writers' step hook: `--kill-after STEP` kills the process there (SIGKILL, as a crash would), and
// `--pause-after STEP` prints `paused STEP` and waits for a line on stdin before going on.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { readDocument } from '../../src/corpus/read-document.ts';
import { buildUserReport } from '../../src/corpus/user-report.ts';
import { buildIndex, type WriteStep } from '../../src/index/index-store.ts';
import { addReports, removeReport } from '../../src/index/update-index.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'kill-after': { type: 'string' }, 'pause-after': { type: 'string' } } });
const [action, ...rest] = positionals;
const settings = { dataDir: process.env.DATA_DIR!, indexDir: process.env.INDEX_DIR!, embedder: { kind: 'lsa' as const } };

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
async function onStep(step: WriteStep): Promise<void> {
  if (step === values['kill-after']) process.kill(process.pid, 'SIGKILL');
  if (step === values['pause-after']) {
    process.stdout.write(`paused ${step}\n`);
    await lines.next();
  }
}

if (action === 'add') {
  const [file, region, year] = rest;
  const document = await readDocument({ bytes: await readFile(file!), fileName: path.basename(file!) });
  const report = buildUserReport(document, { region: region!, year: Number(year) });
  const { result } = await addReports(settings, [{ document, report }], { onStep, purpose: `test add ${report.report.id}` });
  process.stdout.write(`added ${result[0]!.id}\n`);
} else if (action === 'remove') {
  await removeReport(settings, rest[0]!, { onStep, purpose: `test remove ${rest[0]}` });
  process.stdout.write(`removed ${rest[0]}\n`);
} else if (action === 'ingest') {
  const manifest = await buildIndex(settings, () => {}, { onStep });
  process.stdout.write(`built ${manifest.passages}\n`);
} else {
  throw new Error(`unknown action ${action}`);
}
process.exit(0);
