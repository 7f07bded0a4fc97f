// Two phases of `npm run stress` for the report library (issue 21), against server children on temp
// copies of data/ and the index:
// - hostile files: the zip bombs, flate bomb, circular, deep and 150,000-page PDFs uploaded with
//   the default limits, each timed, with /healthz and a question probed every 100 ms meanwhile and the
//   server's memory after GC before and after;
// - crash windows: a writer killed (SIGKILL) after each step of an add, then a server started on what
//   it left (time to ready, rebuilt or not, list and index agreeing, leftovers); an ingest and an add
//   run at once; an upload that stalls.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, readdir, readFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { readCatalogueCopy, reportTextName } from '../../src/corpus/catalogue.ts';
import { readIndexCatalogue, WRITE_STEPS, type WriteStep } from '../../src/index/index-store.ts';
import { docxZipBomb, pdfCircularPageTree, pdfDeepPageTree, pdfFlateBomb, pdfManyPages } from '../../tests/helpers/hostile-files.ts';
import type { InvariantLog } from './invariants.ts';
import { formatBytes, formatMs } from './latency.ts';
import { copyIndex, offlineEnvironment, PROJECT_ROOT, sleep } from './project.ts';
import type { ServerProcess } from './server-process.ts';
import { formatTable, section } from './table.ts';

export interface LibraryStressContext {
  dataDir: string;
  servingDir: string;
  temp: string;
  quick: boolean;
  invariants: InvariantLog;
  startServer: (env: Record<string, string>) => Promise<ServerProcess>;
  log: (line: string) => void;
}

const TOKEN = 'stress-admin-token-0123456789';
const MB = 1024 * 1024;
const QUESTION = '江苏今年地区生产总值增长目标是多少？';
/** The bound on /healthz and questions while a hostile file is read. */
const RESPONSIVE_MS = 2000;
/** Memory the server may keep after a hostile file, after GC. */
const MEMORY_SLACK = { heapBytes: 16 * MB, rssBytes: 64 * MB };
/** Nantong's report, added as a 2025 report (the seed corpus has it as 2024): what the crash windows add. */
const ADDED_FILE = path.join(PROJECT_ROOT, 'data/003_e36d639f412a290e.txt');
const ADDED_ID = 'nantong-2025';

