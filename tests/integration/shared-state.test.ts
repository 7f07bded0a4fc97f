// Two replicas (real servers on port 0) sharing one real Redis, each behind the loopback "proxy" that names
// the client in X-Forwarded-For: one rate-limit budget, one in-flight cap and one session cap per address
// for both; /healthz and /readyz saying whether Redis is reachable; an outage that degrades to per-replica
// counting while answers go on, and recovery without a restart. Without REDIS_URL nothing of it is loaded.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer } from '../../src/main.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai-server.ts';
import { redisSkip, startRedis, type TestRedis } from '../helpers/redis-server.ts';
import { TestClient } from '../helpers/socket-client.ts';

const DATA_DIR = fileURLToPath(new URL('../../data', import.meta.url));
const INDEX_DIR = fileURLToPath(new URL('../../vectorstore', import.meta.url));
const JIANGSU_GDP = '江苏2024年GDP增长目标是多少？';
/** The model's answer, streamed slowly (about 1.5 s): answers stay in flight long enough to count them. */
const SLOW_REPLY = '江苏省2024年地区生产总值预期增长5%以上 [1]。一般公共预算收入增长4%左右 [1]。';

type Health = { status: string; ready: boolean; replica?: string; shared: { store: string; state?: string; message?: string } };

describe('replicas sharing Redis', { skip: redisSkip, timeout: 120_000 }, () => {
  let redis: TestRedis;
  let model: FakeOpenAI;
  let replicas: RunningServer[] = [];
  const clients: TestClient[] = [];

  before(async () => {
    redis = await startRedis();
    model = await startFakeOpenAI({ reply: () => SLOW_REPLY, chunkSizes: [2], chunkDelayMs: 40, recordRequests: false });
    const env = (name: string) => ({
      DATA_DIR,
      INDEX_DIR,
      REDIS_URL: redis.url,
      REDIS_PREFIX: `test-${process.pid}:`,
      REPLICA_NAME: name,
      TRUST_PROXY: 'loopback',
      RATE_LIMIT_PER_MINUTE: '5',
      MAX_IN_FLIGHT: '2',
      MAX_SESSIONS_PER_ADDRESS: '1',
      CHAT_MODEL: 'fake',
      OPENAI_BASE_URL: model.url,
      OPENAI_API_KEY: 'test',
    });
    replicas = await Promise.all(['replica-a', 'replica-b'].map((name) => startServer({ port: 0, host: '127.0.0.1', env: env(name) })));
    await Promise.all(replicas.map((replica) => replica.ready));
    await Promise.all(replicas.map((replica) => until(async () => (await health(replica)).shared.state === 'ready', `${replica.url} to reach Redis`)));
  });
  after(async () => {
    for (const client of clients) client.close();
    await Promise.all(replicas.map((replica) => replica.close({ graceMs: 0 })));
    await model?.close();
    await redis?.close();
  });

  const [a, b] = [() => replicas[0]!, () => replicas[1]!];
  /** A request as the proxy forwards it for `client`. */
  const search = (replica: RunningServer, client: string) => fetch(`${replica.url}/api/search?q=${encodeURIComponent('江苏 地区生产总值')}`, { headers: { 'x-forwarded-for': client } });
  const connect = async (replica: RunningServer, client: string): Promise<TestClient> => {
    const connected = await TestClient.connect(replica.url, { extraHeaders: { 'x-forwarded-for': client } });
    clients.push(connected);
    return connected;
  };

  test('the rate limit is one budget per client across the replicas, HTTP and Socket.IO together', async () => {
    const client = '203.0.113.10';
    for (const replica of [a(), a(), b(), b()]) assert.equal((await search(replica, client)).status, 200);
    const socket = await connect(b(), client);
    const fifth = await socket.ask({ question: JIANGSU_GDP });
    assert.ok(fifth.ok, 'the fifth request of the minute, on the other replica, is admitted');
    const refused = await search(a(), client);
    assert.equal(refused.status, 429, 'the sixth is refused, wherever it lands');
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    const refusedAsk = await socket.ask({ question: JIANGSU_GDP });
    assert.equal(!refusedAsk.ok && refusedAsk.error.code, 'rate_limited');
    assert.equal((await search(b(), '203.0.113.11')).status, 200, 'another client has its own budget');
    await socket.answer(fifth.ok ? fifth.id : '', 10_000);
    socket.close();
  });

  test('the in-flight cap counts the answers running on every replica', async () => {
    const [first, second, third] = [await connect(a(), '198.51.100.1'), await connect(b(), '198.51.100.2'), await connect(a(), '198.51.100.3')];
    const running = [await first.ask({ question: JIANGSU_GDP }), await second.ask({ question: JIANGSU_GDP })];
    assert.ok(running.every((ack) => ack.ok), 'two answers run, one on each replica');
    const refused = await third.ask({ question: JIANGSU_GDP });
    assert.equal(!refused.ok && refused.error.code, 'rate_limited');
    assert.match(!refused.ok ? refused.error.message : '', /answering 2 questions/);
    const transcripts = await Promise.all([first.answer(running[0]!.ok ? running[0]!.id : '', 15_000), second.answer(running[1]!.ok ? running[1]!.id : '', 15_000)]);
    assert.ok(transcripts.every((transcript) => transcript.end?.answer.includes('5%以上')));
    const admitted = await third.askAndCollect({ question: JIANGSU_GDP }, 15_000);
    assert.ok(admitted.end, 'the places are given back when the answers end');
    for (const client of [first, second, third]) client.close();
  });

  test('one client address holds at most MAX_SESSIONS_PER_ADDRESS sessions across the replicas', async () => {
    // A polling handshake, as a browser's first request: its refusal carries the reason.
    const handshake = (replica: RunningServer) => fetch(`${replica.url}/socket.io/?EIO=4&transport=polling`, { headers: { 'x-forwarded-for': '192.0.2.77' } });
    const held = await connect(a(), '192.0.2.77');
    const refused = await handshake(b());
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /too many sessions from this address \(at most 1; MAX_SESSIONS_PER_ADDRESS\)/);
    assert.equal((await handshake(b()).then((response) => response.status)), 403);
    held.close();
    await until(async () => (await handshake(b())).status === 200, 'the session place to be given back');
  });

  test('health says whether Redis is reachable; while it is away answers go on with per-replica limits, and it recovers without a restart', async () => {
    for (const replica of replicas) {
      const body = await health(replica);
      assert.deepEqual([body.status, body.shared.store, body.shared.state], ['ok', 'redis', 'ready']);
      assert.equal((await fetch(`${replica.url}/readyz`)).status, 200);
    }
    assert.equal((await health(a())).replica, 'replica-a');

    await redis.stop();
    for (const replica of replicas) await until(async () => (await health(replica)).status === 'degraded', `${replica.url} to say it is degraded`);
    const degraded = await health(a());
    assert.equal(degraded.ready, true, 'still ready to answer');
    assert.equal(degraded.shared.state, 'unavailable');
    assert.match(degraded.shared.message ?? '', /counted by each replica alone/);
    const readiness = await fetch(`${a().url}/readyz`);
    assert.equal(readiness.status, 503);
    assert.deepEqual(((await readiness.json()) as { checks: unknown }).checks, { index: true, shared: false });
    // Answers go on, and each replica still limits its clients by itself.
    const during = await connect(a(), '203.0.113.40');
    assert.ok((await during.askAndCollect({ question: JIANGSU_GDP }, 15_000)).end);
    for (let request = 0; request < 4; request++) assert.equal((await search(a(), '203.0.113.40')).status, 200);
    assert.equal((await search(a(), '203.0.113.40')).status, 429, 'the limit holds on one replica during the outage');
    during.close();

    await redis.start();
    for (const replica of replicas) await until(async () => (await health(replica)).status === 'ok', `${replica.url} to recover`, 20_000);
    assert.equal((await fetch(`${b().url}/readyz`)).status, 200);
    // Shared again: five on one replica use up the budget on the other.
    for (let request = 0; request < 5; request++) assert.equal((await search(a(), '203.0.113.41')).status, 200);
    assert.equal((await search(b(), '203.0.113.41')).status, 429);
  });
});

