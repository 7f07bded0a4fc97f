// The replicas as operators run them (npm run cluster's launcher): Redis, nginx with the repository's site
// config and three replicas, all on loopback, over a small real corpus with a slow local model, so that
// answers are still streaming when things break. 100 clients, each from its own loopback address (Socket.IO
// over websocket, Socket.IO over polling, SSE), ask in waves: one replica is SIGKILLed mid-answer, then Redis
// is restarted mid-load. Every question must end in an answer or in an error the client can retry (both
// are counted; none may go silent), the other replicas' clients must not notice, and nothing may reach the
// wrong client; while Redis is away no replica may change the index. Then: a report added through one
// replica answered by every replica within 5 s, and a 5-a-minute rate limit across the replicas.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCluster, type Cluster } from '../../src/cluster/start-cluster.ts';
import { buildIndex } from '../../src/index/index-store.ts';
import { ClusterClient, RETRYABLE, type Outcome, type Transport } from '../helpers/cluster-clients.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai-server.ts';
import { freePort, REDIS_SERVER_PATH, redisSkip } from '../helpers/redis-server.ts';
import { findReport, loadRealCorpus } from '../unit/real-corpus.ts';

const NGINX_PATH = '/usr/sbin/nginx';
if (!existsSync(NGINX_PATH) && process.env.CI) throw new Error(`${NGINX_PATH} is missing: install it with apt-get install -y nginx`);
const skip = redisSkip || (existsSync(NGINX_PATH) ? false : `${NGINX_PATH} is missing (apt-get install -y nginx); the replica test skipped`);

const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/mini-corpus/', import.meta.url));
const ADMIN_TOKEN = 'cluster-test-admin-token-0123';
const JIANGSU_GDP = '江苏2024年GDP增长目标是多少？';
const SICHUAN_GRAIN = '四川2024年粮食生产有什么安排？';
const NATIONAL_GDP = '2024年全国国内生产总值增长预期目标是多少？';
/** About 1.2 s of streaming (two characters every 40 ms): every answer is still running when a replica dies. */
const SLOW_REPLY = '江苏省2024年地区生产总值预期增长5%以上 [1]。一般公共预算收入增长4%左右 [1]。城镇新增就业不少于120万人 [1]。';
const QUESTION_TIMEOUT_MS = 30_000;
const VICTIM = 'replica-2';

