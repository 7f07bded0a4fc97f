// `npm run stress [-- --quick] [--set FILE] [--out FILE] [--deadline-ms N] [--only PHASES] [--server-root DIR] [--probes NAMES]`:
// load, model faults, bad input, the integration surfaces (/v1, SSE, /mcp, API keys), index faults, the
// report library's hostile files and crash windows (scripts/lib/library-stress.ts), and serving safety
// (clients that never read, limits across reconnects, shutdown, host names, request hygiene) against real
// servers in child processes on 127.0.0.1 (rate limit off except where a probe tests it). `--server-root`
// runs the serving probes against another checkout (e.g. an older commit unpacked with `git archive`), to
// measure before and after. Every loop is bounded in count and time. Prints tables, writes
// results/stress.json, and exits 1 when an invariant is violated (a lost or failed answer, a dead server,
// an unclear error, a leak).
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, truncate, writeFile, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startFakeOpenAI, type FakeOpenAI, type FakeScenario } from '../tests/helpers/fake-openai-server.ts';
import { readEvalSet, type EvalItem } from '../src/eval/eval-set.ts';
import { isIndexFresh, loadIndex } from '../src/index/index-store.ts';
import type { AskPayload } from '../src/server/contract.ts';
import { askOverHttp, connectSockets, keepAliveAgent, runClosedLoop, sendHttp, SocketAsker, type AskOutcome } from './lib/answer-clients.ts';
import { malformedHttpCases, malformedSocketCases } from './lib/bad-input.ts';
import { runHttpCase, runInvalidUtf8OverPolling, runSocketCases, summarizeVerdicts, type Verdict } from './lib/bad-input-runner.ts';
import { InvariantLog } from './lib/invariants.ts';
import { stressCrashWindows, stressHostileFiles, type LibraryStressContext } from './lib/library-stress.ts';
import { STRESS_KEY, stressIntegrations } from './lib/integration-stress.ts';
import { formatBytes, formatMs, summarizeLatencies } from './lib/latency.ts';
import { copyIndex, DEFAULT_EVAL_SET, fromRoot, makeTempDir, offlineEnvironment, PROJECT_ROOT, sleep, timeUntil, waitFor, writeResults } from './lib/project.ts';
import { spawnIngest, startServerProcess, type Probe, type ServerProcess } from './lib/server-process.ts';
import { SERVING_PROBES } from './lib/serving-probes.ts';
import { formatTable, section } from './lib/table.ts';

const PHASES = ['load', 'faults', 'bad-input', 'integrations', 'index-faults', 'hostile-files', 'crash-windows', 'serving'] as const;
type Phase = (typeof PHASES)[number];

const { values: flags } = parseArgs({
  options: {
    set: { type: 'string', default: DEFAULT_EVAL_SET },
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: 'results/stress.json' },
    'deadline-ms': { type: 'string', default: '5000' },
    'index-dir': { type: 'string', default: 'vectorstore' },
    only: { type: 'string' },
    'server-root': { type: 'string' },
    probes: { type: 'string' },
  },
});
const quick = flags.quick ?? false;
const only = new Set((flags.only ?? PHASES.join(',')).split(',').map((name) => name.trim()));
for (const name of only) if (!PHASES.includes(name as Phase)) throw new Error(`--only takes ${PHASES.join(', ')} (got "${name}")`);
const runs = (phase: Phase): boolean => only.has(phase);
const deadlineMs = Number(flags['deadline-ms']);
if (!Number.isInteger(deadlineMs) || deadlineMs < 1000) throw new Error('--deadline-ms must be a whole number of milliseconds, at least 1000');

/** Sizes and durations: the full run stays within about four minutes on two cores. */
const PLAN = quick
  ? { loadClients: 200, loadRounds: 3, roundMs: 4000, faultClients: 10, httpCasesMinimum: 1000, liveIngestClients: 10 }
  : { loadClients: 200, loadRounds: 4, roundMs: 15_000, faultClients: 20, httpCasesMinimum: 1000, liveIngestClients: 20 };
/** A model configuration whose deadlines the faults below exceed. */
const MODEL_TIMEOUTS = { LLM_TIMEOUT_MS: '3000', LLM_FIRST_TOKEN_TIMEOUT_MS: '1000' };
/**
 * How long a model connection may outlive a cancelled or timed-out call. Node 20's fetch (undici 6)
 * keeps the socket of a request aborted before its response headers for its 4 s keep-alive timeout.
 */
const MODEL_CONNECTION_RELEASE_MS = 6000;
/** Memory may not grow more than this between the first and the last load round (after GC). */
const MEMORY_GROWTH_LIMIT = { heapBytes: 16 * 1024 * 1024, rssBytes: 64 * 1024 * 1024 };