describe('without REDIS_URL', () => {
  test('X-Forwarded-For names the client only when it comes from a proxy in TRUST_PROXY', async () => {
    const searchAs = (url: string, client: string) => fetch(`${url}/api/search?q=${encodeURIComponent('粮食产量')}`, { headers: { 'x-forwarded-for': client } }).then((response) => response.status);
    const untrusting = await startServer({ port: 0, host: '127.0.0.1', env: { DATA_DIR, INDEX_DIR, RATE_LIMIT_PER_MINUTE: '2' } });
    const trusting = await startServer({ port: 0, host: '127.0.0.1', env: { DATA_DIR, INDEX_DIR, RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: 'loopback' } });
    try {
      await Promise.all([untrusting.ready, trusting.ready]);
      // A client cannot buy a fresh budget by sending a header of its own.
      assert.deepEqual([await searchAs(untrusting.url, '203.0.113.1'), await searchAs(untrusting.url, '203.0.113.2'), await searchAs(untrusting.url, '203.0.113.3')], [200, 200, 429]);
      // Behind a trusted proxy each forwarded client has its own.
      assert.deepEqual([await searchAs(trusting.url, '203.0.113.1'), await searchAs(trusting.url, '203.0.113.2'), await searchAs(trusting.url, '203.0.113.1'), await searchAs(trusting.url, '203.0.113.1')], [200, 200, 200, 429]);
    } finally {
      await Promise.all([untrusting.close(), trusting.close()]);
    }
  });

  test('the state stays in this process: /healthz says so and /readyz follows the index alone', async () => {
    const server = await startServer({ port: 0, host: '127.0.0.1', env: { DATA_DIR, INDEX_DIR, RATE_LIMIT_PER_MINUTE: '0' } });
    try {
      await server.ready;
      const body = (await (await fetch(`${server.url}/healthz`)).json()) as Health;
      assert.deepEqual([body.status, body.shared], ['ok', { store: 'memory' }]);
      assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
    } finally {
      await server.close();
    }
  });
});

async function health(replica: RunningServer): Promise<Health> {
  return (await (await fetch(`${replica.url}/healthz`)).json()) as Health;
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
