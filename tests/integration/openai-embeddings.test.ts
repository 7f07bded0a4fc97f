// The embeddings endpoint path: an index built with an OpenAI-compatible embeddings endpoint (a real
// HTTP server on 127.0.0.1), which records that embedder, retrieves with it, and refuses to load under
// another embedder or to build when the endpoint fails.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../src/errors.ts';
import { buildIndex, isIndexFresh, loadIndex, type BuildSettings } from '../../src/index/index-store.ts';
import { HybridRetriever } from '../../src/retrieval/hybrid-search.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai-server.ts';

const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/mini-corpus/', import.meta.url));

let fake: FakeOpenAI;
let workDir: string;
let settings: BuildSettings;

before(async () => {
  fake = await startFakeOpenAI({ embeddingDimension: 48 });
  workDir = await mkdtemp(path.join(os.tmpdir(), 'gov-report-openai-embed-'));
  const dataDir = path.join(workDir, 'data');
  await cp(FIXTURE_DIR, dataDir, { recursive: true });
  settings = { dataDir, indexDir: path.join(workDir, 'vectorstore'), embedder: { kind: 'openai', model: 'fake-embed', baseURL: fake.url, apiKey: 'test', timeoutMs: 5000 } };
});

after(async () => {
  await fake.close();
  await rm(workDir, { recursive: true, force: true });
});

test('an index built through the embeddings endpoint records it and retrieves with query embeddings from it', async () => {
  const manifest = await buildIndex(settings);
  assert.equal(manifest.embedder, `openai:fake-embed@${fake.url}`);
  assert.equal(manifest.dimensions, 48);
  const embeddingCalls = fake.requests.filter((request) => request.path.endsWith('/embeddings'));
  assert.ok(embeddingCalls.length >= 1, 'passages were embedded by the endpoint');
  assert.ok(!JSON.stringify(manifest).includes('test'), 'the API key is not written into the index');

  const index = await loadIndex(settings);
  const before = fake.requests.length;
  const result = await new HybridRetriever(index).retrieve({ question: '江苏今年地区生产总值增长目标是多少？', k: 3 });
  assert.ok(fake.requests.length > before, 'the query was embedded by the endpoint');
  assert.equal(result.passages[0]?.passage.region, '江苏省');
  assert.match(result.passages[0]!.passage.text, /地区生产总值增长5%以上/);
  assert.deepEqual(await isIndexFresh(settings), { fresh: true, reason: 'up to date' });
});

test('the index built with the endpoint is stale for the offline embedder and will not load under it', async () => {
  const offline: BuildSettings = { ...settings, embedder: { kind: 'lsa' } };
  assert.equal((await isIndexFresh(offline)).fresh, false);
  await assert.rejects(loadIndex(offline), (error: unknown) => error instanceof AppError && error.code === 'index_corrupt' && /npm run ingest/.test(error.message));
});

test('an endpoint that fails stops the build with a model error and keeps the previous index', async () => {
  fake.setScenario({ mode: 'http-500', target: 'embeddings' });
  await assert.rejects(buildIndex(settings), (error: unknown) => error instanceof AppError && error.code === 'model_error');
  fake.setScenario({ mode: 'ok' });
  const index = await loadIndex(settings);
  assert.ok(index.passages.length > 0);
});
