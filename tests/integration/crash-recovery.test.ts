// A change of the index stopped after any step of its write — an add, a replacement, a removal, and for a
// shipped report a withdrawal, a replacement by an upload and a restore — leaves the previous corpus or the
// new one: after the start-up check the server opens it without a rebuild, the report list (added and
// withdrawn) and the index agree, and nothing is left behind. Stops are injected through the writers' step
// hook: in this process for every step (the writer throws there), and as real SIGKILLs of a writer process
// at the two steps where a crash used to leave index and catalogue disagreeing, and of a withdrawal on
// either side of the switch.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openIndex } from '../../src/compose.ts';
import { readConfig } from '../../src/config.ts';
import { readCatalogueCopy, reportTextName, type Catalogue } from '../../src/corpus/catalogue.ts';
import { readDocument } from '../../src/corpus/read-document.ts';
import { buildUserReport } from '../../src/corpus/user-report.ts';
import { buildIndex, isIndexFresh, readIndexCatalogue, WRITE_STEPS, type WriteStep } from '../../src/index/index-store.ts';
import { addReports, removeReport, restoreReport } from '../../src/index/update-index.ts';
import type { PassageIndex } from '../../src/index/passage-index.ts';
import { withServer } from '../helpers/with-server.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/mini-corpus/', import.meta.url));
const NANTONG_FILE = fileURLToPath(new URL('../../data/003_e36d639f412a290e.txt', import.meta.url));
const SEED_IDS = ['china-2024', 'jiangsu-2024', 'jiangsu-2024-pdf', 'sichuan-2024', 'zhenjiang-2024'];
/** The shipped report a seed id belongs to: Jiangsu's PDF copy is withdrawn and restored with Jiangsu. */
const shippedAs = (id: string): string => (id === 'jiangsu-2024-pdf' ? 'jiangsu-2024' : id);
let workDir: string;
let settings: { dataDir: string; indexDir: string; embedder: { kind: 'lsa' } };
let builtAt: string;
/** The ids of Jiangsu's shipped passages as built: a restore gives them back unchanged. */
let jiangsuPassageIds: string[];
const nantongText = await readFile(NANTONG_FILE, 'utf8');
const jiangsuText = (await readFile(path.join(FIXTURE_DIR, 'compilation.txt'), 'utf8')).split('11.江苏省政府工作报告\n')[1]!.split('\n24.四川省政府工作报告')[0]!;

before(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'gov-report-crash-'));
  settings = { dataDir: path.join(workDir, 'data'), indexDir: path.join(workDir, 'vectorstore'), embedder: { kind: 'lsa' } };
  await cp(FIXTURE_DIR, settings.dataDir, { recursive: true });
  builtAt = (await buildIndex(settings)).builtAt;
  const index = await openIndex(readConfig({ DATA_DIR: settings.dataDir, INDEX_DIR: settings.indexDir }));
  jiangsuPassageIds = index.store.passagesOf('jiangsu-2024').map((passage) => passage.id);
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
  const catalogue: Catalogue = (await readIndexCatalogue(index.folder)) ?? assert.fail('the index folder has its catalogue');
  const copy = await readCatalogueCopy(settings.dataDir);
  assert.deepEqual({ reports: copy?.reports ?? [], withdrawn: copy?.withdrawn ?? [] }, catalogue, 'data/added/catalogue.json is the index’s catalogue, withdrawn reports included');
  assert.equal(copy?.index, folderName);
  const added = catalogue.reports.map((entry) => entry.id);
  const withdrawn = catalogue.withdrawn.map((entry) => entry.id);
  assert.equal(new Set(withdrawn).size, withdrawn.length, 'a shipped report is listed as withdrawn once');
  assert.ok(withdrawn.every((id) => SEED_IDS.includes(id)), 'only shipped reports are withdrawn');
  const shipped = SEED_IDS.filter((id) => !withdrawn.includes(shippedAs(id)));
  assert.deepEqual(index.store.reports.map((report) => report.id).sort(), [...new Set([...shipped, ...added])].sort(), 'the reports indexed are the shipped ones not withdrawn and the added ones');
  for (const id of [...added, ...shipped.filter((id) => id === shippedAs(id))]) assert.ok(index.store.passagesOf(id).length > 0, `${id} has passages`);
  assert.deepEqual((await readdir(settings.indexDir)).sort(), ['CURRENT', folderName].sort(), 'nothing else in the index folder');
  assert.deepEqual((await readdir(path.join(settings.dataDir, 'added'))).sort(), ['catalogue.json', ...catalogue.reports.map(reportTextName)].sort(), 'nothing else in data/added');
  for (const file of ['compilation.txt', 'jiangsu-pdf.txt']) assert.ok((await readFile(path.join(settings.dataDir, file))).length > 0, `the shipped ${file} stays`);
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

/** Jiangsu's 2024 report as a user would upload it: the shipped text with one paragraph more (a replacement). */
async function jiangsuUpload() {
  const text = `2024年江苏省政府工作报告\n${jiangsuText}\n新增一段：全省新建5G基站3万个。`;
  const document = await readDocument({ bytes: new TextEncoder().encode(text), fileName: 'jiangsu-upload.txt' });
  return { document, report: buildUserReport(document, { region: '江苏省', year: 2024 }) };
}

/**
 * Where Jiangsu's shipped report stands: in the corpus with its PDF copy, with the ids its passages were
 * built with (`shipped`), withdrawn and nothing of it searchable (`withdrawn`), or withdrawn with an
 * uploaded report in its place (`replaced`).
 */
