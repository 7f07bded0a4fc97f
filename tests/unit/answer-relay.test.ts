// The answer relay on its own, over a hand-written answer pipeline: exactly one terminal event whatever
// happens (an answer, a pipeline that stops short, a throw, a cancel, the deadline), the pipeline's
// signal aborted when the answer is abandoned, and in-flight places given back in every case.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { AnswerRelay, DEFAULT_RELAY_LIMITS, type RelayLimits } from '../../src/server/answer-relay.ts';
import type { AnswerRequest } from '../../src/answer/answer-question.ts';
import type { AnswerEvent, Source } from '../../src/types.ts';

const SOURCE: Source = {
  n: 1,
  id: 'jiangsu-2024#p027',
  region: '江苏省',
  title: '2024年江苏省政府工作报告',
  section: '二、2024年工作总体要求和目标任务',
  text: '今年经济社会发展主要预期目标是：地区生产总值增长5%以上，一般公共预算收入增长4%左右。',
  score: 1,
};
const ANSWER = '今年经济社会发展主要预期目标是：地区生产总值增长5%以上 [1]。';

type Script = (request: AnswerRequest) => AsyncGenerator<AnswerEvent>;

/** A pipeline that answers in three deltas, waiting `delayMs` before each (and noticing its signal). */
function answering(delayMs = 0, seen: AnswerRequest[] = []): Script {
  return async function* (request) {
    seen.push(request);
    yield { type: 'start', mode: 'extractive', regions: ['江苏省'], query: request.question };
    yield { type: 'sources', sources: [SOURCE] };
    const parts = ['今年经济社会发展主要预期目标是：', '地区生产总值增长5%以上', ' [1]。'];
    for (const text of parts) {
      await sleep(delayMs, undefined, request.signal ? { signal: request.signal } : {}).catch(() => {});
      if (request.signal?.aborted) return;
      yield { type: 'text-delta', text };
    }
    yield { type: 'end', answer: ANSWER, citations: [1], grounded: true, mode: 'extractive', flagged: [] };
  };
}

function relayOver(script: Script, limits: Partial<RelayLimits> = {}): AnswerRelay {
  return new AnswerRelay(() => ({ answer: script }), { ...DEFAULT_RELAY_LIMITS, ...limits });
}