async function upload(server: ServerProcess, bytes: Uint8Array, fileName: string, fields: Record<string, string> = {}): Promise<{ status: number; body: { error?: { code: string; problem?: string; message: string; limit?: { setting: string } }; report?: { id: string } } }> {
  const body = new FormData();
  body.set('file', new Blob([new Uint8Array(bytes)]), fileName);
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  const response = await fetch(`${server.url}/api/reports`, { method: 'POST', body, headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: response.status, body: (await response.json()) as never };
}

/** Calls `probe` every 100 ms until `during` settles: the slowest call and the number of failures. */
async function probeWhile(during: Promise<unknown>, probe: () => Promise<boolean>): Promise<{ slowestMs: number; calls: number; failed: number }> {
  let done = false;
  void during.then(
    () => (done = true),
    () => (done = true),
  );
  const figures = { slowestMs: 0, calls: 0, failed: 0 };
  while (!done) {
    const started = performance.now();
    const ok = await probe().catch(() => false);
    figures.slowestMs = Math.max(figures.slowestMs, performance.now() - started);
    figures.calls++;
    if (!ok) figures.failed++;
    await sleep(100);
  }
  return figures;
}

const healthy = (server: ServerProcess) => async (): Promise<boolean> => (await fetch(`${server.url}/healthz`)).status === 200;
const answers = (server: ServerProcess) => async (): Promise<boolean> => {
  const response = await fetch(`${server.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: QUESTION }) });
  await response.arrayBuffer();
  return response.status === 200;
};

export async function stressHostileFiles(context: LibraryStressContext): Promise<Record<string, unknown>> {
  const { invariants, log } = context;
  const phase = 'hostile files';
  const suzhou = (await readFile(path.join(PROJECT_ROOT, 'data/001_8dfe99efc033ddf8.txt'), 'utf8')).split('\n').filter((line) => line.includes('苏州')).slice(0, 8);
  log('hostile files: making them (the issue\'s sizes) …');
  const compilation = await readFile(path.join(PROJECT_ROOT, 'data/001_8dfe99efc033ddf8.txt'), 'utf8');
  const files: { name: string; what: string; make: () => Promise<Uint8Array> | Uint8Array; expect: string; fields?: Record<string, string> }[] = [
    { name: 'bomb-500.docx', what: 'document.xml inflating to 500 MB', make: () => docxZipBomb(suzhou, 500), expect: 'DOCUMENT_MAX_ENTRY_MB' },
    { name: 'bomb-300.docx', what: 'document.xml inflating to 300 MB', make: () => docxZipBomb(suzhou, 300), expect: 'DOCUMENT_MAX_ENTRY_MB' },
    { name: 'flate-800.pdf', what: 'one page inflating to 800 MB', make: () => pdfFlateBomb(800), expect: 'DOCUMENT_MAX_ENTRY_MB' },
    { name: 'circular.pdf', what: 'page tree pointing to itself', make: () => pdfCircularPageTree(), expect: 'unreadable' },
    { name: 'deep.pdf', what: 'page tree 100,000 deep', make: () => pdfDeepPageTree(100_000), expect: 'DOCUMENT_MAX_PAGES' },
    { name: 'pages.pdf', what: '150,000 pages', make: () => pdfManyPages(150_000), expect: 'DOCUMENT_MAX_PAGES' },
    // Not hostile, the largest a document may be: read, then indexed in the server's thread a batch at a time.
    { name: 'longest.txt', what: '99,000 characters, just under the limit', make: () => new TextEncoder().encode(compilation.slice(0, 99_000)), expect: 'added', fields: { region: '南通市', year: '2025' } },
  ];
  // The 150,000-page PDF is 23 MB: the upload limit is raised so that the page limit is what refuses it.
  const server = await context.startServer(offlineEnvironment({ DATA_DIR: context.dataDir, INDEX_DIR: context.servingDir, RATE_LIMIT_PER_MINUTE: '0', ADMIN_TOKEN: TOKEN, MAX_UPLOAD_MB: '32' }));
  await answers(server)();
  const baseline = await server.probe({ gc: true });
  const rows: string[][] = [];
  const figures: Record<string, unknown>[] = [];
  for (const file of files) {
    const bytes = await file.make();
    const before = await server.probe({ gc: true });
    const started = performance.now();
    const refused = upload(server, bytes, file.name, file.fields);
    const [health, asks] = await Promise.all([probeWhile(refused, healthy(server)), probeWhile(refused, answers(server))]);
    const { status, body } = await refused;
    const seconds = (performance.now() - started) / 1000;
    const after = await server.probe({ gc: true });
    const named = status === 201 ? 'added' : (body.error?.limit?.setting ?? body.error?.problem ?? '');
    if (status === 201 && body.report) await fetch(`${server.url}/api/reports/${body.report.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } });
    const heapGrowth = after.memory.heapUsed - before.memory.heapUsed;
    const rssGrowth = after.memory.rss - before.memory.rss;
    figures.push({ file: file.name, what: file.what, bytes: bytes.byteLength, status, code: body.error?.code, problem: body.error?.problem, limit: body.error?.limit?.setting, seconds, healthzSlowestMs: health.slowestMs, healthzFailed: health.failed, askSlowestMs: asks.slowestMs, askFailed: asks.failed, asked: asks.calls, heapBefore: before.memory.heapUsed, heapAfter: after.memory.heapUsed, rssBefore: before.memory.rss, rssAfter: after.memory.rss });
    rows.push([file.name, file.what, formatBytes(bytes.byteLength), `${status} ${body.error?.code ?? ''}`.trim(), named, seconds.toFixed(1), formatMs(health.slowestMs), `${formatMs(asks.slowestMs)} (${asks.calls - asks.failed}/${asks.calls})`, `${formatBytes(before.memory.rss)} → ${formatBytes(after.memory.rss)}`]);
    log(`hostile files: ${file.name} → ${status} ${named} in ${seconds.toFixed(1)} s; /healthz ≤ ${formatMs(health.slowestMs)} ms, questions ≤ ${formatMs(asks.slowestMs)} ms`);
    const expected = file.expect === 'added' ? status === 201 : status >= 400 && status < 500 && body.error?.code !== 'internal' && named === file.expect;
    invariants.record(phase, file.expect === 'added' ? `${file.name} (${file.what}) is added, within 30 s` : `${file.name} (${file.what}) is refused with a 4xx naming ${file.expect}, within 30 s`, expected && seconds < 30, `${status} ${body.error?.code ?? ''} ${named} in ${seconds.toFixed(1)} s`);
    invariants.record(phase, `${file.name}: /healthz and questions answer within 2 s throughout`, health.failed === 0 && asks.failed === 0 && health.slowestMs < RESPONSIVE_MS && asks.slowestMs < RESPONSIVE_MS, `/healthz ≤ ${formatMs(health.slowestMs)} ms (${health.calls}), questions ≤ ${formatMs(asks.slowestMs)} ms (${asks.calls - asks.failed}/${asks.calls})`);
    // (An added and removed report leaves its HNSW slots marked deleted until the next ingest: not compared.)
    if (file.expect !== 'added') invariants.record(phase, `${file.name}: the server's memory returns to where it was`, heapGrowth < MEMORY_SLACK.heapBytes && rssGrowth < MEMORY_SLACK.rssBytes, `heap ${formatBytes(before.memory.heapUsed)} → ${formatBytes(after.memory.heapUsed)}, RSS ${formatBytes(before.memory.rss)} → ${formatBytes(after.memory.rss)} after GC`);
  }
  const peak = server.peakRss();
  await server.close();
  console.log(section(`Hostile files (default DOCUMENT_* limits; server RSS after GC ${formatBytes(baseline.memory.rss)} at start, peak ${formatBytes(peak)})`, formatTable(['file', 'what', 'size', 'answer', 'limit named', 's', '/healthz max ms', 'questions max ms', 'server RSS after GC'], rows)));
  return { baselineRss: baseline.memory.rss, peakRss: peak, files: figures };
}

