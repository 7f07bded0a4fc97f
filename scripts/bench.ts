// `npm run bench [-- --set FILE] [--quick] [--out FILE] [--index-dir DIR] [--only SECTIONS]`: speed and
// memory of ingest, retrieval (BM25, HNSW, hybrid; HNSW recall against brute force), answers (in process
// and over Socket.IO), serving (1 / 10 / 100 clients over Socket.IO, HTTP, SSE and the OpenAI-compatible stream),
// replicas (100 Socket.IO clients through nginx to 1, 2 and 3 replicas sharing Redis) and a comparison with
// Orama, in one run. Prints tables and writes results/bench.json. Loopback only; every loop is bounded.
import { understandFresh } from '../src/understand/understand.ts';
import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { Assistant } from '../src/assistant.ts';
import { readEvalSet, scoreRetrieval, type EvalItem } from '../src/eval/eval-set.ts';
import { weighQuery } from '../src/index/bm25.ts';
import { DEFAULT_HNSW, loadIndex } from '../src/index/index-store.ts';
import type { PassageIndex } from '../src/index/passage-index.ts';
import { tokenize } from '../src/index/tokenize.ts';
import type { AskPayload } from '../src/server/contract.ts';
import { askOverHttp, connectSockets, keepAliveAgent, runClosedLoop, SocketAsker, type LoadResult } from './lib/answer-clients.ts';
import { askOverOpenAi, askOverSse } from './lib/stream-clients.ts';
import { buildGraph, exactNeighbours, loadedGraphSearcher, measureRecall, type RecallMeasurement } from './lib/hnsw-sweep.ts';
import { formatBytes, formatMs, summarizeLatencies, timeEach, type LatencySummary } from './lib/latency.ts';
import { benchReports } from './lib/bench-reports.ts';
import { buildOramaBaseline } from './lib/orama-baseline.ts';
import { collectGarbage, DEFAULT_EVAL_SET, fromRoot, makeTempDir, offlineEnvironment, writeResults } from './lib/project.ts';
import { readProcStatus, spawnIngest, startServerProcess } from './lib/server-process.ts';
import { startCluster } from '../src/cluster/start-cluster.ts';
import { freePort } from '../src/cluster/processes.ts';
import { formatTable, section } from './lib/table.ts';

const SECTIONS = ['ingest', 'retrieval', 'reports', 'answers', 'serving', 'replicas', 'orama'] as const;
type Section = (typeof SECTIONS)[number];

const { values: flags } = parseArgs({
  options: {
    set: { type: 'string', default: DEFAULT_EVAL_SET },
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: 'results/bench.json' },
    'index-dir': { type: 'string' },
    only: { type: 'string' },
  },
});
const quick = flags.quick ?? false;
const only = new Set((flags.only ?? SECTIONS.join(',')).split(',').map((name) => name.trim()));
for (const name of only) if (!SECTIONS.includes(name as Section)) throw new Error(`--only takes ${SECTIONS.join(', ')} (got "${name}")`);
const runs = (name: Section): boolean => only.has(name);

/** Repetitions and durations: the full run stays within about three minutes on two cores. */
const PLAN = quick
  ? { repetitions: 5, answerRepetitions: 3, servingMs: 2000, warmupMs: 500, passageQueries: 100, graphSweep: [[16, 200]] as const }
  : {
      repetitions: 20,
      answerRepetitions: 10,
      servingMs: 6000,
      warmupMs: 1500,
      passageQueries: 200,
      graphSweep: [
        [8, 100],
        [16, 100],
        [16, 200],
        [32, 200],
      ] as const,
    };
const CONCURRENCY = [1, 10, 100] as const;
const GOALS = { addReportMs: 2000, understandingP50Ms: 1, hybridP50Ms: 5, socketP50At10Ms: 30, throughputAt100: 300, servingRssBytes: 400 * 1024 * 1024, ingestMs: 60_000, oramaSpeedRatio: 5, oramaRecallRatio: 1.5 };
/** The replicas section: Debian's nginx and redis-server (the section is skipped, saying so, without them). */
const NGINX_PATH = '/usr/sbin/nginx';
const REDIS_SERVER_PATH = '/usr/bin/redis-server';

const log = (line: string): void => console.error(`[bench] ${line}`);
const results: Record<string, unknown> = {
  command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  startedAt: new Date().toISOString(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryBytes: totalmem(), node: process.version },
  plan: PLAN,
};
const report: string[] = [];
const goals: { goal: string; target: string; measured: string; met: boolean }[] = [];