const log = (line: string): void => console.error(`[stress] ${line}`);
const invariants = new InvariantLog();
const results: Record<string, unknown> = {
  command: `npm run stress${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  startedAt: new Date().toISOString(),
  plan: PLAN,
  deadlineMs,
};
const started = performance.now();
const items = await readEvalSet(flags.set!);
const payloadOf = (item: EvalItem): AskPayload => ({ question: item.question, ...(item.history && item.history.length > 0 ? { history: item.history } : {}) });
const questionFor = (client: number, turn: number): AskPayload => payloadOf(items[(client * 7 + turn) % items.length]!);
const dataDir = fromRoot('data');
const temp = await makeTempDir('stress');
const servers: ServerProcess[] = [];
let fake: FakeOpenAI | undefined;

/** Starts a server child and remembers it, so nothing outlives the run. */
async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const server = await startServerProcess({ env });
  servers.push(server);
  await server.ready;
  return server;
}

const sumValues = (record: Record<string, number>): number => Object.values(record).reduce((sum, value) => sum + value, 0);
const describeFailures = (record: Record<string, number>): string => Object.entries(record).map(([key, count]) => `${key} ×${count}`).join(', ') || 'none';

try {
  // ------------------------------------------------------------------ index
  // A private copy of the index (or a fresh build) in a temp folder: nothing here touches vectorstore/.
  const servingDir = path.join(temp.dir, 'serving');
  const sourceIndex = fromRoot(flags['index-dir']!);
  const freshness = await isIndexFresh({ dataDir, indexDir: sourceIndex, embedder: { kind: 'lsa' } });
  if (freshness.fresh) {
    await copyIndex(sourceIndex, servingDir);
    log(`copied the index from ${path.relative(PROJECT_ROOT, sourceIndex)}/ to ${servingDir}`);
  } else {
    log(`${path.relative(PROJECT_ROOT, sourceIndex)}/ is not usable (${freshness.reason}); building a private index in ${servingDir} …`);
    const outcome = await spawnIngest({ env: offlineEnvironment({ DATA_DIR: dataDir, INDEX_DIR: servingDir }) }).done;
    if (outcome.code !== 0) throw new Error(`ingest failed: ${outcome.stderr.slice(-600)}`);
  }
  // 200 clients from one address: the per-address caps are raised for the load and bad-input phases.
  const extractiveEnvironment = offlineEnvironment({ DATA_DIR: dataDir, INDEX_DIR: servingDir, RATE_LIMIT_PER_MINUTE: '0', MAX_SESSIONS_PER_ADDRESS: '0', MAX_CONNECTIONS_PER_ADDRESS: '0' });

  let mainServer: ServerProcess | undefined;
  if (runs('load') || runs('bad-input') || runs('integrations')) mainServer = await startServer(extractiveEnvironment);

  // ------------------------------------------------------------------- load
  if (runs('load') && mainServer) {
    const server = mainServer;
    log(`load: ${PLAN.loadClients} Socket.IO clients, ${PLAN.loadRounds} rounds × ${PLAN.roundMs / 1000} s …`);
    const sockets = await connectSockets(server.url, PLAN.loadClients);
    const askers = sockets.map((socket) => new SocketAsker(socket));
    const ask = (client: number, payload: AskPayload): Promise<AskOutcome> => askers[client]!.ask(payload, 30_000);
    await runClosedLoop({ clients: PLAN.loadClients, durationMs: 1000, question: questionFor, ask });
    const baseline = await server.probe({ gc: true });
    const rounds: { round: number; asked: number; answered: number; failures: Record<string, number>; throughput: number; p50: number; p99: number; heapUsedAfterGc: number; rssAfterGc: number }[] = [];
    for (let round = 1; round <= PLAN.loadRounds; round++) {
      const result = await runClosedLoop({ clients: PLAN.loadClients, durationMs: PLAN.roundMs, question: questionFor, ask });
      const probe = await server.probe({ gc: true });
      rounds.push({ round, asked: result.asked, answered: result.answered, failures: result.failures, throughput: result.throughput, p50: result.latency.p50, p99: result.latency.p99, heapUsedAfterGc: probe.memory.heapUsed, rssAfterGc: probe.memory.rss });
      log(`load round ${round}: ${result.answered}/${result.asked} answered, ${result.throughput.toFixed(0)}/s, p99 ${formatMs(result.latency.p99)} ms, heap ${formatBytes(probe.memory.heapUsed)}`);
    }
    // Late, duplicate or stray answers would arrive after the loop; give them a moment.
    await sleep(1000);
    for (const asker of askers) asker.closeBooks();
    const asked = rounds.reduce((sum, round) => sum + round.asked, 0);
    const answered = rounds.reduce((sum, round) => sum + round.answered, 0);
    const failures = rounds.reduce<Record<string, number>>((all, round) => {
      for (const [key, count] of Object.entries(round.failures)) all[key] = (all[key] ?? 0) + count;
      return all;
    }, {});
    const duplicates = askers.reduce((sum, asker) => sum + asker.duplicates, 0);
    const strays = askers.reduce((sum, asker) => sum + asker.strays, 0);
    const late = askers.reduce((sum, asker) => sum + asker.late, 0);
    const open = askers.reduce((sum, asker) => sum + asker.openAnswers(), 0);
    for (const socket of sockets) socket.close();
    const first = rounds[0]!;
    const last = rounds.at(-1)!;
    const heapGrowth = last.heapUsedAfterGc - first.heapUsedAfterGc;
    const rssGrowth = last.rssAfterGc - first.rssAfterGc;
    results.load = { clients: PLAN.loadClients, roundMs: PLAN.roundMs, baselineHeapUsed: baseline.memory.heapUsed, baselineRss: baseline.memory.rss, rounds, asked, answered, failures, duplicates, strays, late, openAnswers: open, heapGrowth, rssGrowth, peakRss: server.peakRss() };
    console.log(
      section(
        `Load: ${PLAN.loadClients} concurrent Socket.IO clients, closed loop, ${PLAN.loadRounds} × ${PLAN.roundMs / 1000} s (server in a child process, memory after a forced GC)`,
        formatTable(
          ['round', 'asked', 'answered', 'failed', 'answers/s', 'p50 ms', 'p99 ms', 'heap used', 'RSS'],
          rounds.map((round) => [String(round.round), String(round.asked), String(round.answered), String(sumValues(round.failures)), round.throughput.toFixed(0), formatMs(round.p50), formatMs(round.p99), formatBytes(round.heapUsedAfterGc), formatBytes(round.rssAfterGc)]),
        ),
      ),
    );
    const phase = 'load';
    invariants.record(phase, 'every ask answered with answer:end (none failed, none lost)', answered === asked && sumValues(failures) === 0 && open === 0, `${answered}/${asked} answered; failures: ${describeFailures(failures)}; still open: ${open}`);
    invariants.record(phase, 'exactly one terminal event per ask (no duplicate, stray or late one)', duplicates === 0 && strays === 0 && late === 0, `${duplicates} duplicate, ${strays} stray, ${late} late`);
    invariants.record(phase, `no memory growth across rounds (heap ≤ +${formatBytes(MEMORY_GROWTH_LIMIT.heapBytes)}, RSS ≤ +${formatBytes(MEMORY_GROWTH_LIMIT.rssBytes)}, round 1 → ${PLAN.loadRounds})`, heapGrowth <= MEMORY_GROWTH_LIMIT.heapBytes && rssGrowth <= MEMORY_GROWTH_LIMIT.rssBytes, `heap ${heapGrowth >= 0 ? '+' : ''}${formatBytes(heapGrowth)}, RSS ${rssGrowth >= 0 ? '+' : ''}${formatBytes(rssGrowth)}`);
    invariants.record(phase, 'server alive', server.alive(), server.alive() ? 'alive' : `exited: ${server.stderrTail().slice(-300)}`);
  }

  // ----------------------------------------------------------------- faults
  if (runs('faults')) {
    log('model faults: starting the fake OpenAI-compatible server and a server configured with a chat model …');
    fake = await startFakeOpenAI({ recordRequests: false });
    const server = await startServer(offlineEnvironment({ DATA_DIR: dataDir, INDEX_DIR: servingDir, RATE_LIMIT_PER_MINUTE: '0', CHAT_MODEL: 'fake-gpt', OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'test-key', ...MODEL_TIMEOUTS }));
    const historyItem = items.find((item) => item.history && item.history.length > 0);
    const plainItems = items.filter((item) => !item.history && item.expect.length > 0);
    const agent = keepAliveAgent(8);
    const faultModel = fake;

    /** One round of questions under a scenario: sockets (half of them follow-ups) and HTTP. */
    async function askUnder(clients: number): Promise<{ socket: AskOutcome[]; http: AskOutcome[] }> {
      const sockets = await connectSockets(server.url, clients);
      try {
        const askers = sockets.map((socket) => new SocketAsker(socket));
        const socketOutcomes = (
          await Promise.all(
            askers.map((asker, client) =>
              Promise.all([asker.ask(payloadOf(plainItems[client % plainItems.length]!), deadlineMs + 5000), asker.ask(historyItem ? payloadOf(historyItem) : payloadOf(plainItems[(client + 1) % plainItems.length]!), deadlineMs + 5000)]),
            ),
          )
        ).flat();
        const httpOutcomes = await Promise.all(Array.from({ length: 4 }, (_, turn) => askOverHttp(server.url, payloadOf(plainItems[(turn * 5) % plainItems.length]!), { agent, timeoutMs: deadlineMs + 5000 })));
        for (const asker of askers) asker.closeBooks();
        const books = askers.reduce((sum, asker) => sum + asker.duplicates + asker.strays, 0);
        if (books > 0) socketOutcomes.push({ kind: 'error', code: 'duplicate_or_stray', latencyMs: 0, notices: [] });
        return { socket: socketOutcomes, http: httpOutcomes };
      } finally {
        for (const socket of sockets) socket.close();
      }
    }

    // Warm-up under 'ok', then the baseline of handles once the model's keep-alive sockets have closed.
    faultModel.setScenario({ mode: 'ok' });
    await askUnder(2);
    await waitFor(() => faultModel.openConnections() === 0, 8000, 100);
    const baseline = await server.probe({ gc: true });

    const scenarios: { name: string; scenario: FakeScenario; expectMode: 'llm' | 'extractive' }[] = [
      { name: 'ok (control)', scenario: { mode: 'ok' }, expectMode: 'llm' },
      { name: 'slow first token within the deadline (400 ms)', scenario: { mode: 'slow-first-token', delayMs: 400 }, expectMode: 'llm' },
      { name: 'slow first token past the deadline (nothing for 5 s)', scenario: { mode: 'slow-first-token', delayMs: 5000 }, expectMode: 'extractive' },
      { name: 'slow first token after the headers (5 s)', scenario: { mode: 'slow-first-token', delayMs: 5000, slowAfterHeaders: true }, expectMode: 'extractive' },
      { name: 'stream cut after 2 chunks', scenario: { mode: 'cut-stream', cutAfterChunks: 2 }, expectMode: 'extractive' },
      { name: 'stall of 2 s between tokens', scenario: { mode: 'ok', chunkDelayMs: 2000 }, expectMode: 'extractive' },
      { name: 'HTTP 500', scenario: { mode: 'http-500' }, expectMode: 'extractive' },
      { name: 'HTTP 429 (retry-after 1 s)', scenario: { mode: 'http-429', retryAfterSeconds: 1 }, expectMode: 'extractive' },
      { name: 'garbage JSON', scenario: { mode: 'garbage' }, expectMode: 'extractive' },
      { name: 'hung connection', scenario: { mode: 'hang' }, expectMode: 'extractive' },
    ];
    const rows: string[][] = [];
    const faultResults: Record<string, unknown>[] = [];
    let allAnswered = true;
    let allInTime = true;
    let allRightMode = true;
    let allExplained = true;
    for (const { name, scenario, expectMode } of scenarios) {
      faultModel.setScenario(scenario);
      const outcomes = await askUnder(PLAN.faultClients);
      const all = [...outcomes.socket, ...outcomes.http];
      const answered = all.filter((outcome) => outcome.kind === 'end');
      const inTime = answered.filter((outcome) => outcome.latencyMs <= deadlineMs);
      const rightMode = answered.filter((outcome) => outcome.mode === expectMode);
      const explained = expectMode === 'extractive' ? answered.filter((outcome) => outcome.notices.includes('model_fallback')) : answered;
      const latency = summarizeLatencies(all.map((outcome) => outcome.latencyMs));
      const openAfter = faultModel.openConnections();
      allAnswered &&= answered.length === all.length;
      allInTime &&= inTime.length === all.length;
      allRightMode &&= rightMode.length === all.length;
      allExplained &&= explained.length === all.length;
      const failed = all.filter((outcome) => outcome.kind !== 'end').map((outcome) => `${outcome.kind}:${outcome.code ?? ''}`);
      faultResults.push({ name, scenario, expectMode, asked: all.length, answered: answered.length, inTime: inTime.length, rightMode: rightMode.length, explained: explained.length, latency, modelConnectionsOpenAfter: openAfter, failed });
      rows.push([name, String(all.length), String(answered.length), `${inTime.length}/${all.length}`, `${rightMode.length} ${expectMode}`, expectMode === 'extractive' ? String(explained.length) : '—', formatMs(latency.p50), formatMs(latency.max), String(openAfter)]);
      log(`fault "${name}": ${answered.length}/${all.length} answered, max ${formatMs(latency.max)} ms`);
    }

    // Cancelling and disconnecting while the model hangs must release the model connection at once.
    // First let idle keep-alive connections expire, so the count is the hung calls alone.
    faultModel.setScenario({ mode: 'hang' });
    await waitFor(() => faultModel.openConnections() === 0, 8000, 100);
    const cancelSockets = await connectSockets(server.url, 5);
    let hungBeforeCancel = 0;
    const cancelOutcomes = await Promise.all(
      cancelSockets.map(
        (socket) =>
          new Promise<{ code: string | undefined; ms: number }>((resolve) => {
            const sentAt = performance.now();
            const timer = setTimeout(() => resolve({ code: 'timeout', ms: performance.now() - sentAt }), deadlineMs);
            socket.on('answer:error', ({ code }) => {
              clearTimeout(timer);
              resolve({ code, ms: performance.now() - sentAt });
            });
            socket.on('answer:end', () => {
              clearTimeout(timer);
              resolve({ code: 'answered before the cancel', ms: performance.now() - sentAt });
            });
            socket.emit('ask', payloadOf(plainItems[0]!), (ack) => {
              if (!ack.ok) return resolve({ code: `refused ${ack.error.code}`, ms: performance.now() - sentAt });
              setTimeout(() => {
                hungBeforeCancel = Math.max(hungBeforeCancel, faultModel.openConnections());
                socket.emit('cancel', { id: ack.id });
              }, 300);
            });
          }),
      ),
    );
    const releasedOnCancel = await timeUntil(() => faultModel.openConnections() === 0, MODEL_CONNECTION_RELEASE_MS);
    for (const socket of cancelSockets) socket.close();
    await waitFor(() => faultModel.openConnections() === 0, 8000, 100);
    const disconnectSockets = await connectSockets(server.url, 5);
    for (const socket of disconnectSockets) socket.emit('ask', payloadOf(plainItems[1]!));
    await sleep(300);
    const hungBeforeDisconnect = faultModel.openConnections();
    for (const socket of disconnectSockets) socket.close();
    const releasedOnDisconnect = await timeUntil(() => faultModel.openConnections() === 0, MODEL_CONNECTION_RELEASE_MS);
    const openAfterDisconnect = faultModel.openConnections();
    faultModel.setScenario({ mode: 'ok' });

    // No leak: once idle, no connection to the model and no more timers or sockets than before.
    const modelIdle = await waitFor(() => faultModel.openConnections() === 0, 8000, 100);
    let after: Probe = await server.probe({ gc: true });
    const handlesSettled = await waitFor(
      async () => {
        after = await server.probe({ gc: true });
        return (after.resources.Timeout ?? 0) <= (baseline.resources.Timeout ?? 0) && (after.resources.TCPSocketWrap ?? 0) <= (baseline.resources.TCPSocketWrap ?? 0);
      },
      5000,
      250,
    );
    agent.destroy();
    results.faults = {
      modelTimeouts: MODEL_TIMEOUTS,
      scenarios: faultResults,
      cancel: cancelOutcomes,
      cancelRelease: { hungModelConnections: hungBeforeCancel, closedAfterMs: releasedOnCancel ?? null },
      disconnect: { hungModelConnections: hungBeforeDisconnect, closedAfterMs: releasedOnDisconnect ?? null, openAtEnd: openAfterDisconnect },
      handles: { before: baseline.resources, after: after.resources },
      modelConnectionsAtEnd: faultModel.openConnections(),
    };
    console.log(
      section(
        `Model faults (fake OpenAI-compatible server on loopback; LLM_FIRST_TOKEN_TIMEOUT_MS ${MODEL_TIMEOUTS.LLM_FIRST_TOKEN_TIMEOUT_MS}, LLM_TIMEOUT_MS ${MODEL_TIMEOUTS.LLM_TIMEOUT_MS}; deadline ${deadlineMs} ms; ${PLAN.faultClients} Socket.IO clients × 2 questions (one a follow-up) + 4 HTTP)`,
        `${formatTable(['scenario', 'asked', 'answered', 'in time', 'mode', 'fallback notice', 'p50 ms', 'max ms', 'model conns open (incl. keep-alive)'], rows)}\n\n${formatTable(
          ['check', 'result'],
          [
            ['cancel during a hung model call (5 clients)', `${cancelOutcomes.map((outcome) => `${outcome.code} in ${outcome.ms.toFixed(0)} ms`).join('; ')}; ${hungBeforeCancel} model connections open → ${releasedOnCancel !== undefined ? `all closed ${(releasedOnCancel / 1000).toFixed(1)} s after the answers ended` : `some still open after ${MODEL_CONNECTION_RELEASE_MS / 1000} s`}`],
            ['disconnect during a hung model call (5 clients)', `${hungBeforeDisconnect} model connections open → ${releasedOnDisconnect !== undefined ? `all closed ${(releasedOnDisconnect / 1000).toFixed(1)} s after the disconnect` : `${openAfterDisconnect} still open after ${MODEL_CONNECTION_RELEASE_MS / 1000} s`}`],
            ['server handles before → after (idle)', `Timeout ${baseline.resources.Timeout ?? 0} → ${after.resources.Timeout ?? 0}, TCPSocketWrap ${baseline.resources.TCPSocketWrap ?? 0} → ${after.resources.TCPSocketWrap ?? 0}`],
          ],
        )}`,
      ),
    );
    const phase = 'model faults';
    invariants.record(phase, 'every question answered (answer:end / HTTP 200) under every fault', allAnswered, allAnswered ? 'all answered' : faultResults.filter((entry) => (entry.failed as string[]).length > 0).map((entry) => `${entry.name}: ${(entry.failed as string[]).join(', ')}`).join('; '));
    invariants.record(phase, `every answer within the ${deadlineMs} ms deadline`, allInTime, `slowest ${formatMs(Math.max(...faultResults.map((entry) => (entry.latency as { max: number }).max)))} ms`);
    invariants.record(phase, 'faults fall back to the extractive answer; control and slow-but-in-time stay llm', allRightMode, allRightMode ? 'as expected' : faultResults.filter((entry) => entry.rightMode !== entry.asked).map((entry) => String(entry.name)).join('; '));
    invariants.record(phase, 'every fallback tells the user why (answer:notice model_fallback)', allExplained, allExplained ? 'all' : faultResults.filter((entry) => entry.explained !== entry.asked).map((entry) => String(entry.name)).join('; '));
    invariants.record(phase, 'cancel during a hung model call ends with answer:error cancelled within 1.5 s', cancelOutcomes.every((outcome) => outcome.code === 'cancelled' && outcome.ms < 1800), cancelOutcomes.map((outcome) => `${outcome.code} ${outcome.ms.toFixed(0)} ms`).join('; '));
    const closed = (ms: number | undefined): string => (ms === undefined ? `still open after ${MODEL_CONNECTION_RELEASE_MS / 1000} s` : `closed after ${(ms / 1000).toFixed(1)} s`);
    invariants.record(phase, `cancel during a hung model call releases the model connection (≤ ${MODEL_CONNECTION_RELEASE_MS / 1000} s)`, releasedOnCancel !== undefined && hungBeforeCancel > 0, `${hungBeforeCancel} hung connections, ${closed(releasedOnCancel)}`);
    invariants.record(phase, `disconnect during a hung model call releases the model connection (≤ ${MODEL_CONNECTION_RELEASE_MS / 1000} s)`, releasedOnDisconnect !== undefined && hungBeforeDisconnect > 0, `${hungBeforeDisconnect} hung connections, ${closed(releasedOnDisconnect)}`);
    invariants.record(phase, 'no model connection leaked (0 open once idle)', modelIdle, `${faultModel.openConnections()} open`);
    invariants.record(phase, 'no timer or socket leaked in the server (idle handles ≤ baseline)', handlesSettled, `Timeout ${baseline.resources.Timeout ?? 0} → ${after.resources.Timeout ?? 0}, TCPSocketWrap ${baseline.resources.TCPSocketWrap ?? 0} → ${after.resources.TCPSocketWrap ?? 0}`);
    invariants.record(phase, 'server alive', server.alive(), server.alive() ? 'alive' : server.stderrTail().slice(-300));
    await server.close();
  }

  // -------------------------------------------------------------- bad input
  if (runs('bad-input') && mainServer) {
    const server = mainServer;
    const httpCases = malformedHttpCases(20240305, PLAN.httpCasesMinimum);
    const socketCases = malformedSocketCases();
    log(`bad input: ${httpCases.length} HTTP requests and ${socketCases.length} Socket.IO payloads, with a witness client asking throughout …`);
    // The witness: a well-behaved client on each transport, asking all along; every one must be answered.
    let witnessing = true;
    const witnessSocket = (await connectSockets(server.url, 1))[0]!;
    const witnessAsker = new SocketAsker(witnessSocket);
    const witnessOutcomes: AskOutcome[] = [];
    const witnessAgent = keepAliveAgent(1);
    const witness = (async () => {
      for (let turn = 0; witnessing && turn < 10_000; turn++) {
        witnessOutcomes.push(await witnessAsker.ask(questionFor(turn, turn), 10_000));
        witnessOutcomes.push(await askOverHttp(server.url, questionFor(turn + 3, turn), { agent: witnessAgent, timeoutMs: 10_000 }));
        await sleep(50);
      }
    })();
    const badStarted = performance.now();
    const verdicts: Verdict[] = [];
    let nextCase = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (nextCase < httpCases.length) verdicts.push(await runHttpCase(server.url, httpCases[nextCase++]!));
      }),
    );
    const httpVerdicts = verdicts.length;
    verdicts.push(...(await runSocketCases(server.url, socketCases, 8)));
    verdicts.push(...(await runInvalidUtf8OverPolling(server.url)));
    const badMs = performance.now() - badStarted;
    witnessing = false;
    await witness;
    witnessAsker.closeBooks();
    witnessSocket.close();
    witnessAgent.destroy();
    const health = await sendHttp({ url: server.url, path: '/healthz', timeoutMs: 5000 });
    const probe = await server.probe();
    const { categories, bad, table } = summarizeVerdicts(verdicts);
    const witnessFailed = witnessOutcomes.filter((outcome) => outcome.kind !== 'end');
    results.badInput = {
      http: httpVerdicts,
      socket: verdicts.length - httpVerdicts,
      durationMs: badMs,
      categories,
      problems: bad,
      witness: { asked: witnessOutcomes.length, failed: witnessFailed.length, latency: summarizeLatencies(witnessOutcomes.map((outcome) => outcome.latencyMs)) },
      polluted: probe.polluted,
      health: health.status,
    };
    console.log(
      section(
        `Bad input: ${httpVerdicts} HTTP requests + ${verdicts.length - httpVerdicts} Socket.IO payloads in ${(badMs / 1000).toFixed(1)} s, while a witness asked ${witnessOutcomes.length} good questions`,
        table,
      ),
    );
    const phase = 'bad input';
    invariants.record(phase, 'at least 1,000 malformed inputs sent', verdicts.length >= 1000, `${httpVerdicts} HTTP + ${verdicts.length - httpVerdicts} Socket.IO`);
    invariants.record(phase, 'every malformed input answered with a clear error (or, when valid once junk is dropped, an answer)', bad.length === 0, `${verdicts.length - bad.length}/${verdicts.length} clear${bad.length ? `; first: ${bad[0]!.name} → ${bad[0]!.outcome} (${bad[0]!.problem})` : ''}`);
    invariants.record(phase, 'witness client answered every time throughout', witnessFailed.length === 0 && witnessAsker.duplicates === 0, `${witnessOutcomes.length - witnessFailed.length}/${witnessOutcomes.length} answered${witnessFailed.length ? `; ${witnessFailed.map((outcome) => `${outcome.kind}:${outcome.code}`).slice(0, 3).join(', ')}` : ''}`);
    invariants.record(phase, 'no prototype polluted in the server', probe.polluted.length === 0, probe.polluted.length === 0 ? 'none' : probe.polluted.join(', '));
    invariants.record(phase, 'server alive and healthy afterwards', server.alive() && health.status === 200, `alive: ${server.alive()}, /healthz ${health.status}`);
  }
  // ------------------------------------------------------ integration surfaces
  if (runs('integrations') && mainServer) {
    const integration = await stressIntegrations({ server: mainServer, startKeyedServer: () => startServer({ ...extractiveEnvironment, API_KEYS: STRESS_KEY }), question: questionFor, invariants, log });
    results.integrations = integration.results;
    console.log(integration.report);
  }
  if (mainServer) await mainServer.close();

  // ----------------------------------------------------------- index faults
  if (runs('index-faults')) {
    const phase = 'index faults';
    const rows: string[][] = [];
    const indexResults: Record<string, unknown> = {};

    /** Loads an index folder in a child process: a crash there is a finding, not the end of this run. */
    const loadInChild = (indexDir: string): Promise<{ ok: boolean; code?: string; message?: string; crashed?: string }> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/lib/load-index-child.ts'], { cwd: PROJECT_ROOT, env: offlineEnvironment({ INDEX_DIR: indexDir, DATA_DIR: dataDir }), stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        child.on('exit', (code, signal) => {
          clearTimeout(timer);
          const line = stdout.trim().split('\n').at(-1) ?? '';
          try {
            resolve(JSON.parse(line) as { ok: boolean; code?: string; message?: string });
          } catch {
            resolve({ ok: false, crashed: `exit ${code}, signal ${signal}: ${stderr.trim().split('\n').slice(-3).join(' / ').slice(0, 200)}` });
          }
        });
      });

    const askOnce = async (server: ServerProcess): Promise<AskOutcome> => {
      const [socket] = await connectSockets(server.url, 1);
      try {
        return await new SocketAsker(socket!).ask(payloadOf(items[0]!), 10_000);
      } finally {
        socket!.close();
      }
    };

    // 1. Ingest killed midway: the previous index keeps serving.
    log('index faults: ingest killed midway …');
    const killPoints: { name: string; when: (dir: string, stages: string[]) => Promise<boolean> }[] = [
      { name: 'while embedding / building HNSW', when: async (_dir, stages) => stages.some((stage) => /HNSW|Embedding/.test(stage)) },
      { name: 'while writing the new index folder', when: async (dir) => (await readdir(dir)).some((entry) => entry.startsWith('.staging-')) },
    ];
    const killed: Record<string, unknown>[] = [];
    for (const [position, point] of killPoints.entries()) {
      const dir = path.join(temp.dir, `killed-${position}`);
      const before = await copyIndex(servingDir, dir);
      const ingest = spawnIngest({ env: offlineEnvironment({ DATA_DIR: dataDir, INDEX_DIR: dir }) });
      let killedAt = '';
      const watching = (async () => {
        const deadline = Date.now() + 90_000;
        while (Date.now() < deadline) {
          if (await point.when(dir, ingest.stages()).catch(() => false)) {
            killedAt = `${ingest.stages().at(-1) ?? '(start)'}; folder: ${(await readdir(dir)).join(', ')}`;
            ingest.kill('SIGKILL');
            return;
          }
          await sleep(5);
        }
      })();
      const outcome = await ingest.done;
      await watching;
      const current = (await readFile(path.join(dir, 'CURRENT'), 'utf8')).trim();
      const load = await loadInChild(dir);
      let answer: AskOutcome | undefined;
      let serverError = '';
      try {
        const server = await startServer(offlineEnvironment({ DATA_DIR: dataDir, INDEX_DIR: dir, RATE_LIMIT_PER_MINUTE: '0' }));
        answer = await askOnce(server);
        await server.close();
      } catch (error) {
        serverError = (error as Error).message;
      }
      const leftovers = (await readdir(dir)).filter((entry) => entry !== 'CURRENT' && entry !== before);
      killed.push({ point: point.name, signal: outcome.signal, killedAt, currentUnchanged: current === before, load, answer: answer?.kind ?? serverError, leftovers });
      rows.push([`ingest SIGKILLed ${point.name}`, outcome.signal === 'SIGKILL' ? `killed (${killedAt.split(';')[0]})` : `not killed (exit ${outcome.code})`, current === before && load.ok && answer?.kind === 'end' ? 'previous index loads and answers' : `CURRENT ${current === before ? 'unchanged' : 'CHANGED'}, load ${load.ok ? 'ok' : (load.code ?? load.crashed)}, answer ${answer?.kind ?? serverError}`, leftovers.join(', ') || '—']);
      invariants.record(phase, `ingest killed ${point.name}: previous index still serves`, outcome.signal === 'SIGKILL' && current === before && load.ok && answer?.kind === 'end', `${outcome.signal ?? `exit ${outcome.code}`}; CURRENT ${current === before ? 'unchanged' : 'changed'}; load ${load.ok ? 'ok' : JSON.stringify(load)}; answer ${answer?.kind ?? serverError}`);
    }
    indexResults.killedIngest = killed;

    // 2. Truncated or corrupt files: a clear error that names the rebuild command, never a crash.
    log('index faults: corrupt and truncated files …');
    const halve = async (file: string): Promise<void> => {
      const size = (await readFile(file)).byteLength;
      await truncate(file, Math.floor(size / 2));
    };
    const corruptions: { name: string; apply: (folder: string, dir: string) => Promise<void> }[] = [
      { name: 'vectors.bin truncated to half', apply: (folder) => halve(path.join(folder, 'vectors.bin')) },
      { name: 'hnswlib.index truncated to half', apply: (folder) => halve(path.join(folder, 'hnswlib.index')) },
      { name: 'hnswlib.index emptied', apply: (folder) => truncate(path.join(folder, 'hnswlib.index'), 0) },
      { name: 'hnswlib.index overwritten with garbage', apply: (folder) => writeFile(path.join(folder, 'hnswlib.index'), Buffer.alloc(4096, 0xab)) },
      { name: 'passages.json truncated to half', apply: (folder) => halve(path.join(folder, 'passages.json')) },
      { name: 'passages.json not JSON', apply: (folder) => writeFile(path.join(folder, 'passages.json'), '{not json') },
      { name: 'bm25.json truncated to half', apply: (folder) => halve(path.join(folder, 'bm25.json')) },
      { name: 'lsa.bin truncated to half', apply: (folder) => halve(path.join(folder, 'lsa.bin')) },
      { name: 'lsa.json not JSON', apply: (folder) => writeFile(path.join(folder, 'lsa.json'), '[[[') },
      { name: 'slots.json deleted', apply: (folder) => unlink(path.join(folder, 'slots.json')) },
      { name: 'reports.json not JSON', apply: (folder) => writeFile(path.join(folder, 'reports.json'), '{') },
      { name: 'manifest.json not JSON', apply: (folder) => writeFile(path.join(folder, 'manifest.json'), 'garbage') },
      { name: 'CURRENT names a missing folder', apply: (_folder, dir) => writeFile(path.join(dir, 'CURRENT'), 'index-1-1') },
      { name: 'CURRENT holds a path', apply: (_folder, dir) => writeFile(path.join(dir, 'CURRENT'), '../../etc') },
      { name: 'CURRENT deleted', apply: (_folder, dir) => unlink(path.join(dir, 'CURRENT')) },
    ];
    // Two at a time, each in its own copy; reported in the order above.
    const corruptOutcomes: { name: string; load: Awaited<ReturnType<typeof loadInChild>>; clear: boolean }[] = [];
    await Promise.all(
      [0, 1].map(async (worker) => {
        for (let position = worker; position < corruptions.length; position += 2) {
          const corruption = corruptions[position]!;
          const dir = path.join(temp.dir, `corrupt-${position}`);
          const name = await copyIndex(servingDir, dir);
          await corruption.apply(path.join(dir, name), dir);
          const load = await loadInChild(dir);
          const clear = !load.ok && !load.crashed && (load.code === 'index_corrupt' || load.code === 'index_missing') && /npm run ingest/.test(load.message ?? '');
          corruptOutcomes[position] = { name: corruption.name, load, clear };
          await rm(dir, { recursive: true, force: true });
        }
      }),
    );
    const corruptResults = corruptOutcomes.map(({ name, load, clear }) => ({ corruption: name, ...load, clear }));
    for (const { name, load, clear } of corruptOutcomes) {
      invariants.record(phase, `${name}: clear error with the rebuild command`, clear, load.crashed ? `CRASHED ${load.crashed}` : load.ok ? 'loaded without complaint' : `${load.code}: ${(load.message ?? '').slice(0, 90)}`);
      rows.push([name, load.crashed ? 'crashed' : load.ok ? 'loaded' : String(load.code), (load.crashed ?? load.message ?? '').slice(0, 100), '—']);
    }
    indexResults.corruptFiles = corruptResults;

    // The user-facing path: `node --import tsx src/main.ts` on a corrupt index stops with the rebuild command.
    const corruptDir = path.join(temp.dir, 'corrupt-main');
    const corruptName = await copyIndex(servingDir, corruptDir);
    await truncate(path.join(corruptDir, corruptName, 'vectors.bin'), 1000);
    const mainOutcome = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: PROJECT_ROOT, env: offlineEnvironment({ INDEX_DIR: corruptDir, DATA_DIR: dataDir }), stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, stderr });
      });
    });
    const mainLine = mainOutcome.stderr.split('\n').find((line) => /Cannot load|corrupt/i.test(line)) ?? mainOutcome.stderr.trim().split('\n').at(-1) ?? '';
    indexResults.serverOnCorruptIndex = { exitCode: mainOutcome.code, message: mainLine };
    rows.push(['`src/main.ts` on a truncated vectors.bin', `exit ${mainOutcome.code}`, mainLine.slice(0, 100), '—']);
    invariants.record(phase, 'server started on a corrupt index stops with a clear message and the rebuild command', mainOutcome.code === 1 && /npm run ingest/.test(mainOutcome.stderr), `exit ${mainOutcome.code}: ${mainLine.slice(0, 100)}`);

    // The embedding path (startServer): the API answers 503 with the cause and the rebuild command.
    const failedServer = await startServerProcess({ env: offlineEnvironment({ INDEX_DIR: corruptDir, DATA_DIR: dataDir, RATE_LIMIT_PER_MINUTE: '0' }) });
    servers.push(failedServer);
    const readyError = await failedServer.ready.then(
      () => 'ready',
      (error: unknown) => (error as Error).message,
    );
    const healthOnCorrupt = await sendHttp({ url: failedServer.url, path: '/healthz', timeoutMs: 5000 });
    const askOnCorrupt = await sendHttp({ url: failedServer.url, method: 'POST', path: '/api/ask', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payloadOf(items[0]!)), timeoutMs: 5000 });
    await failedServer.close();
    const askError = (() => {
      try {
        return (JSON.parse(askOnCorrupt.body) as { error?: { code?: string; message?: string } }).error;
      } catch {
        return undefined;
      }
    })();
    indexResults.apiOnCorruptIndex = { readyError, health: healthOnCorrupt.status, ask: { status: askOnCorrupt.status, error: askError } };
    rows.push(['startServer() on a truncated vectors.bin', `/healthz ${healthOnCorrupt.status}, POST /api/ask ${askOnCorrupt.status} ${askError?.code ?? ''}`, (askError?.message ?? askOnCorrupt.body).slice(0, 100), '—']);
    invariants.record(
      phase,
      'API on a corrupt index: 503 with the cause and the rebuild command, /healthz 503',
      askOnCorrupt.status === 503 && healthOnCorrupt.status === 503 && /npm run ingest/.test(askError?.message ?? ''),
      `/healthz ${healthOnCorrupt.status}; ask ${askOnCorrupt.status} ${askError?.code}: ${(askError?.message ?? '').slice(0, 80)}`,
    );

    // 3. Re-ingest while serving: no query fails, loading during the switch never fails either.
    log('index faults: re-ingesting while serving …');
    const liveDir = path.join(temp.dir, 'live');
    const liveBefore = await copyIndex(servingDir, liveDir);
    const live = await startServer(offlineEnvironment({ DATA_DIR: dataDir, INDEX_DIR: liveDir, RATE_LIMIT_PER_MINUTE: '0' }));
    const liveSockets = await connectSockets(live.url, PLAN.liveIngestClients);
    const liveAskers = liveSockets.map((socket) => new SocketAsker(socket));
    const ingest = spawnIngest({ env: offlineEnvironment({ DATA_DIR: dataDir, INDEX_DIR: liveDir }) });
    let ingesting = true;
    const ingestDone = ingest.done.then((outcome) => {
      ingesting = false;
      return outcome;
    });
    const loadResults: { ok: boolean; message?: string }[] = [];
    const loader = (async () => {
      for (let attempt = 0; ingesting && attempt < 200; attempt++) {
        try {
          await loadIndex({ indexDir: liveDir, embedder: { kind: 'lsa' } });
          loadResults.push({ ok: true });
        } catch (error) {
          loadResults.push({ ok: false, message: (error as Error).message });
        }
        await sleep(20);
      }
    })();
    const load = await runClosedLoop({
      clients: PLAN.liveIngestClients,
      durationMs: 120_000,
      until: () => !ingesting,
      question: questionFor,
      ask: (client, payload) => liveAskers[client]!.ask(payload, 30_000),
    });
    const ingestOutcome = await ingestDone;
    await loader;
    for (const asker of liveAskers) asker.closeBooks();
    const liveFailures = sumValues(load.failures);
    const liveBooks = liveAskers.reduce((sum, asker) => sum + asker.duplicates + asker.strays, 0);
    for (const socket of liveSockets) socket.close();
    const liveAfter = (await readFile(path.join(liveDir, 'CURRENT'), 'utf8')).trim();
    const restarted = await startServer(offlineEnvironment({ DATA_DIR: dataDir, INDEX_DIR: liveDir, RATE_LIMIT_PER_MINUTE: '0' }));
    const restartAnswer = await askOnce(restarted);
    await restarted.close();
    await live.close();
    const failedLoads = loadResults.filter((result) => !result.ok);
    indexResults.reingestWhileServing = {
      ingestExit: ingestOutcome.code,
      ingestWallMs: ingestOutcome.wallMs,
      asked: load.asked,
      failures: load.failures,
      duplicateOrStray: liveBooks,
      latency: load.latency,
      switched: liveAfter !== liveBefore,
      loadsDuringIngest: loadResults.length,
      failedLoads,
      restartAnswer: restartAnswer.kind,
    };
    rows.push([
      `re-ingest while ${PLAN.liveIngestClients} clients ask`,
      `ingest exit ${ingestOutcome.code} in ${(ingestOutcome.wallMs / 1000).toFixed(1)} s`,
      `${load.asked - liveFailures}/${load.asked} answered (p99 ${formatMs(load.latency.p99)} ms); ${loadResults.length - failedLoads.length}/${loadResults.length} loads ok; CURRENT ${liveAfter !== liveBefore ? 'switched' : 'NOT switched'}; restarted server ${restartAnswer.kind}`,
      '—',
    ]);
    invariants.record(phase, 're-ingest while serving: no query fails', ingestOutcome.code === 0 && liveFailures === 0 && liveBooks === 0 && load.asked > 0, `${load.asked - liveFailures}/${load.asked} answered; ${describeFailures(load.failures)}; ingest exit ${ingestOutcome.code}`);
    invariants.record(phase, 're-ingest while serving: loading the index during the switch never fails', failedLoads.length === 0, `${loadResults.length - failedLoads.length}/${loadResults.length} loads ok${failedLoads[0] ? `; ${failedLoads[0].message?.slice(0, 120)}` : ''}`);
    invariants.record(phase, 're-ingest while serving: the new index is switched in and a restarted server answers from it', liveAfter !== liveBefore && restartAnswer.kind === 'end', `CURRENT ${liveBefore} → ${liveAfter}; answer ${restartAnswer.kind}`);
    results.indexFaults = indexResults;
    console.log(section('Index faults (temp copies of the index; never vectorstore/)', formatTable(['fault', 'what happened', 'result', 'left behind'], rows)));
  }

  // ------------------------------------------------- the report library (issue 21)
  const library: LibraryStressContext = { dataDir, servingDir, temp: temp.dir, quick, invariants, startServer, log };
  if (runs('hostile-files')) results.hostileFiles = await stressHostileFiles(library);
  if (runs('crash-windows')) results.crashWindows = await stressCrashWindows(library);

  // ---------------------------------------------------------------- serving
  if (runs('serving')) {
    const root = flags['server-root'] ? path.resolve(flags['server-root']) : PROJECT_ROOT;
    log(`serving probes against ${root} …`);
    // The page's build, for the probes that load it in Chromium.
    const built = await new Promise<number | null>((resolve) => spawn(process.execPath, ['scripts/build-ui.mjs'], { cwd: root, stdio: 'ignore' }).once('exit', resolve));
    if (built !== 0) throw new Error(`npm run build:ui failed in ${root}`);
    const servingResults: Record<string, unknown> = { root };
    const rows: string[][] = [];
    const chosen = flags.probes ? new Set(flags.probes.split(',').map((name) => name.trim())) : undefined;
    for (const probe of SERVING_PROBES.filter((candidate) => !chosen || chosen.has(candidate.name))) {
      const probeStarted = performance.now();
      try {
        const outcome = await probe.run({
          root,
          environment: (overrides) => offlineEnvironment({ DATA_DIR: dataDir, INDEX_DIR: servingDir, ...overrides }),
          question: (turn) => questionFor(turn, turn),
          temp: await mkdir(path.join(temp.dir, probe.name), { recursive: true }).then(() => path.join(temp.dir, probe.name)),
          log,
        });
        servingResults[probe.name] = { ...outcome.figures, ms: performance.now() - probeStarted };
        for (const check of outcome.checks) {
          invariants.record(`serving ${check.finding}`, check.check, check.held, check.measured);
          rows.push([check.finding, check.check, check.measured, check.held ? 'yes' : 'NO']);
        }
      } catch (error) {
        invariants.record('serving', `probe ${probe.name} completed`, false, (error as Error).message.slice(0, 200));
      }
      log(`serving probe ${probe.name}: ${((performance.now() - probeStarted) / 1000).toFixed(1)} s`);
    }
    results.serving = servingResults;
    console.log(section(`Serving safety (issue 10; server from ${path.relative(PROJECT_ROOT, root) || '.'}; figures are noisy on a shared machine)`, formatTable(['finding', 'check', 'measured', 'held'], rows)));
  }
} catch (error) {
  invariants.record('run', 'the stress run completed', false, (error as Error).stack?.split('\n').slice(0, 3).join(' / ') ?? String(error));
} finally {
  for (const server of servers) await server.close().catch(() => {});
  await fake?.close();
  await temp.remove();
}

results.invariants = invariants.entries;
results.durationMs = performance.now() - started;
results.finishedAt = new Date().toISOString();
console.log(section(`Invariants (${invariants.entries.length - invariants.violated.length}/${invariants.entries.length} held, ${((performance.now() - started) / 1000).toFixed(0)} s)`, invariants.format()));
const written = await writeResults(flags.out!, results);
console.log(`\nWrote ${written}.`);
process.exit(invariants.violated.length > 0 ? 1 : 0);