/** Runs the test writer (tests/helpers/index-writer-child.ts) in a process of its own. */
function runWriter(env: Record<string, string>, args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/index-writer-child.ts', ...args], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  return new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stderr })));
}

/** What a server sees after starting on a library: time to ready, rebuilt or not, list and index agreeing, leftovers. */
async function startAndCheck(context: LibraryStressContext, env: Record<string, string>, dirs: { dataDir: string; indexDir: string }, builtAt: string) {
  const started = performance.now();
  const server = await context.startServer(env);
  const readyMs = performance.now() - started;
  const health = (await (await fetch(`${server.url}/healthz`)).json()) as { indexBuiltAt: string; startupCheck?: { repaired: string[]; removed: number } };
  const listing = (await (await fetch(`${server.url}/api/reports`)).json()) as { reports: { id: string; origin: string }[] };
  await server.close();
  const folder = (await readFile(path.join(dirs.indexDir, 'CURRENT'), 'utf8')).trim();
  const catalogue = (await readIndexCatalogue(path.join(dirs.indexDir, folder)))?.reports ?? [];
  const copy = await readCatalogueCopy(dirs.dataDir);
  const listed = listing.reports.filter((report) => report.origin === 'added').map((report) => report.id).sort();
  const indexed = catalogue.map((entry) => entry.id).sort();
  const leftIndex = (await readdir(dirs.indexDir)).filter((entry) => entry !== 'CURRENT' && entry !== folder);
  const expectedAdded = new Set(['catalogue.json', ...catalogue.map(reportTextName)]);
  const leftAdded = (await readdir(path.join(dirs.dataDir, 'added')).catch(() => [] as string[])).filter((entry) => !expectedAdded.has(entry));
  const agree = JSON.stringify(listed) === JSON.stringify(indexed) && JSON.stringify(copy?.reports ?? []) === JSON.stringify(catalogue);
  return { readyMs, rebuilt: health.indexBuiltAt !== builtAt, agree, listed, repaired: health.startupCheck?.repaired ?? [], removed: health.startupCheck?.removed ?? 0, left: [...leftIndex, ...leftAdded.map((name) => `added/${name}`)] };
}