describe('three replicas behind nginx', { skip, timeout: 300_000 }, () => {
  let workDir: string;
  let model: FakeOpenAI;
  let cluster: Cluster;
  let clients: ClusterClient[] = [];
  const logs: string[] = [];

  before(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'gov-report-cluster-test-'));
    const dataDir = path.join(workDir, 'data');
    const indexDir = path.join(workDir, 'vectorstore');
    await cp(FIXTURE_DIR, dataDir, { recursive: true });
    await buildIndex({ dataDir, indexDir, embedder: { kind: 'lsa' } });
    model = await startFakeOpenAI({ reply: () => SLOW_REPLY, chunkSizes: [2], chunkDelayMs: 40, recordRequests: false });
    const [proxyPort, redisPort, ...replicaPorts] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    cluster = await startCluster({
      replicas: 3,
      proxyPort: proxyPort!,
      replicaPorts,
      redisPort: redisPort!,
      redisServerPath: REDIS_SERVER_PATH,
      nginxPath: NGINX_PATH,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        INDEX_DIR: indexDir,
        RATE_LIMIT_PER_MINUTE: '5',
        CHAT_MODEL: 'fake',
        OPENAI_BASE_URL: model.url,
        OPENAI_API_KEY: 'test',
        ADMIN_TOKEN,
        SHUTDOWN_GRACE_MS: '1000',
      },
      log: (line) => {
        logs.push(line);
        if (logs.length > 400) logs.shift();
      },
    });
    // 40 over websocket, 40 over polling only, 20 over SSE, each from its own loopback address.
    clients = Array.from({ length: 100 }, (_, index) => new ClusterClient(cluster.url, (index < 40 ? 'websocket' : index < 80 ? 'polling' : 'sse') as Transport, `127.0.1.${index + 1}`));
    log('cluster ready');
    for (let offset = 0; offset < clients.length; offset += 20) await Promise.all(clients.slice(offset, offset + 20).map((client) => client.connect()));
    log('100 clients connected');
  });
  after(async () => {
    // What nginx said about the replicas (a refused or cut connection is expected only from the killed one).
    for (const line of logs.filter((entry) => entry.startsWith('[nginx]')).slice(-20)) log(line);
    log('stopping');
    for (const client of clients) client.close();
    await cluster?.stop();
    log('cluster stopped');
    await model?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  /** Suzhou's report (from the real corpus) uploaded through `url` with the admin token. */
  const upload = async (url: string): Promise<Response> => {
    const form = new FormData();
    form.set('file', new Blob([findReport(await loadRealCorpus(), 'suzhou-2024').text]), '苏州市2024年政府工作报告.txt');
    return fetch(`${url}/api/reports`, { method: 'POST', body: form, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  };
  const replicaUrl = (name: string): string => cluster.replicas.find((replica) => replica.name === name)!.url;
  type Health = { status: string; sessions: number; answersInFlight: number; uptimeSeconds: number; shared: { state: string; message?: string } };
  const health = async (name: string): Promise<Health> => (await (await fetch(`${replicaUrl(name)}/healthz`)).json()) as Health;
  const live = (): string[] => cluster.replicas.filter((replica) => replica.process.alive()).map((replica) => replica.name);
  /** Every client asks once, and once more after a retryable error (reconnected first). */
  const startAsking = (asking: ClusterClient[], question: string): { client: ClusterClient; admitted: Promise<string | undefined>; tries: Promise<Outcome[]> }[] =>
    asking.map((client) => {
      const first = client.ask({ question });
      const tries = (async (): Promise<Outcome[]> => {
        const outcome = await first.outcome;
        if (outcome.kind === 'answered' || !RETRYABLE.has(outcome.code)) return [outcome];
        await client.connected(QUESTION_TIMEOUT_MS);
        return [outcome, await client.ask({ question }).outcome];
      })();
      return { client, admitted: first.admitted, tries };
    });
  const admittedAll = (questions: { admitted: Promise<string | undefined> }[], what: string) => within(Promise.all(questions.map((question) => question.admitted)), 20_000, what);
  /** Every question's tries, or a failure naming the ones that never ended. */
  const settle = async (questions: { tries: Promise<Outcome[]> }[], what: string): Promise<Outcome[][]> =>
    within(Promise.all(questions.map((question) => question.tries)), QUESTION_TIMEOUT_MS * 2, `every question of ${what} to end (a silent loss)`);
  const countCodes = (outcomes: Outcome[]): Record<string, number> => {
    const counts: Record<string, number> = {};
    for (const outcome of outcomes) if (outcome.kind === 'error') counts[outcome.code] = (counts[outcome.code] ?? 0) + 1;
    return counts;
  };
  const summarize = (tries: Outcome[][]) => ({
    answeredFirst: tries.filter((outcomes) => outcomes.length === 1 && outcomes[0]!.kind === 'answered').length,
    answeredOnRetry: tries.filter((outcomes) => outcomes.length === 2 && outcomes[1]!.kind === 'answered').length,
    /** Questions whose last try ended in an error the client can retry, by code (counted, not lost). */
    endedInCleanError: countCodes(tries.map((outcomes) => outcomes.at(-1)!)),
    firstTryErrors: countCodes(tries.map((outcomes) => outcomes[0]!)),
  });

  test('100 clients: a replica SIGKILLed mid-answer loses no question and its clients move; Redis restarted mid-load degrades the replicas and they recover', async () => {
    const byReplica = new Map<string, ClusterClient[]>();
    for (const client of clients) byReplica.set(client.replica, [...(byReplica.get(client.replica) ?? []), client]);
    assert.deepEqual([...byReplica.keys()].sort(), ['replica-1', 'replica-2', 'replica-3'], 'the sticky hash spreads the clients over every replica');
    const onVictim = byReplica.get(VICTIM)!;
    const victimSockets = onVictim.filter((client) => client.transport !== 'sse').length;
    assert.equal((await health(VICTIM)).sessions, victimSockets, 'each Socket.IO client is on the replica its address hashes to');

    // Wave 1: everyone asks, the model answering slowly (some 5 s an answer); once every question is being
    // answered, the victim is killed, so its clients lose their answers mid-way.
    model.setScenario({ reply: () => SLOW_REPLY, chunkSizes: [2], chunkDelayMs: 150 });
    const wave1 = startAsking(clients, JIANGSU_GDP);
    await admittedAll(wave1.filter((question) => question.client.replica === VICTIM), 'the questions to the victim to be admitted');
    const runningOnVictim = (await health(VICTIM)).answersInFlight;
    log(`wave 1: the victim's questions admitted, ${runningOnVictim} answers running on it`);
    cluster.replicas.find((replica) => replica.name === VICTIM)!.process.kill('SIGKILL');
    const killedAt = Date.now();
    model.setScenario({ reply: () => SLOW_REPLY, chunkSizes: [2], chunkDelayMs: 40 });
    const tries1 = await settle(wave1, 'wave 1');
    const summary1 = summarize(tries1);
    log(`wave 1 (${VICTIM} SIGKILLed mid-answer, ${onVictim.length} clients on it, all answered ${Date.now() - killedAt} ms after the kill): ${JSON.stringify(summary1)}`);
    for (const [index, client] of clients.entries()) {
      const outcomes = tries1[index]!;
      assert.equal(outcomes.at(-1)!.kind, 'answered', `${client.address} (${client.transport}, ${client.replica}) is answered, on retry at worst: ${JSON.stringify(outcomes)}`);
      if (client.replica === VICTIM) {
        if (outcomes.length === 2) assert.ok(['connection_lost', 'unavailable'].includes((outcomes[0] as { code: string }).code), `a clean, retryable error: ${JSON.stringify(outcomes[0])}`);
      } else {
        assert.equal(outcomes.length, 1, `${client.address} on ${client.replica} was not affected: ${JSON.stringify(outcomes)}`);
        assert.equal(client.disconnects, 0);
      }
    }
    assert.ok(runningOnVictim > 0 && summary1.answeredOnRetry > 0, 'the kill came while answers were running on the victim');
    assert.equal(summary1.answeredFirst + summary1.answeredOnRetry, clients.length);
    assert.equal(clients.filter((client) => client.disconnects > 0).length, victimSockets, 'only the killed replica’s Socket.IO clients were disconnected');

    // Wave 2: half the clients ask, Redis goes away while they are answered, the other half asks during the
    // outage, and Redis comes back while those answers stream.
    const [halfA, halfB] = [clients.filter((_, index) => index % 2 === 0), clients.filter((_, index) => index % 2 === 1)];
    const wave2a = startAsking(halfA, SICHUAN_GRAIN);
    await admittedAll(wave2a, 'the first half of wave 2 to be admitted');
    await cluster.redis!.stop('SIGKILL');
    for (const name of live()) await until(async () => (await health(name)).status === 'degraded', `${name} to say it is degraded`);
    const degraded = await health(live()[0]!);
    assert.equal(degraded.shared.state, 'unavailable');
    assert.match(degraded.shared.message ?? '', /Redis is unreachable/);
    assert.equal((await fetch(`${replicaUrl(live()[0]!)}/readyz`)).status, 503);
    const wave2b = startAsking(halfB, SICHUAN_GRAIN);
    await admittedAll(wave2b, 'the second half of wave 2 to be admitted during the outage');
    // Without Redis no replica may change the index (it keeps them to one writer): refused, saying so.
    const refusedUpload = await upload(cluster.url);
    assert.equal(refusedUpload.status, 503);
    assert.equal(((await refusedUpload.json()) as { error: { code: string } }).error.code, 'unavailable');
    const uptimes = await Promise.all(live().map(async (name) => (await health(name)).uptimeSeconds));
    await cluster.redis!.start();
    const tries2 = await settle([...wave2a, ...wave2b], 'wave 2');
    const summary2 = summarize(tries2);
    log(`wave 2 (Redis killed and started again mid-load): ${JSON.stringify(summary2)}`);
    assert.equal(summary2.answeredFirst, clients.length, 'an outage of Redis costs no answer');
    for (const [index, name] of live().entries()) {
      await until(async () => (await health(name)).status === 'ok', `${name} to recover`, 20_000);
      assert.ok((await health(name)).uptimeSeconds >= uptimes[index]!, `${name} recovered without a restart`);
      assert.equal((await fetch(`${replicaUrl(name)}/readyz`)).status, 200);
    }

    // Wave 3, after the recovery: polling clients get a notice and cancel an answer through the proxy.
    const polling = clients.filter((client) => client.transport === 'polling').slice(0, 10);
    const noticed = await Promise.all(polling.slice(0, 5).map((client) => within(client.ask({ question: JIANGSU_GDP, region: '四川' }).outcome, QUESTION_TIMEOUT_MS, 'an answer with a notice')));
    for (const outcome of noticed) assert.ok(outcome.kind === 'answered' && outcome.notices.length > 0, `the region notice reached its client: ${JSON.stringify(outcome)}`);
    const cancelled = await Promise.all(
      polling.slice(5).map(async (client) => {
        const asked = client.ask({ question: NATIONAL_GDP });
        const id = await asked.admitted;
        assert.ok(id, 'the ask was acknowledged with its id');
        // Cancelled while the model is still streaming (its answer takes over a second).
        assert.deepEqual(await client.cancel(id), { ok: true });
        return within(asked.outcome, QUESTION_TIMEOUT_MS, 'the cancelled answer to end');
      }),
    );
    for (const outcome of cancelled) assert.deepEqual(outcome.kind === 'error' && [outcome.code], ['cancelled']);
    for (const client of clients) {
      assert.equal(client.strays, 0, `${client.address} received no event of another client’s answer`);
      assert.equal(client.duplicates, 0, `${client.address} received no answer twice`);
    }
  });

  test('a report added through one replica is answered by every replica within 5 s (the killed one restarted)', async () => {
    await cluster.startReplica(cluster.replicas.findIndex((replica) => replica.name === VICTIM));
    const added = await upload(cluster.url);
    assert.equal(added.status, 201, await added.clone().text());
    const addedAt = Date.now();
    // Each replica asked directly, for a client of its own (the proxy would name it in X-Forwarded-For).
    const searchOn = async (name: string, client: string): Promise<string[]> => {
      const response = await fetch(`${replicaUrl(name)}/api/search?q=${encodeURIComponent('苏州 地区生产总值')}&region=${encodeURIComponent('苏州市')}`, { headers: { 'x-forwarded-for': client } });
      return response.status === 200 ? ((await response.json()) as { sources: { region: string }[] }).sources.map((source) => source.region) : [];
    };
    const seenAt = new Map<string, number>();
    let probe = 0;
    await until(
      async () => {
        for (const name of ['replica-1', 'replica-2', 'replica-3']) {
          if (!seenAt.has(name) && (await searchOn(name, `192.0.2.${(probe++ % 250) + 1}`)).includes('苏州市')) seenAt.set(name, Date.now() - addedAt);
        }
        return seenAt.size === 3;
      },
      'every replica to serve the new report',
      15_000,
    );
    log(`the added report was served by ${[...seenAt].map(([name, ms]) => `${name} after ${ms} ms`).join(', ')}`);
    for (const [name, ms] of seenAt) assert.ok(ms <= 5000, `${name} served the new report after ${ms} ms`);
    for (const name of ['replica-1', 'replica-2', 'replica-3']) {
      const response = await fetch(`${replicaUrl(name)}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.18.0.${name.at(-1)}` }, body: JSON.stringify({ question: '苏州2024年地区生产总值增长目标是多少？' }) });
      const body = (await response.json()) as { sources: { region: string }[]; grounded: boolean };
      assert.equal(response.status, 200);
      assert.equal(body.sources[0]?.region, '苏州市', `${name} answers from the added report`);
    }
  });

  test('a rate limit of 5 a minute holds across the replicas, whichever one a request reaches', async () => {
    const client = '203.0.113.99';
    const search = (name: string) => fetch(`${replicaUrl(name)}/api/search?q=${encodeURIComponent('粮食')}`, { headers: { 'x-forwarded-for': client } });
    const statuses = [];
    for (const name of ['replica-1', 'replica-2', 'replica-3', 'replica-1', 'replica-2']) statuses.push((await search(name)).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200]);
    for (const name of ['replica-3', 'replica-1', 'replica-2']) {
      const refused = await search(name);
      assert.equal(refused.status, 429, `${name} refuses the sixth request of the minute`);
      assert.ok(Number(refused.headers.get('retry-after')) > 0);
    }
    log('rate limit across replicas held');
    // Through the proxy the refusal arrives as the replica sent it (nginx passes a replica's own errors).
    const proxied = new ClusterClient(cluster.url, 'sse', '127.0.3.7');
    try {
      const outcomes = [];
      for (let request = 0; request < 6; request++) outcomes.push(await proxied.ask({ question: '镇江2024年的发展目标是什么？' }).outcome);
      assert.deepEqual(outcomes.map((outcome) => outcome.kind === 'error' ? outcome.code : outcome.kind), ['answered', 'answered', 'answered', 'answered', 'answered', 'rate_limited']);
    } finally {
      proxied.close();
    }
  });
});

const startedAt = Date.now();
/** Progress with the seconds since the file started (the figures of a run are printed, not asserted on). */
function log(line: string): void {
  console.log(`[${((Date.now() - startedAt) / 1000).toFixed(1)} s] ${line}`);
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs)))]);
  } finally {
    clearTimeout(timer);
  }
}
