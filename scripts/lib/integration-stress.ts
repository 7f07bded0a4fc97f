// The stress suite's `integrations` phase: bad input for the OpenAI-compatible route, SSE and MCP on an
// open server, and wrong keys on a server started with API_KEYS, while a witness asks good questions
// over SSE and the OpenAI stream; every case must get a clear answer in its surface's own shape.
import { keepAliveAgent, sendHttp, type AskOutcome } from './answer-clients.ts';
import { keyCases, mcpCases, openAiCases, runIntegrationCase, runSocketKeyCases, sseCases, type IntegrationCase } from './bad-input-integrations.ts';
import { summarizeVerdicts, type Verdict } from './bad-input-runner.ts';
import type { InvariantLog } from './invariants.ts';
import type { ServerProcess } from './server-process.ts';
import { askOverOpenAi, askOverSse } from './stream-clients.ts';
import { section } from './table.ts';
import type { AskPayload } from '../../src/server/contract.ts';

export const STRESS_KEY = 'stress-key-5b1e9d';

async function runAll(url: string, cases: IntegrationCase[], workers: number): Promise<Verdict[]> {
  const verdicts: Verdict[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < cases.length) verdicts.push(await runIntegrationCase(url, cases[next++]!));
    }),
  );
  return verdicts;
}

export async function stressIntegrations(options: {
  server: ServerProcess;
  /** Starts a server with API_KEYS=STRESS_KEY (closed by the caller's bookkeeping). */
  startKeyedServer: () => Promise<ServerProcess>;
  question: (client: number, turn: number) => AskPayload;
  invariants: InvariantLog;
  log: (line: string) => void;
}): Promise<{ report: string; results: Record<string, unknown> }> {
  const { server, invariants, log } = options;
  const openCases = [...openAiCases(), ...sseCases(), ...mcpCases()];
  log(`integrations: ${openCases.length} bad requests to /v1, SSE and /mcp, with a witness asking over SSE and /v1 …`);
  let witnessing = true;
  const witnessOutcomes: AskOutcome[] = [];
  const agent = keepAliveAgent(2);
  const witness = (async () => {
    for (let turn = 0; witnessing && turn < 10_000; turn++) {
      witnessOutcomes.push(await askOverSse(server.url, options.question(turn, turn), { agent, timeoutMs: 10_000 }));
      witnessOutcomes.push(await askOverOpenAi(server.url, options.question(turn + 5, turn), { agent, timeoutMs: 10_000 }));
    }
  })();
  const started = performance.now();
  const verdicts = await runAll(server.url, openCases, 6);
  witnessing = false;
  await witness;
  agent.destroy();
  const health = await sendHttp({ url: server.url, path: '/healthz', timeoutMs: 5000 });
  const inFlight = (JSON.parse(health.body || '{}') as { answersInFlight?: number }).answersInFlight;

  log('integrations: wrong keys on a server with API_KEYS …');
  const keyed = await options.startKeyedServer();
  verdicts.push(...(await runAll(keyed.url, keyCases(STRESS_KEY), 4)));
  verdicts.push(...(await runSocketKeyCases(keyed.url, STRESS_KEY)));
  const keyedAlive = keyed.alive();
  await keyed.close();
  const elapsedMs = performance.now() - started;

  const { categories, bad, table } = summarizeVerdicts(verdicts);
  const witnessFailed = witnessOutcomes.filter((outcome) => outcome.kind !== 'end');
  const phase = 'integrations';
  invariants.record(phase, 'every bad request to /v1, SSE and /mcp, and every wrong key, answered clearly in its surface’s shape', bad.length === 0, `${verdicts.length - bad.length}/${verdicts.length} clear${bad.length ? `; first: ${bad[0]!.name} → ${bad[0]!.outcome} (${bad[0]!.problem})` : ''}`);
  invariants.record(phase, 'witness answered every time over SSE and the OpenAI stream', witnessFailed.length === 0, `${witnessOutcomes.length - witnessFailed.length}/${witnessOutcomes.length} answered${witnessFailed.length ? `; ${witnessFailed.map((outcome) => `${outcome.kind}:${outcome.code}`).slice(0, 3).join(', ')}` : ''}`);
  invariants.record(phase, 'no answer left in flight afterwards', inFlight === 0, `answersInFlight ${String(inFlight)}`);
  invariants.record(phase, 'servers alive afterwards', server.alive() && keyedAlive && health.status === 200, `open server ${server.alive() ? 'alive' : 'dead'}, keyed server ${keyedAlive ? 'alive' : 'dead'}, /healthz ${health.status}`);
  const report = section(
    `Integration surfaces: ${verdicts.length} bad requests and key checks in ${(elapsedMs / 1000).toFixed(1)} s, while a witness asked ${witnessOutcomes.length} good questions over SSE and /v1`,
    table,
  );
  return {
    report,
    results: {
      cases: verdicts.length,
      durationMs: elapsedMs,
      categories,
      problems: bad,
      witness: { asked: witnessOutcomes.length, failed: witnessFailed.length },
      answersInFlightAfter: inFlight,
    },
  };
}