const latencyRow = (name: string, summary: LatencySummary): string[] => [name, String(summary.count), formatMs(summary.p50), formatMs(summary.p99), formatMs(summary.mean)];
const LATENCY_HEADERS = ['what', 'samples', 'p50 ms', 'p99 ms', 'mean ms'];

const items = await readEvalSet(flags.set!);
const payloadOf = (item: EvalItem): AskPayload => ({ question: item.question, ...(item.history && item.history.length > 0 ? { history: item.history } : {}) });
const temp = await makeTempDir('bench-index');

try {
  // ---------------------------------------------------------------- ingest
  let indexDir = flags['index-dir'] ? fromRoot(flags['index-dir']) : temp.dir;
  if (runs('ingest') || !flags['index-dir']) {
    log(`ingest: building the whole index from data/ into ${temp.dir} in a child process …`);
    const ingest = spawnIngest({ env: offlineEnvironment({ DATA_DIR: fromRoot('data'), INDEX_DIR: temp.dir }) });
    const outcome = await ingest.done;
    if (outcome.code !== 0) throw new Error(`ingest failed (exit ${outcome.code}, ${outcome.signal}): ${outcome.stderr.slice(-800)}`);
    indexDir = temp.dir;
    const indexed = /Indexed (\d+) passages.* in ([\d.]+) s/.exec(outcome.stderr);
    const ingestResult = { wallMs: outcome.wallMs, buildSecondsReported: indexed ? Number(indexed[2]) : null, passages: indexed ? Number(indexed[1]) : null, maxRssBytes: outcome.maxRssBytes };
    results.ingest = ingestResult;
    report.push(
      section(
        'Ingest (node --import tsx src/cli/ingest.ts, child process, fresh INDEX_DIR)',
        formatTable(
          ['passages', 'wall time (process)', 'build time (reported)', 'peak RSS'],
          [[String(ingestResult.passages ?? '?'), `${(outcome.wallMs / 1000).toFixed(1)} s`, ingestResult.buildSecondsReported !== null ? `${ingestResult.buildSecondsReported} s` : '—', formatBytes(outcome.maxRssBytes)]],
        ),
      ),
    );
    goals.push({ goal: 'full ingest', target: '< 60 s', measured: `${(outcome.wallMs / 1000).toFixed(1)} s`, met: outcome.wallMs < GOALS.ingestMs });
    console.log(report.at(-1));
  }

  const loadStarted = performance.now();
  const index: PassageIndex = await loadIndex({ indexDir, embedder: { kind: 'lsa' } });
  const loadMs = performance.now() - loadStarted;
  // As the server composes it: the assistant owns the retriever and builds the answer dependencies.
  const assistant = new Assistant(index);
  const retriever = assistant.retriever;
  results.index = { passages: index.passages.length, dimensions: index.dimensions, hnsw: index.manifest.hnsw, loadMs };
  log(`loaded ${index.passages.length} passages (${index.dimensions} dimensions) in ${loadMs.toFixed(0)} ms`);
  const questions = items.map((item) => item.question);
  const answerable = items.filter((item) => item.expect.length > 0);

  // ------------------------------------------------------------- retrieval
  if (runs('retrieval')) {
    log(`retrieval: ${items.length} dev questions × ${PLAN.repetitions} after warm-up …`);
    collectGarbage();
    const options = { repetitions: PLAN.repetitions };
    const vectors = new Map<string, number[]>();
    for (const question of questions) vectors.set(question, await index.embeddings.embedQuery(question));
    const bm25 = summarizeLatencies(await timeEach(questions, (question) => index.lexical(weighQuery([{ tokens: tokenize(question), weight: 1 }]), 10), options));
    const embed = summarizeLatencies(await timeEach(questions, (question) => index.embeddings.embedQuery(question), options));
    const denseOnly = summarizeLatencies(await timeEach(questions, (question) => index.dense(vectors.get(question)!, 10), options));
    const denseWithEmbedding = summarizeLatencies(await timeEach(questions, async (question) => index.dense(await index.embeddings.embedQuery(question), 10), options));
    const all = Array.from({ length: index.passages.length }, (_, position) => position);
    const exactWithEmbedding = summarizeLatencies(await timeEach(questions, async (question) => index.denseExact(await index.embeddings.embedQuery(question), 10, all), options));
    // Uncached (the retriever keeps the intents of recent questions): what a new question costs.
    const understanding = summarizeLatencies(await timeEach(items, async (item) => understandFresh({ question: item.question, history: item.history ?? [] }, retriever.context), options));
    const hybrid = summarizeLatencies(await timeEach(items, (item) => retriever.retrieve({ question: item.question, history: item.history ?? [], k: 5 }), options));
    const retrieval = { understanding, bm25, embedQuery: embed, denseHnswSearchOnly: denseOnly, denseHnsw: denseWithEmbedding, denseExact: exactWithEmbedding, hybrid };
    results.retrieval = retrieval;
    report.push(
      section(
        `Retrieval latency (${items.length} dev questions × ${PLAN.repetitions}, in process, k = 10; hybrid k = 5)`,
        formatTable(LATENCY_HEADERS, [
          latencyRow('understanding the question (the intent, uncached)', understanding),
          latencyRow('BM25 (tokenize + search)', bm25),
          latencyRow('query embedding (LSA)', embed),
          latencyRow('dense HNSW (search only)', denseOnly),
          latencyRow('dense HNSW (embed + search)', denseWithEmbedding),
          latencyRow('dense brute force (embed + search)', exactWithEmbedding),
          latencyRow('hybrid (HybridRetriever.retrieve)', hybrid),
        ]),
      ),
    );
    goals.push({ goal: 'understanding a question p50', target: '< 1 ms', measured: `${formatMs(understanding.p50)} ms`, met: understanding.p50 < GOALS.understandingP50Ms });
    goals.push({ goal: 'hybrid retrieval p50', target: '< 5 ms', measured: `${formatMs(hybrid.p50)} ms`, met: hybrid.p50 < GOALS.hybridP50Ms });
    console.log(report.at(-1));

    log('HNSW recall@10 against brute force …');
    const passageQueries: number[][] = [];
    for (let step = 0; passageQueries.length < PLAN.passageQueries && step < index.passages.length; step++) {
      // Every (n / queries)-th passage, deterministic.
      const position = Math.floor((step * index.passages.length) / PLAN.passageQueries);
      if (position >= index.passages.length) break;
      passageQueries.push(Array.from(index.vectors.subarray(position * index.dimensions, (position + 1) * index.dimensions)));
    }
    // The text the retriever embeds (the question after the follow-up rewrite, with its expansions); a
    // question with no known feature (zero vector) has no nearest neighbours and is left out.
    const retrieverVectors: number[][] = [];
    for (const item of items) {
      const intent = retriever.understand({ question: item.question, history: item.history ?? [] });
      retrieverVectors.push(await index.embeddings.embedQuery([intent.search.text, ...intent.search.terms].join(' ')));
    }
    const questionVectors = retrieverVectors.filter((vector) => vector.some((value) => value !== 0));
    const zeroVectors = retrieverVectors.length - questionVectors.length;
    const querySets = { 'dev questions': questionVectors, 'passage texts': passageQueries };
    const truth = Object.fromEntries(Object.entries(querySets).map(([name, queries]) => [name, exactNeighbours(index, queries, 10)]));
    const recallRows: string[][] = [];
    const recallResults: Record<string, RecallMeasurement & { speedRatio: number }> = {};
    for (const [name, queries] of Object.entries(querySets)) {
      const measured = measureRecall(index, loadedGraphSearcher(index), queries, truth[name]!, { k: 10, repetitions: PLAN.repetitions, timeExact: true });
      const speedRatio = measured.exact.mean / measured.approximate.mean;
      recallResults[name] = { ...measured, speedRatio };
      recallRows.push([name, String(queries.length), measured.recall.toFixed(4), formatMs(measured.approximate.p50), formatMs(measured.exact.p50), `${speedRatio.toFixed(1)}×`]);
    }
    // efSearch sweep on the loaded graph (restored afterwards).
    const efRows: string[][] = [];
    const efResults: { ef: number; recallQuestions: number; recallPassages: number; p50Ms: number; p99Ms: number }[] = [];
    const combined = [...questionVectors, ...passageQueries];
    const combinedTruth = [...truth['dev questions']!, ...truth['passage texts']!];
    for (const ef of [10, 20, 40, 60, 100, 200, 400]) {
      index.graph.setEf(ef);
      const onQuestions = measureRecall(index, loadedGraphSearcher(index), questionVectors, truth['dev questions']!, { k: 10, repetitions: 0, timeExact: false });
      const onPassages = measureRecall(index, loadedGraphSearcher(index), passageQueries, truth['passage texts']!, { k: 10, repetitions: 0, timeExact: false });
      const timing = measureRecall(index, loadedGraphSearcher(index), combined, combinedTruth, { k: 10, repetitions: Math.ceil(PLAN.repetitions / 2), timeExact: false });
      efResults.push({ ef, recallQuestions: onQuestions.recall, recallPassages: onPassages.recall, p50Ms: timing.approximate.p50, p99Ms: timing.approximate.p99 });
      efRows.push([`${ef}${ef === index.manifest.hnsw.efSearch ? ' (index)' : ''}`, onQuestions.recall.toFixed(4), onPassages.recall.toFixed(4), formatMs(timing.approximate.p50), formatMs(timing.approximate.p99)]);
    }
    index.graph.setEf(index.manifest.hnsw.efSearch);
    // M / efConstruction sweep: graphs rebuilt in memory from the same vectors, searched at the index's efSearch.
    const graphRows: string[][] = [];
    const graphResults: { M: number; efConstruction: number; buildMs: number; recall: number; p50Ms: number }[] = [];
    for (const [M, efConstruction] of PLAN.graphSweep) {
      const graph = buildGraph(index, M, efConstruction);
      graph.setEf(index.manifest.hnsw.efSearch);
      const measured = measureRecall(index, graph.search, combined, combinedTruth, { k: 10, repetitions: Math.ceil(PLAN.repetitions / 2), timeExact: false });
      graphResults.push({ M, efConstruction, buildMs: graph.buildMs, recall: measured.recall, p50Ms: measured.approximate.p50 });
      const chosen = M === DEFAULT_HNSW.M && efConstruction === DEFAULT_HNSW.efConstruction;
      graphRows.push([`M ${M}, efConstruction ${efConstruction}${chosen ? ' (DEFAULT_HNSW)' : ''}`, `${graph.buildMs.toFixed(0)} ms`, measured.recall.toFixed(4), formatMs(measured.approximate.p50)]);
    }
    results.hnsw = { zeroVectorQuestionsLeftOut: zeroVectors, recallAt10: recallResults, efSearchSweep: efResults, graphSweep: graphResults, settings: index.manifest.hnsw };
    report.push(
      section(
        `HNSW recall@10 vs exact brute force (M ${index.manifest.hnsw.M}, efConstruction ${index.manifest.hnsw.efConstruction}, efSearch ${index.manifest.hnsw.efSearch}; search only, same run; questions embedded as the retriever embeds them${zeroVectors ? `, ${zeroVectors} with a zero vector left out` : ''})`,
        formatTable(['queries', 'n', 'recall@10', 'HNSW p50 ms', 'exact p50 ms', 'speed ratio (mean)'], recallRows),
      ),
      section(
        'efSearch sweep (loaded graph)',
        formatTable(['efSearch', 'recall@10 questions', 'recall@10 passages', 'p50 ms', 'p99 ms'], efRows),
      ),
      section(`M / efConstruction sweep (graphs rebuilt from the same ${index.passages.length} vectors, efSearch ${index.manifest.hnsw.efSearch})`, formatTable(['graph', 'build', 'recall@10 (all queries)', 'p50 ms'], graphRows)),
    );
    console.log(report.slice(-3).join(''));
  }

  // --------------------------------------------------------------- answers
  if (runs('answers')) {
    log(`answers in process: ${items.length} dev questions × ${PLAN.answerRepetitions} …`);
    collectGarbage();
    const perItem = new Map<string, number[]>();
    const samples = await timeEach(
      items,
      async (item) => {
        const started = performance.now();
        await assistant.ask({ question: item.question, history: item.history ?? [] });
        const list = perItem.get(item.id) ?? [];
        list.push(performance.now() - started);
        perItem.set(item.id, list);
      },
      { repetitions: PLAN.answerRepetitions },
    );
    const inProcess = summarizeLatencies(samples);
    // The slowest questions (median of their own repetitions): where a long tail comes from.
    const slowest = items
      .map((item) => ({ id: item.id, type: item.type, question: item.question, p50: summarizeLatencies(perItem.get(item.id)!.slice(-PLAN.answerRepetitions)).p50 }))
      .sort((left, right) => right.p50 - left.p50)
      .slice(0, 5);
    results.answersInProcess = { ...inProcess, slowest };
    report.push(
      section(
        'Extractive answers in process (Assistant.ask, retrieval included)',
        `${formatTable(LATENCY_HEADERS, [latencyRow('Assistant.ask', inProcess)])}

slowest questions (p50 of their own runs):
${formatTable(
          ['id', 'type', 'p50 ms', 'question'],
          slowest.map((item) => [item.id, item.type, formatMs(item.p50), item.question.slice(0, 40)]),
        )}`,
      ),
    );
    console.log(report.at(-1));
  }

  // --------------------------------------------------------------- serving
  if (runs('serving')) {
    log('serving: starting the server as a child process …');
    collectGarbage();
    // 100 clients from one address: the per-address caps are off for the benchmark.
    const server = await startServerProcess({ env: offlineEnvironment({ DATA_DIR: fromRoot('data'), INDEX_DIR: indexDir, RATE_LIMIT_PER_MINUTE: '0', MAX_SESSIONS_PER_ADDRESS: '0', MAX_CONNECTIONS_PER_ADDRESS: '0' }) });
    try {
      const readyStarted = performance.now();
      await server.ready;
      const readyMs = performance.now() - readyStarted;
      const rssBefore = (await server.probe({ gc: true })).memory.rss;
      // Loading the index has its own high-water mark; the serving peak is read again at the end.
      const rssPeakAfterLoad = server.peakRss();
      const sockets = await connectSockets(server.url, Math.max(...CONCURRENCY));
      const askers = sockets.map((socket) => new SocketAsker(socket));
      const question = (client: number, turn: number): AskPayload => payloadOf(items[(client * 7 + turn) % items.length]!);
      const servingRows: string[][] = [];
      const serving: { transport: string; clients: number; result: LoadResult }[] = [];
      for (const transport of ['socket.io', 'http', 'sse', 'openai-stream'] as const) {
        for (const clients of CONCURRENCY) {
          const agent = keepAliveAgent(clients);
          const ask =
            transport === 'socket.io'
              ? (client: number, payload: AskPayload) => askers[client]!.ask(payload, 30_000)
              : transport === 'http'
                ? (_client: number, payload: AskPayload) => askOverHttp(server.url, payload, { agent, timeoutMs: 30_000 })
                : transport === 'sse'
                  ? (_client: number, payload: AskPayload) => askOverSse(server.url, payload, { agent, timeoutMs: 30_000 })
                  : (_client: number, payload: AskPayload) => askOverOpenAi(server.url, payload, { agent, timeoutMs: 30_000 });
          await runClosedLoop({ clients, durationMs: PLAN.warmupMs, question, ask });
          log(`serving: ${transport}, ${clients} client(s), ${PLAN.servingMs} ms …`);
          const result = await runClosedLoop({ clients, durationMs: PLAN.servingMs, question, ask });
          agent.destroy();
          serving.push({ transport, clients, result });
          const failed = Object.values(result.failures).reduce((sum, count) => sum + count, 0);
          servingRows.push([transport, String(clients), String(result.answered), String(failed), result.throughput.toFixed(0), formatMs(result.latency.p50), formatMs(result.latency.p99)]);
        }
      }
      const books = askers.reduce((sum, asker) => (asker.closeBooks(), sum + asker.duplicates + asker.strays), 0);
      for (const socket of sockets) socket.close();
      const after = await server.probe({ gc: false });
      const rssAfter = after.memory.rss;
      const rssAfterGc = (await server.probe({ gc: true })).memory.rss;
      const rssPeak = server.peakRss();
      results.serving = { readyMs, rssBeforeBytes: rssBefore, rssPeakAfterLoadBytes: rssPeakAfterLoad, rssAfterBytes: rssAfter, rssAfterGcBytes: rssAfterGc, rssPeakBytes: rssPeak, duplicateOrStrayAnswers: books, runs: serving };
      report.push(
        section(
          `Serving (server in a child process, loopback, rate limit off, closed loop: each client asks again when answered; ${PLAN.servingMs / 1000} s per row after ${PLAN.warmupMs / 1000} s warm-up)`,
          `${formatTable(['transport', 'clients', 'answered', 'failed', 'answers/s', 'p50 ms', 'p99 ms'], servingRows)}\n\n${formatTable(
            ['server RSS', 'value'],
            [
              ['after the index loaded (idle, after GC)', formatBytes(rssBefore)],
              ['peak while starting and loading the index (VmHWM)', formatBytes(rssPeakAfterLoad)],
              ['after all serving runs', formatBytes(rssAfter)],
              ['after all serving runs, after GC', formatBytes(rssAfterGc)],
              ['peak over the whole run (VmHWM)', formatBytes(rssPeak)],
            ],
          )}`,
        ),
      );
      const socketAt = (clients: number) => serving.find((run) => run.transport === 'socket.io' && run.clients === clients)!.result;
      const httpAt = (clients: number) => serving.find((run) => run.transport === 'http' && run.clients === clients)!.result;
      const at = (transport: string, clients: number) => serving.find((run) => run.transport === transport && run.clients === clients)!.result;
      const inProcess = results.answersInProcess as LatencySummary | undefined;
      report.push(
        section(
          'Extractive answer latency, in process and end to end (from the rows above)',
          formatTable(LATENCY_HEADERS, [
            ...(inProcess ? [latencyRow('in process (Assistant.ask)', inProcess)] : []),
            latencyRow('Socket.IO, 1 client (ask → answer:end)', socketAt(1).latency),
            latencyRow('Socket.IO, 10 clients', socketAt(10).latency),
            latencyRow('HTTP POST /api/ask, 1 client', httpAt(1).latency),
            latencyRow('HTTP POST /api/ask, 10 clients', httpAt(10).latency),
            latencyRow('SSE POST /api/ask, 10 clients (→ answer:end)', at('sse', 10).latency),
            latencyRow('OpenAI /v1/chat/completions stream, 10 clients (→ [DONE])', at('openai-stream', 10).latency),
          ]),
        ),
      );
      goals.push({ goal: 'answer end to end over Socket.IO p50 at 10 clients', target: '< 30 ms', measured: `${formatMs(socketAt(10).latency.p50)} ms`, met: socketAt(10).latency.p50 < GOALS.socketP50At10Ms });
      goals.push({ goal: 'answers per second at 100 Socket.IO clients', target: '≥ 300', measured: socketAt(100).throughput.toFixed(0), met: socketAt(100).throughput >= GOALS.throughputAt100 });
      const rssWorst = Number.isFinite(rssPeak) ? rssPeak : Math.max(rssBefore, rssAfter);
      console.log(report.at(-2));
      goals.push({ goal: 'serving RSS (peak over the serving runs)', target: '< 400 MB', measured: formatBytes(rssWorst), met: rssWorst < GOALS.servingRssBytes });
      console.log(report.at(-1));
    } finally {
      await server.close();
    }
  }

  // -------------------------------------------------------------- replicas
  if (runs('replicas')) {
    const missing = [NGINX_PATH, REDIS_SERVER_PATH].filter((file) => !existsSync(file));
    if (missing.length > 0) {
      log(`replicas: skipped, ${missing.join(' and ')} missing (apt-get install -y redis-server nginx)`);
      results.replicas = { skipped: `${missing.join(', ')} missing` };
    } else {
      log('replicas: starting Redis, 3 replicas and nginx (npm run cluster’s launcher) …');
      collectGarbage();
      const [proxyPort, redisPort, ...replicaPorts] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
      const cluster = await startCluster({
        replicas: 3,
        proxyPort: proxyPort!,
        replicaPorts,
        redisPort: redisPort!,
        redisServerPath: REDIS_SERVER_PATH,
        nginxPath: NGINX_PATH,
        // The rate limit off, as in the serving section; the in-flight cap is still counted in Redis.
        env: offlineEnvironment({ DATA_DIR: fromRoot('data'), INDEX_DIR: indexDir, RATE_LIMIT_PER_MINUTE: '0', MAX_SESSIONS_PER_ADDRESS: '0' }),
      });
      const clients = Math.max(...CONCURRENCY);
      const rows: string[][] = [];
      const measured: { replicas: number; result: LoadResult }[] = [];
      try {
        for (const count of [1, 2, 3]) {
          await cluster.route(Array.from({ length: count }, (_, index) => index));
          // Each client from its own loopback address: nginx's sticky hash spreads addresses, not connections.
          const sockets = await connectSockets(cluster.url, clients, 50, (client) => `127.0.2.${client + 1}`);
          const askers = sockets.map((socket) => new SocketAsker(socket));
          const question = (client: number, turn: number): AskPayload => payloadOf(items[(client * 7 + turn) % items.length]!);
          const ask = (client: number, payload: AskPayload) => askers[client]!.ask(payload, 30_000);
          await runClosedLoop({ clients, durationMs: PLAN.warmupMs, question, ask });
          log(`replicas: ${count} behind nginx, ${clients} Socket.IO clients, ${PLAN.servingMs} ms …`);
          const result = await runClosedLoop({ clients, durationMs: PLAN.servingMs, question, ask });
          for (const socket of sockets) socket.close();
          measured.push({ replicas: count, result });
          const failed = Object.values(result.failures).reduce((sum, value) => sum + value, 0);
          rows.push([String(count), String(result.answered), String(failed), result.throughput.toFixed(0), formatMs(result.latency.p50), formatMs(result.latency.p99)]);
        }
        const peaks = cluster.replicas.map((replica) => ({ replica: replica.name, peakRssBytes: replica.process.pid ? readProcStatus(replica.process.pid, 'VmHWM') : Number.NaN }));
        results.replicas = { clients, runs: measured, peaks };
        report.push(
          section(
            `Replicas (${clients} Socket.IO clients over websocket, each from its own loopback address, through nginx to 1, 2 and 3 replicas sharing one Redis; rate limit off, in-flight cap in Redis; ${PLAN.servingMs / 1000} s per row after ${PLAN.warmupMs / 1000} s warm-up, all on this ${cpus().length}-core machine with nginx, Redis and the clients)`,
            `${formatTable(['replicas', 'answered', 'failed', 'answers/s', 'p50 ms', 'p99 ms'], rows)}\n\n${formatTable(['replica', 'peak RSS (VmHWM)'], peaks.map((peak) => [peak.replica, formatBytes(peak.peakRssBytes)]))}`,
          ),
        );
        console.log(report.at(-1));
      } finally {
        await cluster.stop();
      }
    }
  }

  // ----------------------------------------------------------------- orama
  // Last, so Orama's heap does not slow the in-process measurements above with its garbage collection.
  if (runs('orama')) {
    log('Orama: building the baseline over the same passages …');
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    const orama = await buildOramaBaseline(index);
    collectGarbage();
    const oramaHeap = process.memoryUsage().heapUsed - heapBefore;
    // Orama is given what our retriever works out for itself, prepared before its clock starts: the question
    // as understood (after the follow-up rewrite), its regions as the filter, and its LSA vector. Ours is
    // timed end to end (understanding, embedding, BM25 + HNSW, fusion), as the server runs it.
    const prepared = new Map<string, { query: string; regions: string[]; vector: number[] }>();
    for (const item of answerable) {
      const intent = retriever.understand({ question: item.question, history: item.history ?? [] });
      prepared.set(item.id, { query: intent.search.text, regions: intent.subjects.map((entry) => entry.name), vector: await index.embeddings.embedQuery(intent.search.text) });
    }
    const queryOf = (item: EvalItem): string => prepared.get(item.id)!.query;
    const regionsOf = (item: EvalItem): string[] => prepared.get(item.id)!.regions;
    const vectorOf = (item: EvalItem): number[] => prepared.get(item.id)!.vector;
    const sourcesOf = (positions: readonly number[]) => positions.map((position) => index.passages[position]!);
    const recallOf = async (search: (item: EvalItem) => Promise<readonly { region: string; text: string }[]>): Promise<number> => {
      let found = 0;
      let expected = 0;
      for (const item of answerable) {
        const score = scoreRetrieval(item, await search(item));
        found += score.found;
        expected += score.expected;
      }
      return found / Math.max(1, expected);
    };
    const contenders: { name: string; search: (item: EvalItem) => Promise<readonly { region: string; text: string }[]> }[] = [
      { name: 'Orama full-text (Mandarin tokenizer)', search: async (item) => sourcesOf(await orama.searchText(queryOf(item), 5)) },
      { name: 'Orama full-text + region filter', search: async (item) => sourcesOf(await orama.searchText(queryOf(item), 5, regionsOf(item))) },
      { name: 'Orama hybrid (same LSA vectors) + region filter', search: async (item) => sourcesOf(await orama.searchHybrid(queryOf(item), vectorOf(item), 5, regionsOf(item))) },
      { name: 'ours: BM25 only (jieba), no filter', search: async (item) => sourcesOf(index.lexical(weighQuery([{ tokens: tokenize(queryOf(item)), weight: 1 }]), 5).map((hit) => hit.document)) },
      { name: 'ours: HybridRetriever (BM25 + HNSW + regions)', search: async (item) => (await retriever.retrieve({ question: item.question, history: item.history ?? [], k: 5 })).passages.map((hit) => hit.passage) },
    ];
    const rows: string[][] = [];
    const oramaResults: { name: string; recallAt5: number; latency: LatencySummary }[] = [];
    for (const contender of contenders) {
      const recall = await recallOf(contender.search);
      const latency = summarizeLatencies(await timeEach(answerable, contender.search, { repetitions: Math.max(3, PLAN.repetitions / 2) }));
      oramaResults.push({ name: contender.name, recallAt5: recall, latency });
      rows.push([contender.name, recall.toFixed(3), formatMs(latency.p50), formatMs(latency.p99)]);
    }
    // The standing check: our hybrid against Orama's hybrid with the same vectors and the same region filter.
    const theirs = oramaResults.find((result) => result.name.startsWith('Orama hybrid'))!;
    const ours = oramaResults.find((result) => result.name.startsWith('ours: HybridRetriever'))!;
    const speedRatio = theirs.latency.p50 / ours.latency.p50;
    const recallRatio = ours.recallAt5 / theirs.recallAt5;
    results.orama = { version: '3.1.16', buildMs: orama.buildMs, heapBytes: oramaHeap, questions: answerable.length, contenders: oramaResults, speedRatioP50: speedRatio, recallRatioAt5: recallRatio };
    goals.push({ goal: 'retrieval p50: Orama hybrid + filter ÷ ours', target: `≥ ${GOALS.oramaSpeedRatio}×`, measured: `${speedRatio.toFixed(2)}× (${formatMs(theirs.latency.p50)} / ${formatMs(ours.latency.p50)} ms)`, met: speedRatio >= GOALS.oramaSpeedRatio });
    goals.push({ goal: 'recall@5: ours ÷ Orama hybrid + filter', target: `≥ ${GOALS.oramaRecallRatio}×`, measured: `${recallRatio.toFixed(2)}× (${ours.recallAt5.toFixed(3)} / ${theirs.recallAt5.toFixed(3)})`, met: recallRatio >= GOALS.oramaRecallRatio });
    report.push(
      section(
        `Orama 3.1.16 vs this project (same ${index.passages.length} passages, ${answerable.length} answerable dev questions, same run; Orama build ${(orama.buildMs / 1000).toFixed(1)} s, ~${formatBytes(oramaHeap)} heap; Orama timed on its search alone, the question understood and embedded beforehand; ours end to end)`,
        `${formatTable(['retriever', 'Recall@5', 'p50 ms', 'p99 ms'], rows)}\n\nours vs Orama hybrid + region filter (same LSA vectors): ${speedRatio.toFixed(2)}× faster at p50, ${recallRatio.toFixed(2)}× its recall@5`,
      ),
    );
    console.log(report.at(-1));
  }

  // ---------------------------------------------------------------- reports added in place
  if (runs('reports')) {
    log('reports: adding, then removing, a ~30,000-character report on copies of data/ and the index …');
    const measured = await benchReports(indexDir, questions, quick ? 2 : 5);
    results.reports = measured;
    report.push(
      section(
        `Reports added in place (${measured.reportCharacters} characters, ${measured.passagesAdded} passages; copies of data/ and the index)`,
        formatTable(
          ['what', 'value'],
          [
            ['add, as the server does it (its backend changed in place)', `${formatMs(measured.addServerMs)} ms`],
            ['add, as the CLI does it (everything loaded)', `${formatMs(measured.addCliMs)} ms`],
            ['remove', `${formatMs(measured.removeMs)} ms`],
            ['hybrid retrieval p50 before / after', `${formatMs(measured.retrievalBefore.p50)} / ${formatMs(measured.retrievalAfter.p50)} ms`],
            ['RSS before the add / peak during it', `${formatBytes(measured.rssBeforeBytes)} / ${formatBytes(measured.rssPeakDuringAddBytes)}`],
          ],
        ),
      ),
    );
    goals.push({ goal: 'add a ~30,000-character report', target: '< 2 s', measured: `${formatMs(measured.addServerMs)} ms`, met: measured.addServerMs < GOALS.addReportMs });
    console.log(report.at(-1));
  }

  results.goals = goals;
  results.finishedAt = new Date().toISOString();
  report.push(section('Goals', formatTable(['goal', 'target', 'measured', 'met'], goals.map((goal) => [goal.goal, goal.target, goal.measured, goal.met ? 'yes' : 'NO']))));
  console.log(report.at(-1));
  const written = await writeResults(flags.out!, results);
  console.log(`\nWrote ${written}.`);
} finally {
  await temp.remove();
}
