// A change of the index stopped after any step of its write — an add, a replacement, a removal — leaves
// the previous corpus or the new one: after the start-up check the server opens it without a rebuild,
// the report list and the index agree, and nothing is left behind. Stops are injected through the
// writers' step hook: in this process for every step (the writer throws there), and as real SIGKILLs of
// a writer process at the two steps where a crash used to leave index and catalogue disagreeing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openIndex } from '../../src/compose.ts';
import { readConfig } from '../../src/config.ts';
import { readCatalogueCopy, reportTextName } from '../../src/corpus/catalogue.ts';
import { readDocument } from '../../src/corpus/read-document.ts';
import { buildUserReport } from '../../src/corpus/user-report.ts';
import { buildIndex, isIndexFresh, readIndexCatalogue, WRITE_STEPS, type WriteStep } from '../../src/index/index-store.ts';
import { addReports, removeReport } from '../../src/index/update-index.ts';
import type { PassageIndex } from '../../src/index/passage-index.ts';
import { withServer } from '../helpers/with-server.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/mini-corpus/', import.meta.url));
const NANTONG_FILE = fileURLToPath(new URL('../../data/003_e36d639f412a290e.txt', import.meta.url));
const SEED_IDS = ['china-2024', 'jiangsu-2024', 'jiangsu-2024-pdf', 'sichuan-2024', 'zhenjiang-2024'];
let workDir: string;
let settings: { dataDir: string; indexDir: string; embedder: { kind: 'lsa' } };
let builtAt: string;
const nantongText = await readFile(NANTONG_FILE, 'utf8');

before(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'gov-report-crash-'));
  settings = { dataDir: path.join(workDir, 'data'), indexDir: path.join(workDir, 'vectorstore'), embedder: { kind: 'lsa' } };
  await cp(FIXTURE_DIR, settings.dataDir, { recursive: true });
  builtAt = (await buildIndex(settings)).builtAt;
});
after(async () => {
  await rm(workDir, { recursive: true, force: true });
});

/** Nantong's report, whole (`v1`) or its first 6,000 characters (`v2`, a replacement). */
async function nantong(version: 'v1' | 'v2') {
  const text = version === 'v1' ? nantongText : nantongText.slice(0, 6000);
  const document = await readDocument({ bytes: new TextEncoder().encode(text), fileName: `nantong-${version}.txt` });
  return { document, report: buildUserReport(document, { region: '南通市', year: 2024 }) };
}

class StoppedAt extends Error {}
const stopAfter = (target: WriteStep) => (step: WriteStep) => {
  if (step === target) throw new StoppedAt(step);
};

/**
 * Opens the index as a starting server does and checks that it was not rebuilt, that the index, its
 * catalogue, the catalogue's copy in data/added and the texts agree, and that nothing else is left.
 */
async function openAndCheck(): Promise<PassageIndex> {
  const index = await openIndex(readConfig({ DATA_DIR: settings.dataDir, INDEX_DIR: settings.indexDir }));
  assert.equal(index.manifest.builtAt, builtAt, 'opened without a rebuild');
  assert.deepEqual(await isIndexFresh(settings), { fresh: true, reason: 'up to date' });
  const folderName = path.basename(index.folder);
  const catalogue = (await readIndexCatalogue(index.folder)) ?? assert.fail('the index folder has its catalogue');
  const copy = await readCatalogueCopy(settings.dataDir);
  assert.deepEqual(copy?.reports ?? [], catalogue, 'data/added/catalogue.json is the index’s catalogue');
  assert.equal(copy?.index, folderName);
  const added = catalogue.map((entry) => entry.id).sort();
  assert.deepEqual(index.store.reports.map((report) => report.id).filter((id) => !SEED_IDS.includes(id)).sort(), added, 'the reports listed are the reports indexed');
  for (const entry of catalogue) assert.ok(index.store.passagesOf(entry.id).length > 0, `${entry.id} has passages`);
  assert.deepEqual((await readdir(settings.indexDir)).sort(), ['CURRENT', folderName].sort(), 'nothing else in the index folder');
  assert.deepEqual((await readdir(path.join(settings.dataDir, 'added'))).sort(), ['catalogue.json', ...catalogue.map(reportTextName)].sort(), 'nothing else in data/added');
  return index;
}

const nantongState = (index: PassageIndex): 'absent' | 'v1' | 'v2' => {
  const report = index.store.report('nantong-2024');
  return !report ? 'absent' : report.text.length > 10_000 ? 'v1' : 'v2';
};

/** Brings the corpus to the state a case starts from. */
async function ensure(state: 'absent' | 'v1'): Promise<void> {
  const index = await openIndex(readConfig({ DATA_DIR: settings.dataDir, INDEX_DIR: settings.indexDir }));
  const now = nantongState(index);
  if (now === state) return;
  if (now !== 'absent') await removeReport(settings, 'nantong-2024');
  if (state === 'v1') await addReports(settings, [await nantong('v1')]);
}

const switchedBy = (step: WriteStep): boolean => WRITE_STEPS.indexOf(step) >= WRITE_STEPS.indexOf('switched');

