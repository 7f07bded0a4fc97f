// The server in LLM mode against a real, local OpenAI-compatible HTTP server (the fake on 127.0.0.1):
// streamed model answers over Socket.IO and HTTP, the extractive fallback when the model fails, and
// cancelling or disconnecting mid-answer, which must close the model request too. A small TCP relay
// between the server and the fake shows which connection carried which model request and when it closed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createTcpServer, connect as connectTcp, type AddressInfo, type Server as TcpServer, type Socket as TcpSocket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer } from '../../src/main.ts';
import { startFakeOpenAI, type FakeChatMessage, type FakeOpenAI, type FakeRequestBody } from '../helpers/fake-openai-server.ts';
import { settle, TestClient, type AnswerTranscript } from '../helpers/socket-client.ts';

const DATA_DIR = fileURLToPath(new URL('../../data', import.meta.url));
const INDEX_DIR = fileURLToPath(new URL('../../vectorstore', import.meta.url));

const JIANGSU_GDP = '江苏2024年GDP增长目标是多少？';
const NATIONAL_GDP = '2024年全国国内生产总值增长预期目标是多少？';
/** What the model says about Jiangsu: every figure is in the first source (jiangsu-2024#p027). */
const JIANGSU_REPLY = '江苏省2024年地区生产总值预期增长5%以上 [1]。一般公共预算收入增长4%左右 [1]。';
/** Many short sentences without figures, streamed slowly: an answer still in progress for seconds. */
const SLOW_SENTENCES = ['江苏坚持稳中求进工作总基调 [1]。', '着力推动高质量发展 [1]。', '全力以赴争取更好结果 [1]。', '扎实推进中国式现代化江苏新实践 [1]。'];
const SLOW_REPLY = [...SLOW_SENTENCES, ...SLOW_SENTENCES, ...SLOW_SENTENCES].join('');
/** Two-character chunks every 60 ms: about 0.5 s per sentence, 6 s for SLOW_REPLY. */
const SLOW = { chunkSizes: [2], chunkDelayMs: 60 };

interface TrackedConnection {
  openedAt: number;
  /** When the server last sent bytes on it (a request). */
  lastRequestAt?: number;
  closedAt?: number;
}

