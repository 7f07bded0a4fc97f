import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import { APIConnectionError, InternalServerError, RateLimitError } from 'openai';
import {
  defaultReply,
  fakeEmbedding,
  startFakeOpenAI,
  type FakeOpenAI,
  type FakeOpenAIOptions,
} from '../helpers/fake-openai-server.ts';

const QUESTION = [
  '根据以下资料回答问题：2024年经济增长目标是多少？',
  '[1] 2024年国内生产总值增长5%左右。城镇新增就业1200万人以上。',
  '[2] 居民消费价格涨幅3%左右。',
].join('\n');
const EXPECTED = '2024年国内生产总值增长5%左右。 [1]';

let fake: FakeOpenAI;

function chat(
  extra: Partial<ConstructorParameters<typeof ChatOpenAI>[0] & object> = {},
  server: FakeOpenAI = fake,
): ChatOpenAI {
  return new ChatOpenAI({
    model: 'gpt-4o-mini',
    apiKey: 'test',
    configuration: { baseURL: server.url },
    maxRetries: 0,
    ...extra,
  });
}

function embeddings(extra: Partial<ConstructorParameters<typeof OpenAIEmbeddings>[0] & object> = {}): OpenAIEmbeddings {
  return new OpenAIEmbeddings({
    model: 'text-embedding-3-small',
    apiKey: 'test',
    configuration: { baseURL: fake.url },
    maxRetries: 0,
    ...extra,
  });
}

/** Consume `.stream()`, keeping the chunks received before any error. */
async function collectStream(model: ChatOpenAI, input: string): Promise<{ parts: string[]; error: unknown }> {
  const parts: string[] = [];
  try {
    for await (const chunk of await model.stream(input)) {
      parts.push(typeof chunk.content === 'string' ? chunk.content : JSON.stringify(chunk.content));
    }
    return { parts, error: undefined };
  } catch (error) {
    return { parts, error };
  }
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof Error, `expected an Error, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the promise to reject');
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] ?? 0) * (b[i] ?? 0);
  return dot; // vectors are L2-normalized
}

async function restart(options: FakeOpenAIOptions): Promise<void> {
  await fake.close();
  fake = await startFakeOpenAI(options);
}

/**
 * Run `fn` against a dedicated server (used by the slow tests, which run
 * concurrently), then close it and check that no socket leaked.
 */
async function withServer(options: FakeOpenAIOptions, fn: (server: FakeOpenAI) => Promise<void>): Promise<void> {
  const server = await startFakeOpenAI(options);
  try {
    await fn(server);
  } finally {
    await server.close();
  }
  assert.equal(server.openConnections(), 0, 'all sockets closed after close()');
}

/** A fresh shared `fake` for every test of the enclosing (serial) suite. */
function useFreshServerPerTest(): void {
  beforeEach(async () => {
    fake = await startFakeOpenAI();
  });
  afterEach(async () => {
    await fake.close();
    assert.equal(fake.openConnections(), 0, 'all sockets closed after close()');
  });
}

describe('fake OpenAI server: happy path', () => {
  useFreshServerPerTest();

  it('serves a full non-streamed answer to ChatOpenAI.invoke()', async () => {
    const res = await chat().invoke(QUESTION);
    assert.equal(res.content, EXPECTED);
    assert.equal(res.usage_metadata?.total_tokens !== undefined, true);

    assert.equal(fake.requests.length, 1);
    const req = fake.requests[0];
    assert.ok(req);
    assert.equal(req.method, 'POST');
    assert.equal(req.path, '/v1/chat/completions');
    assert.equal(req.headers.authorization, 'Bearer test');
    assert.equal(req.body?.model, 'gpt-4o-mini');
    assert.notEqual(req.body?.stream, true);
    assert.equal(req.body?.messages?.[0]?.content, QUESTION);
  });

  it('streams several chunks that concatenate to the reply', async () => {
    fake.setScenario({ chunkDelayMs: 1 });
    const { parts, error } = await collectStream(chat(), QUESTION);
    assert.equal(error, undefined);
    assert.equal(parts.join(''), EXPECTED);
    const nonEmpty = parts.filter((p) => p.length > 0);
    assert.ok(nonEmpty.length >= 5, `expected several chunks, got ${JSON.stringify(parts)}`);
    assert.ok(nonEmpty.every((p) => Array.from(p).length <= 4));
    assert.equal(fake.requests[0]?.body?.stream, true);
    // @langchain/openai asks for usage in the stream
    assert.deepEqual(fake.requests[0]?.body?.stream_options, { include_usage: true });
  });

  it('uses a custom reply function and the default reply falls back to citing [1]', async () => {
    fake.setScenario({ reply: (body) => `echo:${body.messages?.length ?? 0}` });
    assert.equal((await chat().invoke('hi')).content, 'echo:1');
    fake.setScenario({});
    assert.match(String((await chat().invoke('no sources here')).content), /\[1\]/);
    assert.equal(defaultReply({ messages: [{ role: 'user', content: 'q\n  [1] First. Second!' }] }), 'First. [1]');
  });

  it('serves deterministic embeddings to OpenAIEmbeddings (base64 by default)', async () => {
    const vecs = await embeddings().embedDocuments(['政府工作报告', '政府工作报告', '2024年政府工作报告', 'quantum chromodynamics']);
    assert.equal(vecs.length, 4);
    for (const v of vecs) assert.equal(v.length, 64);
    const [a, b, c, d] = vecs as [number[], number[], number[], number[]];
    assert.deepEqual(a, b, 'identical texts give identical vectors');
    assert.ok(Math.abs(cosine(a, a) - 1) < 1e-5, 'L2-normalized');
    assert.ok(cosine(a, c) > cosine(a, d), 'similar texts are closer');
    assert.deepEqual(a, fakeEmbedding('政府工作报告', 64));
    // openai 6.x asks for base64 unless told otherwise
    assert.equal(fake.requests[0]?.body?.encoding_format, 'base64');

    const q = await embeddings().embedQuery('政府工作报告');
    assert.deepEqual(q, a);
  });

  it('honours the configured dimension, encoding_format float and single-string input', async () => {
    await restart({ embeddingDimension: 16 });
    const v = await embeddings({ encodingFormat: 'float' }).embedQuery('hello world');
    assert.equal(v.length, 16);
    assert.deepEqual(v, fakeEmbedding('hello world', 16));
    assert.equal(fake.requests[0]?.body?.encoding_format, 'float');

    const raw = await fetch(`${fake.url}/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', input: 'hello world' }),
    });
    const json = (await raw.json()) as { object: string; data: Array<{ index: number; embedding: number[] }> };
    assert.equal(json.object, 'list');
    assert.equal(json.data.length, 1);
    assert.deepEqual(json.data[0]?.embedding, v);
  });

  it('lists a model on GET /v1/models', async () => {
    const res = await fetch(`${fake.url}/models`);
    const json = (await res.json()) as { object: string; data: Array<{ id: string; object: string }> };
    assert.equal(json.object, 'list');
    assert.equal(json.data.length, 1);
    assert.equal(json.data[0]?.object, 'model');
  });

  it('handles 20 concurrent streams', async () => {
    fake.setScenario({ chunkDelayMs: 2 });
    const results = await Promise.all(Array.from({ length: 20 }, () => collectStream(chat(), QUESTION)));
    for (const r of results) {
      assert.equal(r.error, undefined);
      assert.equal(r.parts.join(''), EXPECTED);
    }
  });
});

