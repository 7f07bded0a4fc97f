// POST /api/ask with `Accept: text/event-stream`, read by a plain SSE client over fetch: the same events
// and payloads as Socket.IO, errors before the stream as JSON, and a client closing the stream midway
// cancelling the answer (the model streaming slowly through the real local fake OpenAI server).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer } from '../../src/main.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai-server.ts';
import { TestClient } from '../helpers/socket-client.ts';
import { askForEventStream, readSse, type SseFrame } from '../helpers/sse-client.ts';

const DATA_DIR = fileURLToPath(new URL('../../data', import.meta.url));
const INDEX_DIR = fileURLToPath(new URL('../../vectorstore', import.meta.url));
const JIANGSU_GDP = '江苏2024年GDP增长目标是多少？';
const SLOW_SENTENCES = ['江苏坚持稳中求进工作总基调 [1]。', '着力推动高质量发展 [1]。', '全力以赴争取更好结果 [1]。', '扎实推进中国式现代化江苏新实践 [1]。'];

async function readAll(response: Response): Promise<SseFrame[]> {
  const frames: SseFrame[] = [];
  for await (const frame of readSse(response.body!)) frames.push(frame);
  return frames;
}

const withoutId = (payload: Record<string, unknown>): Record<string, unknown> => {
  const { id: _id, ...rest } = payload;
  return rest;
};

describe('SSE on POST /api/ask (extractive)', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ port: 0, host: '127.0.0.1', env: { RATE_LIMIT_PER_MINUTE: '0', DATA_DIR, INDEX_DIR } });
    await server.ready;
  });
  after(async () => server?.close());

  test('streams answer:start, answer:sources, answer:delta…, answer:end with the payloads Socket.IO sends', async () => {
    const response = await askForEventStream(server.url, { question: JIANGSU_GDP });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const frames = await readAll(response);
    const names = frames.map((frame) => frame.event);
    assert.equal(names[0], 'answer:start');
    assert.equal(names[1], 'answer:sources');
    assert.equal(names.at(-1), 'answer:end');
    assert.equal(names.filter((name) => name === 'answer:end' || name === 'answer:error').length, 1, 'exactly one terminal event');
    const payloads = frames.map((frame) => JSON.parse(frame.data) as Record<string, unknown>);
    const id = response.headers.get('x-answer-id');
    assert.ok(payloads.every((payload) => payload.id === id), 'every event carries the answer id');
    const deltas = payloads.filter((_, position) => names[position] === 'answer:delta').map((payload) => String(payload.text));
    const end = payloads.at(-1)!;
    assert.equal(deltas.join(''), end.answer);
    assert.match(String(end.answer), /地区生产总值增长5%以上 \[1\]/);

    const socket = await TestClient.connect(server.url);
    try {
      const transcript = await socket.askAndCollect({ question: JIANGSU_GDP });
      assert.deepEqual(withoutId(payloads[0]!), withoutId(transcript.start as unknown as Record<string, unknown>));
      assert.deepEqual(withoutId(payloads[1]!), withoutId(transcript.sources as unknown as Record<string, unknown>));
      assert.deepEqual(withoutId(end), withoutId(transcript.end as unknown as Record<string, unknown>));
    } finally {
      socket.close();
    }
  });

  test('a region outside the corpus streams an honest refusal: grounded false, no citations', async () => {
    const frames = await readAll(await askForEventStream(server.url, { question: '澳门特别行政区2024年的施政目标是什么？' }));
    const end = JSON.parse(frames.at(-1)!.data) as { grounded: boolean; citations: number[]; answer: string };
    assert.equal(frames.at(-1)!.event, 'answer:end');
    assert.equal(end.grounded, false);
    assert.deepEqual(end.citations, []);
  });

  test('invalid input is refused before the stream opens: a JSON error with its status', async () => {
    const empty = await askForEventStream(server.url, { question: '' });
    assert.equal(empty.status, 400);
    assert.match(empty.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(((await empty.json()) as { error: { code: string } }).error.code, 'invalid_input');
    const region = await askForEventStream(server.url, { question: JIANGSU_GDP, region: '火星' });
    assert.equal(region.status, 400);
    assert.match(((await region.json()) as { error: { message: string } }).error.message, /Unknown region "火星"/);
  });

  test('without Accept: text/event-stream the route still answers JSON', async () => {
    const response = await fetch(`${server.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: JIANGSU_GDP }) });
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(((await response.json()) as { grounded: boolean }).grounded, true);
  });
});

describe('SSE cancellation (llm mode, slow model)', () => {
  let fake: FakeOpenAI;
  let server: RunningServer;
  before(async () => {
    fake = await startFakeOpenAI();
    server = await startServer({ port: 0, host: '127.0.0.1', env: { RATE_LIMIT_PER_MINUTE: '0', DATA_DIR, INDEX_DIR, CHAT_MODEL: 'fake', OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'test' } });
    await server.ready;
  });
  after(async () => {
    await server?.close();
    await fake?.close();
  });

  const inFlight = async (): Promise<number> => ((await (await fetch(`${server.url}/healthz`)).json()) as { answersInFlight: number }).answersInFlight;

  test('closing the stream after the first delta cancels the answer on the server', async () => {
    // Four sentences of about 15 characters, 3 characters every 200 ms: a second between deltas, four in all.
    fake.setScenario({ reply: () => SLOW_SENTENCES.join(''), chunkSizes: [3], chunkDelayMs: 200 });
    const controller = new AbortController();
    const response = await askForEventStream(server.url, { question: '江苏2024年的工作总基调是什么？' }, { signal: controller.signal });
    const seen: string[] = [];
    const reading = (async () => {
      for await (const frame of readSse(response.body!)) {
        seen.push(frame.event);
        if (frame.event === 'answer:delta') controller.abort();
      }
    })();
    await assert.rejects(reading, { name: 'AbortError' });
    assert.deepEqual(seen, ['answer:start', 'answer:sources', 'answer:delta']);
    const cancelledAt = Date.now();
    while ((await inFlight()) > 0 && Date.now() - cancelledAt < 500) await sleep(20);
    // Without the cancel the answer would run until its next sentence (a second) or its end (three).
    assert.equal(await inFlight(), 0, 'the answer was still running 0.5 s after the client left');
  });
});

describe('SSE at shutdown (llm mode, slow model)', () => {
  test('an answer still streaming when the grace period ends gets answer:error shutting_down, its one terminal event', async () => {
    const fake = await startFakeOpenAI();
    const server = await startServer({ port: 0, host: '127.0.0.1', env: { RATE_LIMIT_PER_MINUTE: '0', DATA_DIR, INDEX_DIR, CHAT_MODEL: 'fake', OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'test' } });
    try {
      await server.ready;
      fake.setScenario({ reply: () => SLOW_SENTENCES.join(''), chunkSizes: [3], chunkDelayMs: 200 });
      const response = await askForEventStream(server.url, { question: '江苏2024年的工作总基调是什么？' });
      const frames: SseFrame[] = [];
      const reading = (async () => {
        for await (const frame of readSse(response.body!)) frames.push(frame);
      })();
      while (!frames.some((frame) => frame.event === 'answer:delta')) await sleep(20);
      await server.close({ graceMs: 100 });
      await reading.catch(() => {});
      const terminals = frames.filter((frame) => frame.event === 'answer:end' || frame.event === 'answer:error');
      assert.equal(terminals.length, 1);
      assert.equal(terminals[0]!.event, 'answer:error');
      assert.equal((JSON.parse(terminals[0]!.data) as { code: string }).code, 'shutting_down');
    } finally {
      await server.close().catch(() => {});
      await fake.close();
    }
  });
});