async function jiangsuState(index: PassageIndex): Promise<'shipped' | 'withdrawn' | 'replaced'> {
  const catalogue = (await readIndexCatalogue(index.folder))!;
  const listedWithdrawn = catalogue.withdrawn.some((entry) => entry.id === 'jiangsu-2024');
  const jiangsuHits = index.backend.lexical(new Map([['江苏', 1]]), 50).filter((hit) => index.store.passage(hit.id)?.region === '江苏省');
  if (!index.store.report('jiangsu-2024')) {
    assert.ok(listedWithdrawn, 'a shipped report missing from the index is listed as withdrawn');
    assert.equal(jiangsuHits.length, 0, 'nothing of a withdrawn report is searchable');
    return 'withdrawn';
  }
  if (catalogue.reports.some((entry) => entry.id === 'jiangsu-2024')) {
    assert.ok(listedWithdrawn, 'the shipped report an upload replaced is listed as withdrawn');
    assert.ok(!index.store.report('jiangsu-2024-pdf'), 'its PDF copy went with it');
    assert.ok(index.store.passagesOf('jiangsu-2024').some((passage) => passage.text.includes('全省新建5G基站3万个')), 'the upload is what is indexed');
    return 'replaced';
  }
  assert.ok(!listedWithdrawn, 'a shipped report in the index is not listed as withdrawn');
  assert.ok(index.store.report('jiangsu-2024-pdf'), 'with its PDF copy');
  assert.deepEqual(index.store.passagesOf('jiangsu-2024').map((passage) => passage.id), jiangsuPassageIds, 'its passages have the ids they were built with');
  assert.ok(jiangsuHits.length > 0, 'it is searchable');
  return 'shipped';
}

/** Brings Jiangsu's shipped report to the state a case starts from, through the writers themselves. */
async function ensureJiangsu(state: 'shipped' | 'withdrawn' | 'replaced'): Promise<void> {
  const now = await jiangsuState(await openIndex(readConfig({ DATA_DIR: settings.dataDir, INDEX_DIR: settings.indexDir })));
  if (now === state) return;
  if (state === 'shipped') await restoreReport(settings, 'jiangsu-2024', { replace: true });
  else if (state === 'withdrawn') await removeReport(settings, 'jiangsu-2024');
  else await addReports(settings, [await jiangsuUpload()], { replace: true });
}

describe('a change of a shipped report stopped after each step of its write', () => {
  for (const step of WRITE_STEPS) {
    test(`after “${step}”: a withdrawal, a replacement by an upload, a restore and a restore over the upload each leave one corpus`, async () => {
      await ensureJiangsu('shipped');
      await assert.rejects(removeReport(settings, 'jiangsu-2024', { onStep: stopAfter(step) }), StoppedAt);
      assert.equal(await jiangsuState(await openAndCheck()), switchedBy(step) ? 'withdrawn' : 'shipped', 'withdrawal');

      await ensureJiangsu('shipped');
      await assert.rejects(addReports(settings, [await jiangsuUpload()], { replace: true, onStep: stopAfter(step) }), StoppedAt);
      assert.equal(await jiangsuState(await openAndCheck()), switchedBy(step) ? 'replaced' : 'shipped', 'replacement by an upload');

      await ensureJiangsu('withdrawn');
      await assert.rejects(restoreReport(settings, 'jiangsu-2024', { onStep: stopAfter(step) }), StoppedAt);
      assert.equal(await jiangsuState(await openAndCheck()), switchedBy(step) ? 'shipped' : 'withdrawn', 'restore');

      await ensureJiangsu('replaced');
      await assert.rejects(restoreReport(settings, 'jiangsu-2024', { replace: true, onStep: stopAfter(step) }), StoppedAt);
      assert.equal(await jiangsuState(await openAndCheck()), switchedBy(step) ? 'shipped' : 'replaced', 'restore over the upload');
    });
  }
});

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

describe('a withdrawal killed (SIGKILL) on either side of the switch', () => {
  // Every step is covered in process above; a real kill also leaves the dead writer's lock behind.
  for (const step of ['folder-renamed', 'switched'] as const) {
    test(`after “${step}”: the start-up check leaves one corpus, Jiangsu ${switchedBy(step) ? 'withdrawn' : 'shipped'}, with no rebuild${step === 'switched' ? ', and the server lists it so' : ''}`, async () => {
      await ensureJiangsu('shipped');
      const { exited } = runWriter(['remove', 'jiangsu-2024', '--kill-after', step]);
      const outcome = await exited;
      assert.equal(outcome.signal, 'SIGKILL', outcome.stderr);
      assert.ok((await readdir(settings.indexDir)).includes('.update.lock'), 'the dead writer’s lock is still there');
      if (step === 'switched') {
        await withServer({ DATA_DIR: settings.dataDir, INDEX_DIR: settings.indexDir, RATE_LIMIT_PER_MINUTE: '0' }, async (server) => {
          const health = (await (await fetch(`${server.url}/healthz`)).json()) as { indexBuiltAt: string; startupCheck?: { repaired: string[] } };
          assert.equal(health.indexBuiltAt, builtAt, 'no rebuild');
          assert.match(health.startupCheck?.repaired.join(' ') ?? '', /catalogue\.json rewritten .*1 shipped report withdrawn/);
          const listing = (await (await fetch(`${server.url}/api/reports`)).json()) as { reports: { id: string }[]; withdrawn: { id: string; title: string; replaced: boolean }[] };
          assert.ok(!listing.reports.some((report) => report.id.startsWith('jiangsu-')), 'no longer listed among the reports');
          assert.deepEqual(listing.withdrawn.map((entry) => [entry.id, entry.title, entry.replaced]), [['jiangsu-2024', '2024年江苏省政府工作报告', false]]);
        });
      }
      assert.equal(await jiangsuState(await openAndCheck()), switchedBy(step) ? 'withdrawn' : 'shipped');
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
