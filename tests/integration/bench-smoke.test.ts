// A small slice of `npm run stress` against a real server on port 0: malformed HTTP bodies and Socket.IO
// payloads get clear errors, and concurrent clients each get exactly one answer per question. The
// full suite (and its numbers) is `npm run stress`; this keeps the helpers it relies on honest.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer } from '../../src/main.ts';
import { connectSockets, runClosedLoop, SocketAsker, type AppSocket } from '../../scripts/lib/answer-clients.ts';
import { malformedHttpCases, malformedSocketCases } from '../../scripts/lib/bad-input.ts';
import { judgeClientError, runHttpCase, runSocketCases } from '../../scripts/lib/bad-input-runner.ts';
import { percentile } from '../../scripts/lib/latency.ts';

const DATA_DIR = fileURLToPath(new URL('../../data', import.meta.url));
const INDEX_DIR = fileURLToPath(new URL('../../vectorstore', import.meta.url));

let server: RunningServer;

before(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', env: { DATA_DIR, INDEX_DIR, RATE_LIMIT_PER_MINUTE: '0' } });
  await server.ready;
});

after(async () => {
  await server.close();
});

describe('the stress helpers', () => {
  test('the malformed-input set is reproducible and holds at least 1,000 HTTP requests', () => {
    const first = malformedHttpCases();
    assert.ok(first.length >= 1000, `${first.length} cases`);
    assert.deepEqual(
      malformedHttpCases().map((testCase) => testCase.name),
      first.map((testCase) => testCase.name),
    );
  });

  test('a clear error has a code and a sentence, never a stack', () => {
    assert.equal(judgeClientError({ code: 'invalid_input', message: 'question must be a string' }), undefined);
    assert.match(judgeClientError({ code: 'internal', message: 'Internal error; the server logged the details.' }) ?? '', /internal/);
    assert.match(judgeClientError({ code: 'invalid_input', message: 'TypeError: x\n    at parse (src/server/validation.ts:3:1)' }) ?? '', /stack/);
    assert.ok(judgeClientError('Bad Request'));
  });

  test('nearest-rank percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, index) => index + 1);
    assert.equal(percentile(samples, 50), 50);
    assert.equal(percentile(samples, 99), 99);
    assert.equal(percentile([7], 99), 7);
  });
});

describe('a real server under bad input and concurrent clients', () => {
  test('every 20th malformed HTTP request gets a clear 4xx error (or, for junk around a good question, an answer)', async () => {
    const sample = malformedHttpCases().filter((_, position) => position % 20 === 0);
    const verdicts = await Promise.all(sample.map((testCase) => runHttpCase(server.url, testCase)));
    const unclear = verdicts.filter((verdict) => !verdict.ok);
    assert.deepEqual(unclear, [], `${unclear.length} of ${verdicts.length} unclear`);
  });

  test('every 10th malformed Socket.IO payload gets a clear error on its own connection', async () => {
    const sample = malformedSocketCases().filter((testCase, position) => position % 10 === 0 && testCase.expect !== 'dropped');
    const verdicts = await runSocketCases(server.url, sample, 4);
    const unclear = verdicts.filter((verdict) => !verdict.ok);
    assert.deepEqual(unclear, [], `${unclear.length} of ${verdicts.length} unclear`);
  });

  test('ten clients asking at once each get exactly one answer per question', async () => {
    const sockets: AppSocket[] = await connectSockets(server.url, 10);
    try {
      const askers = sockets.map((socket) => new SocketAsker(socket));
      const result = await runClosedLoop({
        clients: 10,
        durationMs: 5000,
        maxPerClient: 5,
        question: (client) => ({ question: client % 2 ? '江苏今年GDP增长目标是多少？' : '苏州今年城镇新增就业目标是多少？' }),
        ask: (client, payload) => askers[client]!.ask(payload, 10_000),
      });
      for (const asker of askers) asker.closeBooks();
      assert.equal(result.answered, result.asked, JSON.stringify(result.failures));
      assert.equal(result.asked, 50);
      assert.equal(askers.reduce((sum, asker) => sum + asker.duplicates + asker.strays + asker.late, 0), 0);
    } finally {
      for (const socket of sockets) socket.close();
    }
  });
});