describe('fake OpenAI server: faults as seen by ChatOpenAI (maxRetries: 0)', () => {
  useFreshServerPerTest();

  it('http-500 rejects invoke and stream with openai InternalServerError', async () => {
    fake.setScenario({ mode: 'http-500' });
    const e1 = await rejection(chat().invoke(QUESTION));
    assert.ok(e1 instanceof InternalServerError);
    assert.equal((e1 as InternalServerError).status, 500);
    const { parts, error } = await collectStream(chat(), QUESTION);
    assert.deepEqual(parts, []);
    assert.ok(error instanceof InternalServerError);
    assert.equal(fake.requests.length, 2, 'no retries with maxRetries: 0');
  });

  it('http-429 rejects with RateLimitError carrying retry-after and MODEL_RATE_LIMIT', async () => {
    fake.setScenario({ mode: 'http-429', retryAfterSeconds: 7 });
    const e = await rejection(chat().invoke(QUESTION));
    assert.ok(e instanceof RateLimitError);
    const rl = e as RateLimitError & { lc_error_code?: string; retryAfterMs?: number };
    assert.equal(rl.status, 429);
    assert.equal(rl.code, 'rate_limit_exceeded');
    assert.equal(rl.headers?.get('retry-after'), '7');
    assert.equal(rl.lc_error_code, 'MODEL_RATE_LIMIT');
    assert.equal(rl.retryAfterMs, 7000);
    assert.equal(fake.requests.length, 1);
  });

  it('cut-stream: .stream() yields the first chunks, then throws TypeError "terminated"', async () => {
    fake.setScenario({ mode: 'cut-stream', cutAfterChunks: 3 });
    const { parts, error } = await collectStream(chat(), QUESTION);
    assert.ok(error instanceof TypeError, `got ${String(error)}`);
    assert.equal(error.message, 'terminated');
    assert.equal((error.cause as { code?: string } | undefined)?.code, 'UND_ERR_SOCKET');
    const text = parts.join('');
    assert.ok(text.length > 0 && text.length < EXPECTED.length, `partial text ${JSON.stringify(text)}`);
    assert.ok(EXPECTED.startsWith(text));
  });

  it('cut-stream: non-streamed invoke rejects with TypeError "terminated"', async () => {
    fake.setScenario({ mode: 'cut-stream' });
    const e = await rejection(chat().invoke(QUESTION));
    assert.ok(e instanceof TypeError);
    assert.equal(e.message, 'terminated');
  });

  it('garbage: invoke and stream reject with SyntaxError', async () => {
    fake.setScenario({ mode: 'garbage' });
    const e = await rejection(chat().invoke(QUESTION));
    assert.ok(e instanceof SyntaxError);

    // openai's SSE parser logs the bad line through the client logger before throwing;
    // silence it to keep the test output clean
    const { error } = await collectStream(
      chat({ configuration: { baseURL: fake.url, logLevel: 'off' } }),
      QUESTION,
    );
    assert.ok(error instanceof SyntaxError, `got ${String(error)}`);
  });

  it('failTimes applies the fault to the first N requests only', async () => {
    fake.setScenario({ mode: 'http-500', failTimes: 2 });
    await rejection(chat().invoke(QUESTION));
    await rejection(chat().invoke(QUESTION));
    assert.equal((await chat().invoke(QUESTION)).content, EXPECTED);
    assert.deepEqual(
      fake.requests.map((r) => r.mode),
      ['http-500', 'http-500', 'ok'],
    );
  });

  it('faults target chat by default; target "embeddings"/"all" faults embeddings too', async () => {
    fake.setScenario({ mode: 'http-500' });
    assert.equal((await embeddings().embedQuery('x')).length, 64);
    fake.setScenario({ mode: 'http-500', target: 'embeddings' });
    const e = await rejection(embeddings().embedQuery('x'));
    assert.ok(e instanceof InternalServerError);
    assert.equal((await chat().invoke(QUESTION)).content, EXPECTED);
  });
});

