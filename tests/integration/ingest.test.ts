// Ingest end to end on a small real corpus (tests/fixtures/mini-corpus): build a real HNSW index in a temp
// folder, load it back, retrieve from it, and fail with an actionable error when it is missing or broken.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chunkReport } from '../../src/chunking/chunk-report.ts';
import { loadCorpus } from '../../src/corpus/load-corpus.ts';
import { AppError } from '../../src/errors.ts';
import { buildIndex, chunkCorpus, isIndexFresh, loadIndex, type BuildSettings } from '../../src/index/index-store.ts';
import type { PassageIndex } from '../../src/index/passage-index.ts';
import { HybridRetriever } from '../../src/retrieval/hybrid-search.ts';

const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/mini-corpus/', import.meta.url));
const JIANGSU_TARGETS = '今年经济社会发展主要预期目标是：地区生产总值增长5%以上';

let workDir: string;
let settings: BuildSettings;
let index: PassageIndex;
let retriever: HybridRetriever;

/** Copies the fixture corpus, so a test may change it without touching tests/fixtures. */
async function copyCorpus(into: string): Promise<string> {
  const dataDir = path.join(into, 'data');
  await cp(FIXTURE_DIR, dataDir, { recursive: true });
  return dataDir;
}

async function currentFolder(indexDir: string): Promise<string> {
  return path.join(indexDir, (await readFile(path.join(indexDir, 'CURRENT'), 'utf8')).trim());
}

/** A copy of the built index, to break without affecting the other tests. */
async function copyIndex(): Promise<string> {
  const copy = await mkdtemp(path.join(workDir, 'index-copy-'));
  await cp(settings.indexDir, copy, { recursive: true });
  return copy;
}

