// Leases (Socket.IO sessions per address, answers in flight) against each implementation: the same suite
// for this process's memory and for Redis, then what only Redis does: one cap for several replicas, the
// places of a replica that died lapsing, and counting alone while Redis is away.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryLeases, type Leases } from '../../src/server/leases.ts';
import { RedisConnection } from '../../src/server/redis/redis-connection.ts';
import { RedisLeases } from '../../src/server/redis/redis-leases.ts';
import { redisSkip, startRedis, type TestRedis } from '../helpers/redis-server.ts';

let redis: TestRedis | undefined;
const connections: RedisConnection[] = [];
const redisLeases: RedisLeases[] = [];

before(async () => {
  if (!redisSkip) redis = await startRedis();
});
after(async () => {
  for (const leases of redisLeases) leases.close();
  await Promise.all(connections.map((connection) => connection.close()));
  await redis?.close();
});

async function connect(): Promise<RedisConnection> {
  const connection = new RedisConnection({ url: redis!.url });
  connections.push(connection);
  await until(() => connection.ready, 'Redis to be ready');
  return connection;
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

let keyNumber = 0;
const implementations: { name: string; skip: string | false; make: () => Promise<Leases> }[] = [
  { name: 'memory', skip: false, make: async () => new MemoryLeases() },
  {
    name: 'Redis',
    skip: redisSkip,
    make: async () => {
      const connection = await connect();
      const leases = new RedisLeases({ client: connection.commands, ready: () => connection.ready, prefix: 'test:', replica: 'replica-a' });
      redisLeases.push(leases);
      return leases;
    },
  },
];

for (const implementation of implementations) {
  describe(`${implementation.name} leases`, { skip: implementation.skip }, () => {
    test('places are taken up to the cap, the next is refused, and a place given back can be taken again', async () => {
      const leases = await implementation.make();
      const key = `sessions:203.0.113.${++keyNumber}`;
      const first = await leases.acquire(key, 2);
      const second = await leases.acquire(key, 2);
      assert.ok(first && second);
      assert.equal(await leases.acquire(key, 2), undefined, 'a third place over a cap of 2');
      assert.equal(await leases.count(key), 2);
      first();
      first(); // a second release gives nothing back twice
      assert.equal(await leases.count(key), 1);
      const third = await leases.acquire(key, 2);
      assert.ok(third);
      assert.equal(await leases.acquire(key, 2), undefined);
      second();
      third();
      assert.equal(await leases.count(key), 0);
    });

    test('a cap of 0 takes every place, and keys are counted apart', async () => {
      const leases = await implementation.make();
      const key = `in-flight-${++keyNumber}`;
      const held = await Promise.all(Array.from({ length: 20 }, () => leases.acquire(key, 0)));
      assert.ok(held.every(Boolean));
      assert.equal(await leases.count(key), 20);
      assert.ok(await leases.acquire(`${key}-other`, 1), 'another key has its own places');
    });
  });
}

describe('Redis leases across replicas', { skip: redisSkip }, () => {
  test('two replicas share one cap: a place one holds is refused to the other until given back', async () => {
    const [a, b] = [await connect(), await connect()];
    const replicaA = new RedisLeases({ client: a.commands, ready: () => a.ready, prefix: 'test:', replica: 'replica-a' });
    const replicaB = new RedisLeases({ client: b.commands, ready: () => b.ready, prefix: 'test:', replica: 'replica-b' });
    redisLeases.push(replicaA, replicaB);
    const key = 'in-flight-shared';
    const held = [await replicaA.acquire(key, 3), await replicaA.acquire(key, 3), await replicaB.acquire(key, 3)];
    assert.ok(held.every(Boolean));
    assert.equal(await replicaB.acquire(key, 3), undefined, 'B sees the two places A holds');
    assert.equal(await replicaA.acquire(key, 3), undefined);
    held[0]!();
    assert.ok(await replicaB.acquire(key, 3), 'a place A gave back is free for B');
  });

  test('the places of a replica that stops renewing them (it died) lapse after their time to live', async () => {
    const connection = await connect();
    const dead = new RedisLeases({ client: connection.commands, ready: () => connection.ready, prefix: 'test:', replica: 'dead', ttlMs: 400, renewEveryMs: 60_000 });
    const alive = new RedisLeases({ client: connection.commands, ready: () => connection.ready, prefix: 'test:', replica: 'alive', ttlMs: 400, renewEveryMs: 100 });
    redisLeases.push(dead, alive);
    const key = 'sessions:198.51.100.7';
    assert.ok(await dead.acquire(key, 2));
    assert.ok(await alive.acquire(key, 2));
    assert.equal(await alive.acquire(key, 2), undefined);
    dead.close(); // no more renewals, and nothing given back: as after SIGKILL
    await until(async () => (await alive.count(key)) === 1, 'the dead replica’s place to lapse', 5000);
    // The living replica's place was renewed meanwhile and is still held.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(await alive.count(key), 1);
    assert.ok(await alive.acquire(key, 2));
  });

  test('while Redis is away a replica counts its own places against the cap, and puts them into Redis when it is back', async () => {
    const connection = await connect();
    const leases = new RedisLeases({ client: connection.commands, ready: () => connection.ready, prefix: 'test:', replica: 'outage' });
    redisLeases.push(leases);
    connection.onChange((state) => {
      if (state === 'ready') void leases.renew();
    });
    const key = 'sessions:192.0.2.44';
    const before = await leases.acquire(key, 3);
    assert.ok(before);
    await redis!.stop();
    await until(() => !connection.ready, 'the connection to notice the outage');
    assert.deepEqual([connection.health().store, (connection.health() as { state: string }).state], ['redis', 'unavailable']);
    const during = [await leases.acquire(key, 3), await leases.acquire(key, 3)];
    assert.ok(during.every(Boolean), 'this replica’s own count (1) is under the cap');
    assert.equal(await leases.acquire(key, 3), undefined, 'its own three places fill the cap');
    await redis!.start();
    await until(() => connection.ready, 'the connection to come back by itself', 15_000);
    // The restarted Redis was empty: the three places held are put back into it.
    await until(async () => (await leases.count(key)) === 3, 'the held places to be back in Redis');
    const other = new RedisLeases({ client: connection.commands, ready: () => connection.ready, prefix: 'test:', replica: 'other' });
    redisLeases.push(other);
    assert.equal(await other.acquire(key, 3), undefined, 'another replica sees them');
    during[0]!();
    assert.ok(await other.acquire(key, 3));
  });
});