// The slow tests each use their own server and run concurrently so that the
// whole file stays well under 5 s.
describe('fake OpenAI server: timeouts, lifecycle and default retries', { concurrency: true }, () => {
  it('hang: a client timeout of 300 ms rejects with TimeoutError "Request timed out."', () =>
    withServer({ mode: 'hang' }, async (server) => {
      const t0 = Date.now();
      const e = await rejection(chat({ timeout: 300 }, server).invoke(QUESTION));
      assert.equal(e.name, 'TimeoutError');
      assert.equal(e.message, 'Request timed out.');
      assert.ok(Date.now() - t0 < 5000, 'the client timeout, not the hang, ended the call');
      const { parts, error } = await collectStream(chat({ timeout: 150 }, server), QUESTION);
      assert.deepEqual(parts, []);
      assert.equal((error as Error | undefined)?.name, 'TimeoutError');
    }));

  it('slow-first-token: delay before headers trips the timeout; delay after headers does not', () =>
    withServer({ mode: 'slow-first-token', delayMs: 300 }, async (server) => {
      const e = await rejection(chat({ timeout: 100 }, server).invoke(QUESTION));
      assert.equal(e.name, 'TimeoutError');

      // openai's `timeout` only covers the time until response headers arrive
      server.setScenario({ mode: 'slow-first-token', delayMs: 250, slowAfterHeaders: true });
      const t0 = Date.now();
      const { parts, error } = await collectStream(chat({ timeout: 100 }, server), QUESTION);
      assert.equal(error, undefined);
      assert.equal(parts.join(''), EXPECTED);
      assert.ok(Date.now() - t0 >= 240);
    }));

  it('close() ends a hanging request and leaves no open sockets', () =>
    withServer({ mode: 'hang' }, async (server) => {
      // attach the handler now: the rejection happens during close()
      const pending = chat({ timeout: 5000 }, server)
        .invoke(QUESTION)
        .then(
          () => assert.fail('expected a rejection'),
          (e: unknown) => e,
        );
      while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
      assert.ok(server.openConnections() >= 1);
      await server.close();
      assert.equal(server.openConnections(), 0);
      const e = await pending;
      assert.ok(e instanceof APIConnectionError, `got ${String(e)}`);
      assert.equal(e.message, 'Connection error.');
    }));

  it('ChatOpenAI retries a 500 by default (maxRetries unset), with ~1-2 s backoff', () =>
    withServer({ mode: 'http-500', failTimes: 1 }, async (server) => {
      const res = await chat({ maxRetries: undefined }, server).invoke(QUESTION);
      assert.equal(res.content, EXPECTED);
      assert.deepEqual(
        server.requests.map((r) => r.mode),
        ['http-500', 'ok'],
      );
    }));
});
