// `npm run answer-latency -- --index-dir DIR [--embeddings lsa|bge|…] [--set FILE] [--rounds 3]`: one client
// asking a set's questions over HTTP (`POST /api/ask`, keep-alive), one after the other, to the built server
// run as `npm start` runs it on an existing index with that embedder; prints the answer latency (p50 / p90 /
// p99, end to end at the client) and the server's resident memory after the answers, and writes
// results/answer-latency.json. Offline: no chat model. Loopback only.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readEvalSet } from '../src/eval/eval-set.ts';
import type { AskPayload } from '../src/server/contract.ts';
import { askOverHttp, keepAliveAgent } from './lib/answer-clients.ts';
import { formatBytes, formatMs, summarizeLatencies } from './lib/latency.ts';
import { DEFAULT_EVAL_SET, fromRoot, offlineEnvironment, PROJECT_ROOT, writeResults } from './lib/project.ts';
import { startServerProcess } from './lib/server-process.ts';

const { values } = parseArgs({
  options: {
    'index-dir': { type: 'string' },
    embeddings: { type: 'string', default: 'lsa' },
    set: { type: 'string', default: DEFAULT_EVAL_SET },
    rounds: { type: 'string', default: '3' },
  },
});
if (!values['index-dir']) throw new Error('Give the index to serve: --index-dir DIR (built by `EMBEDDINGS=… INDEX_DIR=DIR npm run ingest`)');
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds takes a whole number of 1 or more (got "${values.rounds}")`);

const items = await readEvalSet(values.set!);
const setName = path.relative(PROJECT_ROOT, path.resolve(values.set!));
const server = await startServerProcess({
  env: offlineEnvironment({ DATA_DIR: fromRoot('data'), INDEX_DIR: fromRoot(values['index-dir']), EMBEDDINGS: values.embeddings!, RATE_LIMIT_PER_MINUTE: '0' }),
  startTimeoutMs: 10 * 60_000,
});
try {
  await server.ready;
  const agent = keepAliveAgent(1);
  const ask = (payload: AskPayload) => askOverHttp(server.url, payload, { agent, timeoutMs: 30_000 });
  // One round unmeasured: the first answers pay for loading code and filling caches.
  for (const item of items) await ask({ question: item.question });
  const latencies: number[] = [];
  const failures: string[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const item of items) {
      const outcome = await ask({ question: item.question, ...(item.history && item.history.length > 0 ? { history: item.history } : {}) });
      if (outcome.kind === 'end') latencies.push(outcome.latencyMs);
      else failures.push(`${item.id}: ${outcome.kind} ${outcome.code ?? ''} ${outcome.message ?? ''}`.trim());
    }
  }
  agent.destroy();
  const latency = summarizeLatencies(latencies);
  const rss = (await server.probe({ gc: true })).memory.rss;
  const peak = server.peakRss();
  console.log(`${values.embeddings} on ${values['index-dir']}: ${latencies.length} answers over HTTP (${setName} × ${rounds}, one client): p50 ${formatMs(latency.p50)}, p90 ${formatMs(latency.p90)}, p99 ${formatMs(latency.p99)} ms; server RSS after the answers ${formatBytes(rss)} (peak ${formatBytes(peak)})`);
  if (failures.length > 0) console.log(`${failures.length} questions got no answer:\n${failures.join('\n')}`);
  await writeResults('results/answer-latency.json', { embeddings: values.embeddings, indexDir: values['index-dir'], set: setName, rounds, latency, rss, peakRss: peak, failures });
} finally {
  await server.close();
}