async function drain(events: AsyncIterable<AnswerEvent>): Promise<AnswerEvent[]> {
  const seen: AnswerEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

const terminals = (events: AnswerEvent[]) => events.filter((event) => event.type === 'end' || event.type === 'error');

describe('answer relay', () => {
  test('an answer passes through in order and ends with exactly one end event, last', async () => {
    const relay = relayOver(answering());
    const events = await drain((await relay.open({ question: '江苏2024年GDP增长目标是多少？' })).events);
    assert.deepEqual(events.map((event) => event.type), ['start', 'sources', 'text-delta', 'text-delta', 'text-delta', 'end']);
    const deltas = events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : [])).join('');
    assert.equal(deltas, ANSWER);
    assert.equal(relay.active, 0);
  });

  test('a pipeline that stops without an end event gets an internal error as its one terminal event', async () => {
    const relay = relayOver(async function* (request) {
      yield { type: 'start', mode: 'extractive', regions: [], query: request.question };
    });
    const events = await drain((await relay.open({ question: '苏州' })).events);
    assert.deepEqual(terminals(events), [{ type: 'error', code: 'internal', message: 'The answer pipeline ended without an answer.' }]);
  });

  test('a pipeline that throws ends with its error, and nothing after it', async () => {
    const relay = relayOver(async function* () {
      yield { type: 'start', mode: 'extractive', regions: [], query: 'x' };
      throw new Error('disk on fire');
    });
    const original = console.error;
    console.error = () => {};
    try {
      const events = await drain((await relay.open({ question: '苏州' })).events);
      assert.equal(events.length, 2);
      assert.deepEqual(events[1], { type: 'error', code: 'internal', message: 'Internal error; the server logged the details.' });
    } finally {
      console.error = original;
    }
  });

  test('cancelling midway aborts the pipeline’s signal and ends with one cancelled error', async () => {
    const seen: AnswerRequest[] = [];
    const relay = relayOver(answering(200, seen));
    const answer = await relay.open({ question: '江苏2024年GDP增长目标是多少？' });
    const events: AnswerEvent[] = [];
    for await (const event of answer.events) {
      events.push(event);
      if (event.type === 'sources') answer.cancel();
    }
    assert.deepEqual(events.map((event) => event.type), ['start', 'sources', 'error']);
    assert.equal((events[2] as { code: string }).code, 'cancelled');
    assert.equal(seen[0]?.signal?.aborted, true);
    assert.equal(relay.active, 0);
  });

  test('the client going away (its signal) cancels the answer the same way', async () => {
    const relay = relayOver(answering(200));
    const gone = new AbortController();
    const answer = await relay.open({ question: '江苏', signal: gone.signal });
    setTimeout(() => gone.abort(), 50);
    const events = await drain(answer.events);
    assert.equal(terminals(events).length, 1);
    assert.equal((events.at(-1) as { code: string }).code, 'cancelled');
  });

  test('an answer over the deadline ends with deadline_exceeded and frees its place', async () => {
    const seen: AnswerRequest[] = [];
    const relay = relayOver(answering(300, seen), { deadlineMs: 100 });
    const started = Date.now();
    const events = await drain((await relay.open({ question: '江苏' })).events);
    assert.ok(Date.now() - started < 280, 'the deadline did not wait for the slow pipeline');
    assert.equal(terminals(events).length, 1);
    assert.equal((events.at(-1) as { code: string }).code, 'deadline_exceeded');
    assert.equal(seen[0]?.signal?.aborted, true);
    assert.equal(relay.active, 0);
  });

  test('a transport that stops reading (break) aborts the pipeline and frees its place', async () => {
    const seen: AnswerRequest[] = [];
    const relay = relayOver(answering(50, seen));
    for await (const event of (await relay.open({ question: '江苏' })).events) if (event.type === 'sources') break;
    assert.equal(relay.active, 0);
    assert.equal(seen[0]?.signal?.aborted, true);
  });

  test('in-flight limits refuse the next answer with rate_limited, server-wide and per owner, and give places back', async () => {
    const relay = relayOver(answering(30), { maxInFlight: 3, maxInFlightPerOwner: 2 });
    const first = await relay.open({ question: '江苏', owner: 'socket-a' });
    const second = await relay.open({ question: '江苏', owner: 'socket-a' });
    await assert.rejects(relay.open({ question: '江苏', owner: 'socket-a' }), { code: 'rate_limited', message: /At most 2 questions/ });
    const third = await relay.open({ question: '江苏', owner: 'socket-b' });
    await assert.rejects(relay.open({ question: '江苏', owner: 'socket-c' }), { code: 'rate_limited', message: /answering 3 questions/ });
    // One never read and cancelled still gives its place back.
    third.cancel();
    assert.equal(relay.active, 2);
    await Promise.all([drain(first.events), drain(second.events)]);
    assert.equal(relay.active, 0);
    await drain((await relay.open({ question: '江苏', owner: 'socket-a' })).events);
  });

  test('collect returns the answer whole, and turns an error event into a thrown AppError', async () => {
    const relay = relayOver(answering());
    const result = await relay.collect({ question: '江苏2024年GDP增长目标是多少？' });
    assert.equal(result.answer, ANSWER);
    assert.deepEqual(result.citations, [1]);
    assert.equal(result.sources[0]?.id, 'jiangsu-2024#p027');
    assert.deepEqual(result.regions, ['江苏省']);
    const failing = relayOver(async function* () {
      yield { type: 'error', code: 'invalid_input', message: 'Unknown region "火星".' };
    });
    await assert.rejects(failing.collect({ question: '火星' }), { code: 'invalid_input', message: 'Unknown region "火星".' });
  });
});
