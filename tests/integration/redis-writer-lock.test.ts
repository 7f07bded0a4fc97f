// The index's writer lock across replicas, in a real Redis: one holder in the whole service (each replica's
// machine lock taken after it), a wait that ends when the holder lets go, a holder that dies (stops renewing)
// losing the lock by itself, and no change at all while Redis is unreachable.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../src/errors.ts';
import { FileWriterLock } from '../../src/index/file-writer-lock.ts';
import { RedisConnection } from '../../src/server/redis/redis-connection.ts';
import { RedisWriterLock } from '../../src/server/redis/redis-writer-lock.ts';
import { redisSkip, startRedis, type TestRedis } from '../helpers/redis-server.ts';

describe('the writer lock in Redis', { skip: redisSkip }, () => {
  let redis: TestRedis;
  let folders: string[] = [];
  const connections: RedisConnection[] = [];

  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await Promise.all(connections.map((connection) => connection.close()));
    await redis?.close();
    await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
  });

  /** A replica's lock: its own connection and its own index folder (as on another machine). */
  async function replicaLock(name: string, options: { ttlMs?: number } = {}): Promise<{ lock: RedisWriterLock; local: FileWriterLock; connection: RedisConnection }> {
    const connection = new RedisConnection({ url: redis.url });
    connections.push(connection);
    const deadline = Date.now() + 10_000;
    while (!connection.ready && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    const folder = await mkdtemp(path.join(os.tmpdir(), `gov-report-${name}-`));
    folders.push(folder);
    const local = new FileWriterLock(folder);
    return { lock: new RedisWriterLock({ client: connection.commands, ready: () => connection.ready, prefix: 'lock-test:', replica: name, local, ...options }), local, connection };
  }

  const codeOf = (error: unknown): string | undefined => (error instanceof AppError ? error.code : undefined);

  test('one writer in the whole service: another replica is told who holds it, may wait for it, and its machine lock is held too', async () => {
    const [a, b] = [await replicaLock('replica-a'), await replicaLock('replica-b')];
    const held = await a.lock.acquire('upload suzhou.docx');
    assert.equal((await a.local.status())?.purpose, 'upload suzhou.docx', 'the machine’s own lock is taken after the cluster’s');
    const status = await b.lock.status();
    assert.deepEqual([status?.purpose, status?.pid, status?.alive], ['upload suzhou.docx (replica-a)', process.pid, true]);
    await assert.rejects(b.lock.acquire('upload nantong.docx'), (error: unknown) => codeOf(error) === 'busy' && /upload suzhou\.docx \(replica-a\)/.test((error as Error).message));
    assert.equal(await b.local.status(), undefined, 'a refused writer takes nothing');
    let told = '';
    const waiting = b.lock.acquire('upload nantong.docx', { waitMs: 20_000, onWait: (holder) => (told = holder.purpose) });
    assert.equal(await held.stillHeld(), true);
    setTimeout(() => void held.release(), 300);
    const next = await waiting;
    assert.equal(told, 'upload suzhou.docx (replica-a)');
    assert.equal(await a.local.status(), undefined, 'releasing gave the machine lock back too');
    assert.equal((await a.lock.status())?.purpose, 'upload nantong.docx (replica-b)');
    await next.release();
    assert.equal(await a.lock.status(), undefined);
  });

  test('a holder that dies (no more renewals) loses the lock after its time to live, and finds out before switching', async () => {
    const dying = await replicaLock('replica-dying', { ttlMs: 600 });
    const other = await replicaLock('replica-other');
    const held = await dying.lock.acquire('remove nantong-2024');
    // As after SIGKILL: the process is gone, so nothing renews; here the connection goes instead.
    await dying.connection.close();
    const started = Date.now();
    const taken = await other.lock.acquire('upload suzhou.docx', { waitMs: 10_000 });
    assert.ok(Date.now() - started < 5000, 'taken over once the dead holder’s lock lapsed');
    assert.equal(await held.stillHeld(), false, 'the old holder would switch nothing');
    await taken.release();
  });

  test('while Redis is unreachable no replica changes the index, and the refusal says why', async () => {
    const replica = await replicaLock('replica-outage');
    await redis.stop();
    const deadline = Date.now() + 10_000;
    while (replica.connection.ready && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    await assert.rejects(replica.lock.acquire('upload suzhou.docx'), (error: unknown) => codeOf(error) === 'unavailable' && /while Redis, which keeps the replicas to one writer at a time, is unreachable/.test((error as Error).message));
    assert.equal(await replica.local.status(), undefined);
    await redis.start();
    while (!replica.connection.ready && Date.now() < deadline + 15_000) await new Promise((resolve) => setTimeout(resolve, 25));
    await (await replica.lock.acquire('upload suzhou.docx')).release();
  });
});