export async function stressCrashWindows(context: LibraryStressContext): Promise<Record<string, unknown>> {
  const { invariants, log } = context;
  const phase = 'crash windows';
  const dataDir = path.join(context.temp, 'library-data');
  const indexDir = path.join(context.temp, 'library-index');
  await cp(context.dataDir, dataDir, { recursive: true });
  await copyIndex(context.servingDir, indexDir);
  const builtAt = (JSON.parse(await readFile(path.join(indexDir, (await readFile(path.join(indexDir, 'CURRENT'), 'utf8')).trim(), 'manifest.json'), 'utf8')) as { builtAt: string }).builtAt;
  const env = offlineEnvironment({ DATA_DIR: dataDir, INDEX_DIR: indexDir, RATE_LIMIT_PER_MINUTE: '0', ADMIN_TOKEN: TOKEN });
  const dirs = { dataDir, indexDir };
  const rows: string[][] = [];
  const figures: Record<string, unknown>[] = [];
  const steps: readonly WriteStep[] = context.quick ? ['texts-written', 'switched'] : WRITE_STEPS;
  for (const step of steps) {
    const killed = await runWriter(env, ['add', ADDED_FILE, '南通市', '2025', '--kill-after', step]);
    const check = await startAndCheck(context, env, dirs, builtAt);
    const expected = WRITE_STEPS.indexOf(step) >= WRITE_STEPS.indexOf('switched') ? [ADDED_ID] : [];
    const landed = JSON.stringify(check.listed) === JSON.stringify(expected);
    figures.push({ step, killed: killed.signal, ...check });
    rows.push([`add killed after ${step}`, killed.signal ?? `exit ${killed.code}`, formatMs(check.readyMs), check.rebuilt ? 'REBUILT' : 'no', check.agree ? 'yes' : 'NO', check.listed.join(', ') || '—', check.repaired.length > 0 ? check.repaired.join('; ').slice(0, 60) : `${check.removed} removed`, check.left.join(', ') || 'nothing']);
    invariants.record(phase, `a writer killed after “${step}”: the server starts without a rebuild, list and index agree, nothing left`, killed.signal === 'SIGKILL' && !check.rebuilt && check.agree && landed && check.left.length === 0, `${killed.signal ?? killed.code}; ready in ${formatMs(check.readyMs)} ms, rebuilt ${check.rebuilt}, agree ${check.agree}, listed [${check.listed.join(', ')}], left [${check.left.join(', ')}]`);
    if (check.listed.includes(ADDED_ID)) await runWriter(env, ['remove', ADDED_ID]);
    log(`crash windows: killed after ${step} → ready in ${formatMs(check.readyMs)} ms, rebuilt ${check.rebuilt}, agree ${check.agree}`);
  }

  // An ingest and an add at once: the add waits for the ingest, both land, a server opens the result as is.
  log('crash windows: ingest and add at once …');
  const ingest = spawn(process.execPath, ['--import', 'tsx', 'src/cli/ingest.ts'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let ingestOutput = '';
  ingest.stderr.on('data', (chunk: Buffer) => (ingestOutput += chunk.toString()));
  let ingestRunning = true;
  const ingested = new Promise<number | null>((resolve) => ingest.once('close', (code) => resolve(code))).finally(() => (ingestRunning = false));
  // The add starts once the ingest holds the writer lock (it holds it for the whole rebuild, some 20 s).
  while (ingestRunning && !(await readdir(indexDir)).includes('.update.lock')) await sleep(20);
  const started = performance.now();
  const add = spawn(process.execPath, ['--import', 'tsx', 'src/cli/reports.ts', 'add', ADDED_FILE, '--region', '南通市', '--year', '2025'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let addOutput = '';
  add.stderr.on('data', (chunk: Buffer) => (addOutput += chunk.toString()));
  const added = new Promise<number | null>((resolve) => add.once('close', resolve));
  const [ingestCode, addCode] = await Promise.all([ingested, added]);
  const bothMs = performance.now() - started;
  const newBuiltAt = (JSON.parse(await readFile(path.join(indexDir, (await readFile(path.join(indexDir, 'CURRENT'), 'utf8')).trim(), 'manifest.json'), 'utf8')) as { builtAt: string }).builtAt;
  const together = await startAndCheck(context, env, dirs, newBuiltAt);
  const waited = /Waiting for another writer of the index to finish \(ingest/.test(addOutput);
  figures.push({ step: 'ingest and add at once', ingestCode, addCode, waited, bothMs, ...together });
  rows.push(['ingest and add at once', `exit ${ingestCode}, ${addCode}${waited ? ' (add waited)' : ''}`, formatMs(together.readyMs), together.rebuilt ? 'REBUILT' : 'no', together.agree ? 'yes' : 'NO', together.listed.join(', ') || '—', `both done in ${(bothMs / 1000).toFixed(1)} s`, together.left.join(', ') || 'nothing']);
  invariants.record(phase, 'an ingest and an add at once: both succeed, the add is kept, the server opens the result without a rebuild', ingestCode === 0 && addCode === 0 && together.listed.includes(ADDED_ID) && !together.rebuilt && together.agree && together.left.length === 0, `exit ${ingestCode}/${addCode}, add waited ${waited}, listed [${together.listed.join(', ')}], rebuilt ${together.rebuilt}, agree ${together.agree}, left [${together.left.join(', ')}]`);

  // An upload that stalls after its headers and 3 bytes: other changes go ahead; it is cut at REQUEST_TIMEOUT_MS.
  const server = await context.startServer({ ...env, REQUEST_TIMEOUT_MS: '5000', HEADERS_TIMEOUT_MS: '5000' });
  const socket = net.connect(Number(new URL(server.url).port), '127.0.0.1');
  await once(socket, 'connect');
  socket.on('error', () => {});
  socket.resume();
  const closed = once(socket, 'close');
  const stalledAt = performance.now();
  socket.write(`POST /api/reports HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: multipart/form-data; boundary=stalled\r\nContent-Length: 100000\r\n\r\n--s`);
  await sleep(300);
  const removal = await fetch(`${server.url}/api/reports/${ADDED_ID}`, { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } });
  await closed;
  const cutMs = performance.now() - stalledAt;
  await server.close();
  figures.push({ step: 'stalled upload', otherChange: removal.status, cutMs });
  rows.push(['upload stalled after 3 bytes', `a removal meanwhile: ${removal.status}`, '', '', '', '', `cut after ${(cutMs / 1000).toFixed(1)} s (REQUEST_TIMEOUT_MS 5 s)`, '']);
  invariants.record(phase, 'an upload that stalls holds nothing and is cut at REQUEST_TIMEOUT_MS', removal.status === 200 && cutMs < 5000 + 3000, `removal during the stall: ${removal.status}; cut after ${(cutMs / 1000).toFixed(1)} s`);

  console.log(section('Crash windows (a temp copy of data/ and the index; SIGKILL through the writers\' step hook)', formatTable(['case', 'writer', 'server ready ms', 'rebuilt', 'list = index', 'added listed', 'start-up check', 'left behind'], rows)));
  return { builtAt, cases: figures };
}
