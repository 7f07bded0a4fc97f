// Reports added and removed in place on a small real corpus: found by search at once, refused when
// duplicated with nothing written, gone when removed, and a killed add leaves the previous index serving;
// shipped reports withdrawn (files kept, `npm run ingest` honouring it), replaced by an upload, restored.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCatalogue } from '../../src/corpus/catalogue.ts';
import { DocumentError } from '../../src/corpus/document-error.ts';
import { readDocument } from '../../src/corpus/read-document.ts';
import { buildUserReport } from '../../src/corpus/user-report.ts';
import { buildIndex, isIndexFresh, loadIndex } from '../../src/index/index-store.ts';
import { addReports, removeReport, restoreReport } from '../../src/index/update-index.ts';
import { HybridRetriever } from '../../src/retrieval/hybrid-search.ts';
import { startServer } from '../../src/main.ts';

const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/mini-corpus/', import.meta.url));
const NANTONG_FILE = fileURLToPath(new URL('../../data/003_e36d639f412a290e.txt', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let workDir: string;
let settings: { dataDir: string; indexDir: string; embedder: { kind: 'lsa' } };

async function nantong(overrides: { region?: string; year?: number } = { region: '南通市', year: 2024 }, text?: string) {
  const bytes = text ? new TextEncoder().encode(text) : await readFile(NANTONG_FILE);
  const document = await readDocument({ bytes, fileName: 'nantong.txt' });
  return { document, report: buildUserReport(document, overrides) };
}

const current = (): Promise<string> => readFile(path.join(settings.indexDir, 'CURRENT'), 'utf8');

before(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'gov-report-update-'));
  settings = { dataDir: path.join(workDir, 'data'), indexDir: path.join(workDir, 'vectorstore'), embedder: { kind: 'lsa' } };
  await cp(FIXTURE_DIR, settings.dataDir, { recursive: true });
  await buildIndex(settings);
});
after(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('adding and removing a report in place', () => {
  test('an added report is searchable at once, earlier passages keep their ids, and the index stays fresh', async () => {
    const before = await loadIndex(settings);
    const { result: [added] } = await addReports(settings, [await nantong()]);
    assert.equal(added?.id, 'nantong-2024');
    const index = await loadIndex(settings);
    assert.deepEqual(index.passages.slice(0, before.passages.length).map((passage) => passage.id), before.passages.map((passage) => passage.id));
    assert.equal(index.passages.length, before.passages.length + added!.passages);
    assert.ok(index.passages.every((passage) => passage.reportId !== 'nantong-2024' || (passage.year === 2024 && ['review', 'plan', 'other'].includes(passage.part))));
    const result = await new HybridRetriever(index).retrieve({ question: '南通今年地区生产总值增长目标是多少？' });
    assert.equal(result.passages[0]?.passage.region, '南通市');
    const targets = result.passages.find((hit) => hit.passage.text.includes('地区生产总值增长5.5%以上'))?.passage;
    assert.ok(targets, 'the targets passage of Nantong is found');
    // Its sentences came with it, embedded by the index's embedder: the GDP sentence answers a GDP question.
    const spans = index.sentencesOf(targets.id);
    assert.ok(spans.length > 0);
    assert.equal(index.manifest.sentences, index.sentences.size);
    const similarities = index.sentenceSimilarities(targets.id, result.queryVector!);
    const best = spans[similarities.indexOf(Math.max(...similarities))]!;
    assert.match(targets.text.slice(best.start, best.end), /地区生产总值增长5\.5%以上/);
    assert.deepEqual(await isIndexFresh(settings), { fresh: true, reason: 'up to date' });
  });

  test('the same file again, or another file for the same region and year, is refused and nothing changes', async () => {
    const pointer = await current();
    const same = await addReports(settings, [await nantong()]).catch((error: unknown) => error);
    assert.ok(same instanceof DocumentError && same.problem === 'duplicate' && same.status === 409);
    assert.match(same.message, /same content/);
    const text = `${(await readFile(NANTONG_FILE, 'utf8')).slice(0, 6000)}`;
    const other = await addReports(settings, [await nantong({ region: '南通', year: 2024 }, text)]).catch((error: unknown) => error);
    assert.ok(other instanceof DocumentError && other.problem === 'duplicate');
    assert.match(other.message, /replace/);
    assert.equal(await current(), pointer, 'CURRENT did not move');
    const { result: [replaced] } = await addReports(settings, [await nantong({ region: '南通', year: 2024 }, text)], { replace: true });
    assert.equal(replaced?.replaced, 'nantong-2024');
    assert.ok((await loadIndex(settings)).passages.filter((passage) => passage.reportId === 'nantong-2024').length < 40);
  });

  test('an added report is removed from search and catalogue', async () => {
    const withNantong = await loadIndex(settings);
    const nantongPassages = withNantong.passages.filter((passage) => passage.reportId === 'nantong-2024').map((passage) => passage.id);
    assert.ok(nantongPassages.length > 0 && nantongPassages.every((id) => withNantong.sentencesOf(id).length > 0));
    await removeReport(settings, 'nantong-2024');
    const index = await loadIndex(settings);
    assert.ok(!index.passages.some((passage) => passage.region === '南通市'));
    assert.ok(nantongPassages.every((id) => index.sentencesOf(id).length === 0), 'its sentences are gone');
    assert.equal(index.manifest.sentences, withNantong.manifest.sentences - nantongPassages.reduce((sum, id) => sum + withNantong.sentencesOf(id).length, 0));
    assert.equal(index.backend.lexical(new Map([['南通', 1]]), 5).length, 0, 'BM25 no longer knows the passages');
    assert.deepEqual(await readCatalogue(settings.dataDir), { reports: [], withdrawn: [] });
    assert.equal((await isIndexFresh(settings)).fresh, true);
  });

  test('a process killed in the middle of an add leaves an index that loads, and the next add proceeds', async () => {
    const pointer = await current();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/reports.ts'), 'add', NANTONG_FILE, '--region', '南通市', '--year', '2024'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: settings.dataDir, INDEX_DIR: settings.indexDir },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // Killed as it starts writing the new index (the stage where a half-written index could be left).
    child.stderr!.on('data', (data: Buffer) => {
      if (/Writing and switching/.test(String(data))) child.kill('SIGKILL');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
    const index = await loadIndex(settings);
    const moved = (await current()) !== pointer;
    assert.equal(index.passages.some((passage) => passage.region === '南通市'), moved, 'the index served is the previous one or the complete new one');
    if (moved) await removeReport(settings, 'nantong-2024');
    else await writeFile(path.join(settings.indexDir, '.update.lock'), String(2 ** 22 + 12345)).catch(() => {}); // a dead owner's lock
    const { result: [added] } = await addReports(settings, [await nantong()]);
    assert.equal(added?.id, 'nantong-2024');
    await removeReport(settings, 'nantong-2024');
  });

  test('a running server answers from a report the CLI added, without a restart', async () => {
    const server = await startServer({ port: 0, env: { DATA_DIR: settings.dataDir, INDEX_DIR: settings.indexDir, RATE_LIMIT_PER_MINUTE: '0' } });
    try {
      await server.ready;
      const passages = async (): Promise<number> => ((await (await fetch(`${server.url}/healthz`)).json()) as { passages: number }).passages;
      const before = await passages();
      const { result: [added] } = await addReports(settings, [await nantong()]);
      const deadline = Date.now() + 10_000;
      while ((await passages()) !== before + added!.passages && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(await passages(), before + added!.passages);
      const search = (await (await fetch(`${server.url}/api/search?q=${encodeURIComponent('南通地区生产总值增长目标')}`)).json()) as { sources: { region: string }[] };
      assert.equal(search.sources[0]?.region, '南通市');
    } finally {
      await server.close();
    }
  });
});

describe('shipped reports, withdrawn by the admin: their files in data/ stay, the index and the catalogue change', () => {
  let shippedDir: string;
  let shipped: typeof settings;
  before(async () => {
    shippedDir = await mkdtemp(path.join(os.tmpdir(), 'gov-report-shipped-'));
    shipped = { dataDir: path.join(shippedDir, 'data'), indexDir: path.join(shippedDir, 'vectorstore'), embedder: { kind: 'lsa' } };
    await cp(FIXTURE_DIR, shipped.dataDir, { recursive: true });
    await buildIndex(shipped);
  });
  after(async () => {
    await rm(shippedDir, { recursive: true, force: true });
  });

  const zhenjiangHits = (index: Awaited<ReturnType<typeof loadIndex>>) => index.backend.lexical(new Map([['镇江', 1]]), 5).length;

  test('a withdrawn report leaves search, is listed as withdrawn, stays out after npm run ingest, and comes back as it was when restored', async () => {
    const built = await loadIndex(shipped);
    const passageIds = built.store.passagesOf('zhenjiang-2024').map((passage) => passage.id);
    assert.ok(passageIds.length > 0 && zhenjiangHits(built) > 0);
    const { result } = await removeReport(shipped, 'zhenjiang-2024');
    assert.deepEqual([result.id, result.origin, result.passages], ['zhenjiang-2024', 'seed', passageIds.length]);
    const index = await loadIndex(shipped);
    assert.ok(!index.passages.some((passage) => passage.region === '镇江市'), 'no passage of Zhenjiang is left');
    assert.equal(zhenjiangHits(index), 0);
    const catalogue = await readCatalogue(shipped.dataDir);
    assert.deepEqual(catalogue.withdrawn.map((entry) => [entry.id, entry.title, entry.region, entry.year]), [['zhenjiang-2024', '2024年镇江市政府工作报告', '镇江市', 2024]]);
    assert.ok((await readFile(path.join(shipped.dataDir, 'zhenjiang.md'), 'utf8')).length > 0, 'the shipped file stays');
    assert.deepEqual(await isIndexFresh(shipped), { fresh: true, reason: 'up to date' }, 'the index matches the corpus as loaded now');

    await buildIndex(shipped);
    assert.equal(zhenjiangHits(await loadIndex(shipped)), 0, 'npm run ingest leaves it out');
    assert.deepEqual((await readCatalogue(shipped.dataDir)).withdrawn.map((entry) => entry.id), ['zhenjiang-2024'], 'and keeps it listed');

    await assert.rejects(restoreReport(shipped, 'sichuan-2024'), /No withdrawn shipped report/);
    const { result: restored } = await restoreReport(shipped, 'zhenjiang-2024');
    assert.deepEqual([restored.id, restored.title, restored.passages, restored.replaced], ['zhenjiang-2024', '2024年镇江市政府工作报告', passageIds.length, undefined]);
    const back = await loadIndex(shipped);
    assert.deepEqual(back.store.passagesOf('zhenjiang-2024').map((passage) => passage.id), passageIds, 'its passages have their ids again (links to them work)');
    assert.ok(zhenjiangHits(back) > 0, 'searchable again');
    assert.ok(back.store.passagesOf('zhenjiang-2024').every((passage) => back.sentencesOf(passage.id).length > 0), 'with its sentences');
    assert.deepEqual(await readCatalogue(shipped.dataDir), { reports: [], withdrawn: [] });
    assert.deepEqual(await isIndexFresh(shipped), { fresh: true, reason: 'up to date' });
  });

  test('a shipped report is replaced only when asked, its copy going with it, and restoring over the upload needs asking too', async () => {
    const text = (await readFile(path.join(shipped.dataDir, 'compilation.txt'), 'utf8')).split('\n11.江苏省政府工作报告\n')[1]!.split('\n24.四川省政府工作报告')[0]!;
    const upload = async () => {
      const document = await readDocument({ bytes: new TextEncoder().encode(`2024年江苏省政府工作报告\n${text}\n新增一段：全省新建5G基站3万个。`), fileName: 'jiangsu-new.txt' });
      return { document, report: buildUserReport(document, { region: '江苏省', year: 2024 }) };
    };
    const refused = await addReports(shipped, [await upload()]).catch((error: unknown) => error);
    assert.ok(refused instanceof DocumentError && refused.problem === 'duplicate' && refused.existing === 'jiangsu-2024');
    assert.match(refused.message, /replace.*ships with the project/);
    const before = await loadIndex(shipped);
    const jiangsuIds = before.store.passagesOf('jiangsu-2024').map((passage) => passage.id);
    assert.ok(before.reports.some((report) => report.id === 'jiangsu-2024-pdf'), 'the PDF copy is a report of the corpus');
    const { result: [added] } = await addReports(shipped, [await upload()], { replace: true });
    assert.equal(added?.replaced, 'jiangsu-2024');
    const index = await loadIndex(shipped);
    assert.ok(!index.reports.some((report) => report.id === 'jiangsu-2024-pdf') && !index.passages.some((passage) => passage.reportId === 'jiangsu-2024-pdf'), 'the PDF copy went with it');
    assert.ok(index.passages.some((passage) => passage.reportId === 'jiangsu-2024' && passage.text.includes('全省新建5G基站3万个')), 'the new text answers');
    const catalogue = await readCatalogue(shipped.dataDir);
    assert.deepEqual(catalogue.reports.map((entry) => entry.id), ['jiangsu-2024']);
    assert.deepEqual(catalogue.withdrawn.map((entry) => entry.id), ['jiangsu-2024']);
    await buildIndex(shipped);
    assert.equal((await loadIndex(shipped)).passages.filter((passage) => passage.text.includes('全省新建5G基站3万个')).length, 1, 'a rebuild has the replacement, not the shipped one beside it');

    const overUpload = await restoreReport(shipped, 'jiangsu-2024').catch((error: unknown) => error);
    assert.ok(overUpload instanceof DocumentError && overUpload.status === 409 && /replace/.test(overUpload.message), 'the upload is not dropped unasked');
    const { result: restored } = await restoreReport(shipped, 'jiangsu-2024', { replace: true });
    assert.equal(restored.replaced, 'jiangsu-2024');
    const back = await loadIndex(shipped);
    assert.ok(back.reports.some((report) => report.id === 'jiangsu-2024-pdf'), 'the PDF copy came back with it');
    assert.ok(!back.passages.some((passage) => passage.text.includes('全省新建5G基站3万个')), 'the upload is gone');
    assert.deepEqual(back.store.passagesOf('jiangsu-2024').map((passage) => passage.id), jiangsuIds);
    assert.deepEqual(await readCatalogue(shipped.dataDir), { reports: [], withdrawn: [] });
    assert.deepEqual(await isIndexFresh(shipped), { fresh: true, reason: 'up to date' });

    // Asking for the copy withdraws the report it is a copy of.
    const { result: viaCopy } = await removeReport(shipped, 'jiangsu-2024-pdf');
    assert.equal(viaCopy.id, 'jiangsu-2024');
    assert.ok(!(await loadIndex(shipped)).reports.some((report) => report.id.startsWith('jiangsu-')));
    await restoreReport(shipped, 'jiangsu-2024');
  });
});