/** A TCP relay to the fake that records every connection the server opens to the model endpoint. */
async function startConnectionTracker(targetPort: number): Promise<{ url: string; connections: TrackedConnection[]; close(): Promise<void> }> {
  const connections: TrackedConnection[] = [];
  const sockets = new Set<TcpSocket>();
  const relay: TcpServer = createTcpServer((client) => {
    const record: TrackedConnection = { openedAt: Date.now() };
    connections.push(record);
    const upstream = connectTcp(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    }
    client.on('data', (chunk) => {
      record.lastRequestAt = Date.now();
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    client.on('close', () => {
      record.closedAt = Date.now();
      upstream.destroy();
    });
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(relay.address() as AddressInfo).port}/v1`,
    connections,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    },
  };
}

function textOf(message: FakeChatMessage | undefined): string {
  const content = message?.content;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => part.text ?? '').join('');
  return '';
}

function questionOf(body: FakeRequestBody): string {
  return textOf(body.messages?.filter((message) => message.role === 'user').at(-1));
}

function assertStreamedAnswer(answer: AnswerTranscript): void {
  assert.equal(answer.error, undefined, `answer failed: ${answer.error?.code}: ${answer.error?.message}`);
  assert.ok(answer.end, 'no answer:end');
  assert.deepEqual(answer.order.filter((name) => name !== 'answer:delta' && name !== 'answer:notice'), ['answer:start', 'answer:sources', 'answer:end']);
  assert.ok(answer.order.indexOf('answer:sources') < answer.order.indexOf('answer:delta'), 'sources arrive before the first text');
  assert.equal(answer.deltas.join(''), answer.end.answer, 'the deltas concatenate to the final answer');
}

describe('LLM mode (a local OpenAI-compatible server)', { timeout: 60_000 }, () => {
  let fake: FakeOpenAI;
  let tracker: Awaited<ReturnType<typeof startConnectionTracker>>;
  let server: RunningServer;
  const clients: TestClient[] = [];
  const connect = async (): Promise<TestClient> => {
    const client = await TestClient.connect(server.url);
    clients.push(client);
    return client;
  };
  const chatRequests = (): FakeOpenAI['requests'] => fake.requests.filter((request) => request.path === '/v1/chat/completions');
  /** Connections that carried a request after `since` (the model request of the answer under test). */
  const connectionsUsedSince = (since: number): TrackedConnection[] => tracker.connections.filter((connection) => (connection.lastRequestAt ?? 0) >= since);
  const waitUntilClosed = async (connection: TrackedConnection, withinMs: number): Promise<void> => {
    const deadline = Date.now() + withinMs;
    while (connection.closedAt === undefined && Date.now() < deadline) await settle(20);
    assert.ok(connection.closedAt !== undefined, `the model request was still open ${withinMs} ms later`);
  };

  before(async () => {
    fake = await startFakeOpenAI();
    tracker = await startConnectionTracker(fake.port);
    server = await startServer({
      port: 0,
      host: '127.0.0.1',
      env: { RATE_LIMIT_PER_MINUTE: '0', DATA_DIR, INDEX_DIR, CHAT_MODEL: 'fake', OPENAI_BASE_URL: tracker.url, OPENAI_API_KEY: 'test', MAX_IN_FLIGHT_PER_SOCKET: '2' },
    });
    await server.ready;
  });

  after(async () => {
    for (const client of clients) client.close();
    await server?.close();
    await tracker?.close();
    await fake?.close();
  });

  test('/healthz reports mode llm and the model name', async () => {
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { status: string; mode: string; chatModel?: string };
    assert.equal(health.status, 'ok');
    assert.equal(health.mode, 'llm');
    assert.equal(health.chatModel, 'fake');
  });

  test('the model’s answer is streamed as deltas that make the final answer, with mode llm at start and end', async () => {
    fake.setScenario({ reply: () => JIANGSU_REPLY, chunkSizes: [3] });
    fake.requests.length = 0;
    const client = await connect();
    const answer = await client.askAndCollect({ question: JIANGSU_GDP });

    assertStreamedAnswer(answer);
    assert.equal(answer.start?.mode, 'llm');
    assert.deepEqual(answer.start?.regions, ['江苏省']);
    assert.equal(answer.end?.mode, 'llm');
    assert.equal(answer.end?.grounded, true);
    assert.equal(answer.end?.answer, JIANGSU_REPLY);
    assert.deepEqual(answer.end?.citations, [1]);
    assert.ok(answer.deltas.length >= 2, 'each checked sentence is sent as soon as it is complete');
    assert.deepEqual(answer.notices, []);

    const [request, ...others] = chatRequests();
    assert.equal(others.length, 0);
    assert.equal(request?.body?.model, 'fake');
    assert.equal(request?.body?.stream, true);
    assert.equal(request?.headers.authorization, 'Bearer test');
    assert.match(questionOf(request?.body ?? {}), /江苏2024年GDP增长目标/);
    const system = textOf(request?.body?.messages?.find((message) => message.role === 'system'));
    const firstSource = answer.sources?.sources[0];
    assert.ok(firstSource && system.includes(firstSource.text.slice(0, 40)), 'the model is given the passages the user sees as sources');
  });

  test('a figure the sources do not hold never reaches the user', async () => {
    fake.setScenario({ reply: () => `${JIANGSU_REPLY}城镇新增就业987万人 [1]。` });
    const client = await connect();
    const answer = await client.askAndCollect({ question: JIANGSU_GDP });

    assertStreamedAnswer(answer);
    assert.doesNotMatch(answer.end?.answer ?? '', /987/);
    assert.match(answer.end?.answer ?? '', /5%以上 \[1\]/);
  });

  test('when the model answers HTTP 500, a model_fallback notice is followed by the extractive answer', async () => {
    fake.setScenario({ mode: 'http-500' });
    const client = await connect();
    const answer = await client.askAndCollect({ question: JIANGSU_GDP });

    assertStreamedAnswer(answer);
    assert.equal(answer.start?.mode, 'llm');
    assert.equal(answer.notices.length, 1);
    assert.equal(answer.notices[0]?.code, 'model_fallback');
    assert.match(answer.notices[0]?.message ?? '', /HTTP 500/);
    assert.ok(answer.order.indexOf('answer:notice') < answer.order.indexOf('answer:delta'), 'the notice comes before the fallback text');
    assert.equal(answer.end?.mode, 'extractive');
    assert.equal(answer.end?.grounded, true);
    assert.match(answer.end?.answer ?? '', /地区生产总值增长5%以上 \[1\]/);
  });

  test('POST /api/ask answers with the model, and falls back to extractive with a notice when the model fails', async () => {
    const ask = async (): Promise<{ answer: string; mode: string; grounded: boolean; notices: { code: string }[] }> => {
      const response = await fetch(`${server.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: JIANGSU_GDP }) });
      assert.equal(response.status, 200);
      return (await response.json()) as { answer: string; mode: string; grounded: boolean; notices: { code: string }[] };
    };
    fake.setScenario({ reply: () => JIANGSU_REPLY });
    const fromModel = await ask();
    assert.equal(fromModel.mode, 'llm');
    assert.equal(fromModel.answer, JIANGSU_REPLY);

    fake.setScenario({ mode: 'http-500' });
    const fallback = await ask();
    assert.equal(fallback.mode, 'extractive');
    assert.equal(fallback.grounded, true);
    assert.deepEqual(fallback.notices.map((notice) => notice.code), ['model_fallback']);
    assert.match(fallback.answer, /5%以上 \[1\]/);
  });

  test('two slow answers streaming at once on one socket never mix', async () => {
    fake.setScenario({
      ...SLOW,
      reply: (body) => (questionOf(body).includes('江苏') ? '江苏坚持稳中求进工作总基调 [1]。着力推动高质量发展 [1]。' : '全国坚持稳中求进工作总基调 [1]。扎实推动高质量发展 [1]。'),
    });
    const client = await connect();
    const [jiangsuAck, nationalAck] = await Promise.all([client.ask({ question: JIANGSU_GDP }), client.ask({ question: NATIONAL_GDP })]);
    assert.ok(jiangsuAck.ok && nationalAck.ok);
    const [jiangsu, national] = await Promise.all([client.answer(jiangsuAck.id), client.answer(nationalAck.id)]);

    assertStreamedAnswer(jiangsu);
    assertStreamedAnswer(national);
    const positions = client.events.map((recorded) => (recorded.event === 'error' ? '' : `${recorded.payload.id}:${recorded.event}`));
    assert.ok(positions.indexOf(`${nationalAck.id}:answer:delta`) < positions.indexOf(`${jiangsuAck.id}:answer:end`), 'the two answers really were streaming at the same time');
    assert.equal(jiangsu.end?.answer, '江苏坚持稳中求进工作总基调 [1]。着力推动高质量发展 [1]。');
    assert.equal(national.end?.answer, '全国坚持稳中求进工作总基调 [1]。扎实推动高质量发展 [1]。');
    assert.ok(jiangsu.sources?.sources.every((source) => source.region === '江苏省'));
    assert.ok(national.sources?.sources.every((source) => source.region === '全国'));
  });

  test('cancel mid-answer: exactly one answer:error cancelled, nothing after it, and the model request is closed', async () => {
    fake.setScenario({ ...SLOW, reply: () => SLOW_REPLY });
    const client = await connect();
    const askedAt = Date.now();
    const ack = await client.ask({ question: JIANGSU_GDP });
    assert.ok(ack.ok);
    await client.waitFor((recorded) => recorded.event === 'answer:delta' && recorded.payload.id === ack.id, 'the first delta');
    const [modelConnection, ...others] = connectionsUsedSince(askedAt);
    assert.ok(modelConnection && others.length === 0, 'one connection carries the model request');
    assert.equal(modelConnection.closedAt, undefined, 'the model is still streaming when the user cancels');

    const cancelled = await client.cancel({ id: ack.id });
    assert.deepEqual(cancelled, { ok: true });
    await client.answer(ack.id);
    await settle(400); // several chunk intervals: any stray delta or end would have arrived
    const answer = client.transcript(ack.id);
    assert.equal(answer.order.filter((name) => name === 'answer:error').length, 1);
    assert.equal(answer.order.at(-1), 'answer:error', 'nothing arrives after the cancellation');
    assert.equal(answer.end, undefined);
    assert.equal(answer.error?.code, 'cancelled');
    assert.ok(answer.deltas.join('').length < SLOW_REPLY.length);
    await waitUntilClosed(modelConnection, 1000);

    const again = await client.cancel({ id: ack.id });
    assert.equal(again.error?.code, 'not_found', 'a cancelled answer is no longer in progress');
  });

  test('at most MAX_IN_FLIGHT_PER_SOCKET answers at once; cancelling one makes room', async () => {
    fake.setScenario({ ...SLOW, reply: () => SLOW_REPLY });
    const client = await connect();
    const first = await client.ask({ question: JIANGSU_GDP });
    const second = await client.ask({ question: NATIONAL_GDP });
    const third = await client.ask({ question: JIANGSU_GDP });
    assert.ok(first.ok && second.ok);
    assert.ok(!third.ok);
    assert.equal(third.error.code, 'rate_limited');
    assert.match(third.error.message, /At most 2 questions/);

    assert.deepEqual(await client.cancel({ id: first.id }), { ok: true });
    await client.answer(first.id);
    const fourth = await client.ask({ question: JIANGSU_GDP });
    assert.ok(fourth.ok, 'a slot is free again once an answer is cancelled');
    const other = await connect();
    assert.ok((await other.ask({ question: JIANGSU_GDP })).ok, 'the limit is per socket');
    client.close();
    other.close();
  });

  test('disconnecting mid-answer closes the model request, and the server keeps serving others', async () => {
    fake.setScenario({ ...SLOW, reply: () => SLOW_REPLY });
    const leaving = await connect();
    const askedAt = Date.now();
    const ack = await leaving.ask({ question: JIANGSU_GDP });
    assert.ok(ack.ok);
    await leaving.waitFor((recorded) => recorded.event === 'answer:delta', 'the first delta');
    const [modelConnection, ...others] = connectionsUsedSince(askedAt);
    assert.ok(modelConnection && others.length === 0, 'one connection carries the model request');
    assert.equal(modelConnection.closedAt, undefined, 'the model is still streaming when the user leaves');

    leaving.close();
    await waitUntilClosed(modelConnection, 1000);

    fake.setScenario({ reply: () => JIANGSU_REPLY });
    const staying = await connect();
    const answer = await staying.askAndCollect({ question: JIANGSU_GDP });
    assertStreamedAnswer(answer);
    assert.equal(answer.end?.answer, JIANGSU_REPLY);
  });
});