function isRebuildHint(code: 'index_missing' | 'index_corrupt') {
  return (error: unknown): boolean => {
    assert.ok(error instanceof AppError, `an AppError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, /npm run ingest/);
    return true;
  };
}

before(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'gov-report-ingest-'));
  settings = { dataDir: await copyCorpus(workDir), indexDir: path.join(workDir, 'vectorstore'), embedder: { kind: 'lsa' } };
  await buildIndex(settings);
  index = await loadIndex(settings);
  retriever = new HybridRetriever(index);
});

after(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('the fixture corpus', () => {
  test('holds the national, Jiangsu and Sichuan excerpts, Jiangsu’s PDF copy and Zhenjiang', async () => {
    const corpus = await loadCorpus(FIXTURE_DIR);
    assert.deepEqual(
      corpus.reports.map((report) => report.id),
      ['china-2024', 'jiangsu-2024', 'sichuan-2024', 'jiangsu-2024-pdf', 'zhenjiang-2024'],
    );
    const pdf = corpus.reports.find((report) => report.id === 'jiangsu-2024-pdf');
    assert.ok(pdf?.text.includes('城镇新增就业120万人以上'), 'the PDF lines are joined');
    assert.ok(!pdf?.text.includes('EESIA'), 'the disclaimer is dropped');
  });

  test('a file that does not match its sha256 in the manifest is refused by name', async () => {
    const dataDir = await copyCorpus(await mkdtemp(path.join(workDir, 'tampered-')));
    await appendFile(path.join(dataDir, 'compilation.txt'), '\n各位代表：\n');
    await assert.rejects(
      loadCorpus(dataDir),
      (error: unknown) => error instanceof AppError && error.code === 'invalid_input' && error.message.includes('compilation.txt') && error.message.includes('sha256'),
    );
  });
});

describe('building and loading the index', () => {
  test('writes a manifest that describes what was built', async () => {
    const manifest = index.manifest;
    assert.equal(manifest.embedder, 'lsa');
    assert.equal(manifest.passages, index.passages.length);
    assert.ok(manifest.dimensions > 1);
    const folder = await currentFolder(settings.indexDir);
    assert.equal(manifest.sentences, index.sentences.size);
    assert.ok(manifest.sentences > manifest.passages);
    // The English → report terms table, built from the bilingual dictionary for this corpus's words.
    assert.ok(index.english?.lookup('tourism').includes('旅游'), 'tourism → 旅游, a word of this corpus');
    assert.deepEqual(index.english?.lookup('throughput'), [], 'no word this corpus lacks (吞吐量)');
    assert.equal(index.english?.knows('agriculture'), true, 'a word of the dictionary is English');
    assert.equal(index.english?.knows('asdfghjkl'), false);
    assert.deepEqual((await readdir(folder)).sort(), [
      'bm25.json',
      'catalogue.json',
      'english.json',
      'hnswlib.index',
      'lsa.bin',
      'lsa.json',
      'manifest.json',
      'passages.json',
      'regions.json',
      'reports.json',
      'sentence-spans.bin',
      'sentence-vectors.bin',
      'sentences.json',
      'slots.json',
      'vectors.bin',
    ]);
  });

  test('the loaded passages are the chunked corpus, without the PDF copy’s repeats', async () => {
    const corpus = await loadCorpus(settings.dataDir);
    const { passages, dropped } = chunkCorpus(corpus);
    assert.deepEqual(
      index.passages.map((passage) => [passage.id, passage.text]),
      passages.map((passage) => [passage.id, passage.text]),
    );
    const pdf = corpus.reports.find((report) => report.id === 'jiangsu-2024-pdf')!;
    assert.equal(dropped, chunkReport(pdf).length, 'every passage of the PDF excerpt repeats the compilation');
    assert.equal(index.manifest.droppedDuplicates, dropped);
    assert.ok(index.passages.every((passage) => passage.reportId !== 'jiangsu-2024-pdf'));
  });

  test('the HNSW graph finds a passage from its own text', async () => {
    const passage = index.passages.find((candidate) => candidate.text.startsWith(JIANGSU_TARGETS))!;
    const vector = await index.embeddings.embedQuery(passage.text);
    const [nearest] = index.dense(vector, 3);
    assert.equal(index.passages[nearest!.document]?.id, passage.id);
    assert.ok(nearest!.distance < 0.2, `distance ${nearest!.distance}`);
  });
});

describe('retrieving from the built index', () => {
  test('a Jiangsu GDP target question gets Jiangsu’s targets passage first, and only Jiangsu passages', async () => {
    const result = await retriever.retrieve({ question: '江苏今年地区生产总值增长目标是多少？' });
    assert.ok(result.passages.length > 0);
    assert.ok(result.passages[0]?.passage.text.startsWith(JIANGSU_TARGETS), result.passages[0]?.passage.text.slice(0, 40));
    assert.equal(result.passages[0]?.passage.region, '江苏省');
    assert.ok(result.passages.every(({ passage }) => passage.region === '江苏省'));
  });

  test('a region chosen in the interface filters the results', async () => {
    const result = await retriever.retrieve({ question: '今年地区生产总值增长目标是多少？', region: '四川省' });
    assert.ok(result.passages.length > 0);
    assert.ok(result.passages.every(({ passage }) => passage.region === '四川省'));
    assert.ok(result.passages[0]?.passage.text.includes('地区生产总值增长6%左右'));
  });

  test('a comparison gives each region one of the first two places', async () => {
    const result = await retriever.retrieve({ question: '江苏和四川今年地区生产总值增长目标分别是多少？' });
    assert.deepEqual(result.passages.slice(0, 2).map(({ passage }) => passage.region), ['江苏省', '四川省']);
    assert.ok(result.passages[0]?.passage.text.includes('地区生产总值增长5%以上'));
    assert.ok(result.passages[1]?.passage.text.includes('地区生产总值增长6%左右'));
  });

  test('a follow-up about another region retrieves that region’s answer', async () => {
    const result = await retriever.retrieve({
      question: '那四川呢？',
      history: [
        { role: 'user', content: '江苏今年地区生产总值增长目标是多少？' },
        { role: 'assistant', content: '江苏提出地区生产总值增长5%以上。' },
      ],
    });
    assert.deepEqual(result.intent.subjects.map((entry) => entry.name), ['四川省'], result.query);
    assert.equal(result.passages[0]?.passage.region, '四川省');
    assert.ok(result.passages[0]?.passage.text.includes('地区生产总值增长6%左右'));
  });

  test('a region with no report in the index gives no passages and is named as missing', async () => {
    const result = await retriever.retrieve({ question: '广东今年地区生产总值增长目标是多少？' });
    assert.deepEqual(result.passages, []);
    assert.deepEqual(result.missingRegions.map((entry) => entry.name), ['广东省']);
  });

  test('a markdown city report is searchable: Zhenjiang’s jobs target', async () => {
    const result = await retriever.retrieve({ question: '镇江今年城镇新增就业目标是多少？' });
    assert.ok(result.passages.every(({ passage }) => passage.region === '镇江市'));
    assert.ok(result.passages[0]?.passage.text.includes('城镇新增就业2.4万人以上'));
  });
});

describe('freshness', () => {
  test('an index is fresh after a build and stale once the corpus changes', async () => {
    const scratch = await mkdtemp(path.join(workDir, 'fresh-'));
    const own: BuildSettings = { dataDir: await copyCorpus(scratch), indexDir: path.join(scratch, 'vectorstore'), embedder: { kind: 'lsa' } };
    await buildIndex(own);
    assert.deepEqual(await isIndexFresh(own), { fresh: true, reason: 'up to date' });
    await appendFile(path.join(own.dataDir, 'zhenjiang.md'), '\n- 省、市重大项目年度投资额达到**600亿元**。\n');
    const stale = await isIndexFresh(own);
    assert.equal(stale.fresh, false);
    assert.match(stale.reason, /corpus changed/);
  });

  test('an index built with other settings is stale', async () => {
    const other = await isIndexFresh({ ...settings, hnsw: { M: 8, efConstruction: 100, efSearch: 50 } });
    assert.equal(other.fresh, false);
    assert.match(other.reason, /settings changed/);
  });

  test('a missing index is not fresh, and says how to build it', async () => {
    const missing = await isIndexFresh({ ...settings, indexDir: path.join(workDir, 'no-index-here') });
    assert.equal(missing.fresh, false);
    assert.match(missing.reason, /npm run ingest/);
  });
});

describe('a missing or broken index', () => {
  test('a missing index is index_missing, naming `npm run ingest`', async () => {
    const empty = await mkdtemp(path.join(workDir, 'empty-'));
    await assert.rejects(loadIndex({ indexDir: empty, embedder: { kind: 'lsa' } }), isRebuildHint('index_missing'));
  });

  test('a truncated vectors.bin is index_corrupt, naming `npm run ingest`', async () => {
    const copy = await copyIndex();
    await truncate(path.join(await currentFolder(copy), 'vectors.bin'), 100);
    await assert.rejects(loadIndex({ indexDir: copy, embedder: { kind: 'lsa' } }), isRebuildHint('index_corrupt'));
  });

  test('a truncated sentence-vectors.bin, or sentences of another passage, is index_corrupt, naming `npm run ingest`', async () => {
    const truncated = await copyIndex();
    await truncate(path.join(await currentFolder(truncated), 'sentence-vectors.bin'), 1000);
    await assert.rejects(loadIndex({ indexDir: truncated, embedder: { kind: 'lsa' } }), isRebuildHint('index_corrupt'));
    const renamed = await copyIndex();
    const list = path.join(await currentFolder(renamed), 'sentences.json');
    await writeFile(list, (await readFile(list, 'utf8')).replace('"jiangsu-2024#p000"', '"jiangsu-2024#p999"'));
    await assert.rejects(loadIndex({ indexDir: renamed, embedder: { kind: 'lsa' } }), isRebuildHint('index_corrupt'));
  });

  test('garbage in passages.json is index_corrupt, naming `npm run ingest`', async () => {
    const copy = await copyIndex();
    await writeFile(path.join(await currentFolder(copy), 'passages.json'), '[{"id":"jiangsu-2024#p000","text":"今年经济社会');
    await assert.rejects(loadIndex({ indexDir: copy, embedder: { kind: 'lsa' } }), isRebuildHint('index_corrupt'));
  });

  test('a truncated HNSW graph is index_corrupt, naming `npm run ingest`', async () => {
    const copy = await copyIndex();
    await truncate(path.join(await currentFolder(copy), 'hnswlib.index'), 64);
    await assert.rejects(loadIndex({ indexDir: copy, embedder: { kind: 'lsa' } }), isRebuildHint('index_corrupt'));
  });

  test('a CURRENT pointer to a folder that is gone is index_corrupt, naming `npm run ingest`', async () => {
    const copy = await copyIndex();
    await rm(await currentFolder(copy), { recursive: true });
    await assert.rejects(loadIndex({ indexDir: copy, embedder: { kind: 'lsa' } }), isRebuildHint('index_corrupt'));
  });

  test('an index built for another embedder is refused, naming `npm run ingest`', async () => {
    await assert.rejects(
      loadIndex({ indexDir: settings.indexDir, embedder: { kind: 'openai', model: 'text-embedding-3-small', baseURL: 'http://127.0.0.1:9/v1', timeoutMs: 100 } }),
      isRebuildHint('index_corrupt'),
    );
  });
});

describe('an interrupted rebuild', () => {
  test('leaves the previous index loading as before', async () => {
    const copy = await copyIndex();
    const before = await currentFolder(copy);
    // What a crash mid-ingest leaves: a staging folder with some files written and CURRENT untouched.
    const staging = path.join(copy, `.staging-index-${Date.now()}-${process.pid}`);
    await mkdir(path.join(staging, 'hnsw'), { recursive: true });
    await writeFile(path.join(staging, 'passages.json'), '[{"id":"jiangsu-2024#p000"');
    await writeFile(path.join(staging, 'vectors.bin'), new Uint8Array(10));
    const reloaded = await loadIndex({ indexDir: copy, embedder: { kind: 'lsa' } });
    assert.equal(await currentFolder(copy), before);
    assert.equal(reloaded.manifest.builtAt, index.manifest.builtAt);
    assert.deepEqual(reloaded.passages.map((passage) => passage.id), index.passages.map((passage) => passage.id));
    const result = await new HybridRetriever(reloaded).retrieve({ question: '江苏今年地区生产总值增长目标是多少？' });
    assert.ok(result.passages[0]?.passage.text.startsWith(JIANGSU_TARGETS));
  });

  test('the next complete build switches to a new folder, keeps the one it replaced until the build after, and clears abandoned staging', async () => {
    const scratch = await mkdtemp(path.join(workDir, 'rebuild-'));
    const own: BuildSettings = { dataDir: await copyCorpus(scratch), indexDir: path.join(scratch, 'vectorstore'), embedder: { kind: 'lsa' } };
    await buildIndex(own);
    const first = path.basename(await currentFolder(own.indexDir));
    const abandoned = '.staging-index-1000-1';
    await mkdir(path.join(own.indexDir, abandoned, 'hnsw'), { recursive: true });
    await new Promise((resolve) => setTimeout(resolve, 5)); // a new folder name needs a new millisecond
    await buildIndex(own);
    const second = path.basename(await currentFolder(own.indexDir));
    assert.notEqual(second, first);
    const entries = await readdir(own.indexDir);
    // A server loading the index at the moment of the switch may still be reading the replaced folder.
    assert.ok(entries.includes(first), 'the replaced folder is kept for loads already under way');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await buildIndex(own);
    assert.ok(!(await readdir(own.indexDir)).includes(first), 'the folder before the previous one is removed');
    assert.ok(!entries.includes(abandoned), 'a long-abandoned staging folder is removed');
    assert.deepEqual(entries.filter((entry) => entry.startsWith('.staging-')), []);
    const reloaded = await loadIndex(own);
    assert.equal(reloaded.passages.length, index.passages.length);
  });
});
