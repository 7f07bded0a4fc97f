// The per-connection budget: an answer counts as in flight until its output has left the server, and a
// client whose queued output passes the cap is to be disconnected. Engine.IO's connection is modelled by
// its two observable parts: the packets it still holds and the bytes its websocket has not written yet.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConnectionBudget, outputDrained, queuedOutputBytes, type EngineConnection } from '../../src/server/connection-budget.ts';

const answerPacket = (text: string) => ({ data: `42["answer:end",{"answer":"${text}"}]` });
const ANSWER = '2024年江苏地区生产总值预期增长5%以上 [1]。';

function connection(): EngineConnection & { deliver(): void } {
  const state: EngineConnection & { deliver(): void } = {
    writeBuffer: [],
    transport: {},
    deliver() {
      state.writeBuffer = [];
      state.transport = {};
    },
  };
  return state;
}

test('an answer computed but not yet read by the client still counts against the in-flight limit', () => {
  const conn = connection();
  const budget = new ConnectionBudget(conn, { maxInFlight: 2, maxQueuedBytes: 1024 * 1024 });
  // A polling client that never fetches: packets stay in Engine.IO's writeBuffer.
  for (const id of ['a', 'b']) {
    assert.ok(budget.hasRoom());
    budget.start(id, new AbortController());
    conn.writeBuffer.push(answerPacket(ANSWER));
    budget.finish(id);
  }
  assert.equal(budget.inFlight(), 2);
  assert.equal(budget.hasRoom(), false, 'a third ask is refused while two answers wait to be read');
  conn.deliver();
  assert.equal(budget.inFlight(), 0, 'once the output left, the slots are free');
  assert.ok(budget.hasRoom());
});

test('an answer finished on a drained connection frees its slot at once', () => {
  const conn = connection();
  const budget = new ConnectionBudget(conn, { maxInFlight: 1, maxQueuedBytes: 1024 });
  budget.start('a', new AbortController());
  assert.equal(budget.hasRoom(), false);
  budget.finish('a');
  assert.equal(budget.inFlight(), 0);
});

test('queued output counts packets held by Engine.IO and bytes the websocket has not written; over the cap means disconnect', () => {
  const conn = connection();
  const budget = new ConnectionBudget(conn, { maxInFlight: 4, maxQueuedBytes: 10_000 });
  assert.equal(queuedOutputBytes(conn), 0);
  assert.ok(outputDrained(conn));
  conn.writeBuffer.push(answerPacket('政'.repeat(2000)));
  assert.ok(queuedOutputBytes(conn) > 4000);
  assert.equal(budget.overQueued(), false);
  conn.transport = { socket: { bufferedAmount: 8000 } };
  assert.ok(budget.overQueued(), 'a paused websocket with 8 kB unwritten plus a queued answer is over a 10 kB cap');
  assert.equal(outputDrained(conn), false);
});

test('abortAll cancels every running answer; cancel by id finds only running ones', () => {
  const budget = new ConnectionBudget(connection(), { maxInFlight: 4, maxQueuedBytes: 1024 });
  const first = new AbortController();
  const second = new AbortController();
  budget.start('a', first);
  budget.start('b', second);
  assert.equal(budget.controller('a'), first);
  budget.finish('a');
  assert.equal(budget.controller('a'), undefined);
  budget.abortAll();
  assert.equal(first.signal.aborted, false);
  assert.equal(second.signal.aborted, true);
});