describe('an update stopped after each step of its write', () => {
  for (const step of WRITE_STEPS) {
    test(`after “${step}”: an add, a replacement and a removal each leave one corpus, opened without a rebuild`, async () => {
      await ensure('absent');
      await assert.rejects(addReports(settings, [await nantong('v1')], { onStep: stopAfter(step) }), StoppedAt);
      assert.equal(nantongState(await openAndCheck()), switchedBy(step) ? 'v1' : 'absent', 'add');

      await ensure('v1');
      await assert.rejects(addReports(settings, [await nantong('v2')], { replace: true, onStep: stopAfter(step) }), StoppedAt);
      assert.equal(nantongState(await openAndCheck()), switchedBy(step) ? 'v2' : 'v1', 'replacement');

      await ensure('v1');
      await assert.rejects(removeReport(settings, 'nantong-2024', { onStep: stopAfter(step) }), StoppedAt);
      assert.equal(nantongState(await openAndCheck()), switchedBy(step) ? 'absent' : 'v1', 'removal');
    });
  }
});

/** Runs the test writer in its own process; resolves with its exit and output. */
function runWriter(args: string[], onOutput?: (line: string, child: ReturnType<typeof spawn>) => void) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tests/helpers/index-writer-child.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: settings.dataDir, INDEX_DIR: settings.indexDir },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.on('data', (chunk: Buffer) => String(chunk).split('\n').filter(Boolean).forEach((line) => onOutput?.(line, child)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stderr })));
  return { child, exited };
}

describe('a writer process killed (SIGKILL) mid-update', () => {
  for (const step of ['texts-written', 'switched'] as const) {
    test(`after “${step}”: the server starts without a rebuild, repairs or clears what was left, and lists what it indexes`, async () => {
      await ensure('absent');
      const { exited } = runWriter(['add', NANTONG_FILE, '南通市', '2024', '--kill-after', step]);
      const outcome = await exited;
      assert.equal(outcome.signal, 'SIGKILL', outcome.stderr);
      const left = await readdir(settings.indexDir);
      assert.ok(left.includes('.update.lock'), 'the dead writer’s lock is still there');
      await withServer({ DATA_DIR: settings.dataDir, INDEX_DIR: settings.indexDir, RATE_LIMIT_PER_MINUTE: '0' }, async (server) => {
        const health = (await (await fetch(`${server.url}/healthz`)).json()) as { indexBuiltAt: string; writerLock: unknown; startupCheck?: { repaired: string[]; removed: number } };
        assert.equal(health.indexBuiltAt, builtAt, 'no rebuild');
        assert.equal(health.writerLock, null);
        assert.ok((health.startupCheck?.removed ?? 0) > 0, 'leftovers were removed');
        if (step === 'switched') assert.match(health.startupCheck?.repaired.join(' ') ?? '', /catalogue\.json rewritten/);
        const listing = (await (await fetch(`${server.url}/api/reports`)).json()) as { reports: { id: string; origin: string }[] };
        const listed = listing.reports.filter((report) => report.origin === 'added').map((report) => report.id);
        assert.deepEqual(listed, step === 'switched' ? ['nantong-2024'] : []);
      });
      assert.equal(nantongState(await openAndCheck()), step === 'switched' ? 'v1' : 'absent');
    });
  }
});

describe('ingest and add at once', () => {
  test('the add waits for the ingest (shown in /healthz), both land, and a server opens the result without a rebuild', async () => {
    await ensure('absent');
    // An ingest holding the writer lock, paused right after taking it.
    let release: () => void = () => {};
    const paused = new Promise<void>((resolve) => {
      release = resolve;
    });
    const ingest = runWriter(['ingest', '--pause-after', 'locked'], (line) => line === 'paused locked' && release());
    await paused;
    const add = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/reports.ts'), 'add', NANTONG_FILE, '--region', '南通市', '--year', '2024'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: settings.dataDir, INDEX_DIR: settings.indexDir },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let addOutput = '';
    const added = new Promise<number | null>((resolve) => add.once('close', resolve));
    const waiting = new Promise<void>((resolve) =>
      add.stderr!.on('data', (chunk: Buffer) => {
        addOutput += chunk.toString();
        if (/Waiting for another writer of the index to finish \(ingest/.test(addOutput)) resolve();
      }),
    );
    await waiting;
    await withServer({ DATA_DIR: settings.dataDir, INDEX_DIR: settings.indexDir, RATE_LIMIT_PER_MINUTE: '0' }, async (server) => {
      // withServer waits for the index; /healthz was answering meanwhile.
      const health = (await (await fetch(`${server.url}/healthz`)).json()) as { indexBuiltAt: string };
      const manifest = JSON.parse(await readFile(path.join(settings.indexDir, (await readFile(path.join(settings.indexDir, 'CURRENT'), 'utf8')).trim(), 'manifest.json'), 'utf8')) as { builtAt: string };
      assert.equal(health.indexBuiltAt, manifest.builtAt, 'the server opened the ingest’s index, not one of its own');
      builtAt = manifest.builtAt;
    }, async (server) => {
      // Before the index is there: the ingest holds the lock, and /healthz says so.
      const health = (await (await fetch(`${server.url}/healthz`)).json()) as { status: string; writerLock: { purpose: string; pid: number; ageSeconds: number; alive: boolean } | null };
      assert.equal(health.status, 'starting');
      assert.equal(health.writerLock?.purpose, 'ingest');
      assert.equal(health.writerLock?.pid, ingest.child.pid);
      assert.equal(health.writerLock?.alive, true);
      assert.ok(health.writerLock!.ageSeconds >= 0);
      ingest.child.stdin!.write('go\n');
    });
    assert.equal((await ingest.exited).code, 0, 'the ingest finished');
    assert.equal(await added, 0, addOutput);
    assert.match(addOutput, /Added nantong-2024/);
    assert.equal(nantongState(await openAndCheck()), 'v1', 'the report added during the ingest is in the index and the list');
  });
});
