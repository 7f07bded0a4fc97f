// The writer lock of the index across replicas, in Redis: one key set only if absent (SET NX) with a
// time to live that its holder renews while it works, so a replica that dies mid-change frees the lock
// by itself within LOCK_TTL_MS, wherever it ran. The machine's own lock (the file in the index folder,
// which `npm run reports` and `npm run ingest` take) is taken after it, so writers that do not know
// Redis are kept out too. Without Redis no replica may change the index: a change is refused, saying so.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Redis } from 'ioredis';
import { AppError } from '../../errors.ts';
import { busyError, type AcquireOptions, type HeldLock, type LockHolder, type LockStatus, type WriterLock } from '../../index/writer-lock.ts';

/** The lock lapses this long after its holder last renewed it. */
export const LOCK_TTL_MS = 15_000;
const RENEW_EVERY_MS = 5000;
const POLL_MS = 200;

// KEYS[1] the lock; ARGV[1] the holder's value, ARGV[2] ttl ms. 1 when renewed (still ours).
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
// KEYS[1] the lock; ARGV[1] the holder's value. 1 when released (it was ours).
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

interface LockCommands {
  writerLockRenew(key: string, value: string, ttlMs: number): Promise<number>;
  writerLockRelease(key: string, value: string): Promise<number>;
}

interface LockValue extends LockHolder {
  replica: string;
  nonce: string;
}

export interface RedisWriterLockOptions {
  client: Redis;
  ready: () => boolean;
  prefix: string;
  replica: string;
  /** This machine's lock, taken once the cluster's is held. */
  local: WriterLock;
  ttlMs?: number;
}

export class RedisWriterLock implements WriterLock {
  private readonly client: Redis & LockCommands;
  private readonly key: string;
  private readonly ttlMs: number;

  constructor(private readonly options: RedisWriterLockOptions) {
    const client = options.client as Redis & Partial<LockCommands>;
    if (!client.writerLockRenew) {
      client.defineCommand('writerLockRenew', { numberOfKeys: 1, lua: RENEW });
      client.defineCommand('writerLockRelease', { numberOfKeys: 1, lua: RELEASE });
    }
    this.client = client as Redis & LockCommands;
    this.key = `${options.prefix}writer-lock`;
    this.ttlMs = options.ttlMs ?? LOCK_TTL_MS;
  }

  async acquire(purpose: string, acquireOptions: AcquireOptions = {}): Promise<HeldLock> {
    const holder: LockValue = { purpose, pid: process.pid, host: os.hostname(), since: new Date().toISOString(), replica: this.options.replica, nonce: randomBytes(12).toString('hex') };
    const value = JSON.stringify(holder);
    const deadline = Date.now() + (acquireOptions.waitMs ?? 0);
    let told = false;
    for (;;) {
      if ((await this.command(() => this.client.set(this.key, value, 'PX', this.ttlMs, 'NX'))) === 'OK') break;
      const status = await this.status();
      if (!status) continue; // released meanwhile
      if (Date.now() >= deadline) throw busyError(status);
      if (!told) acquireOptions.onWait?.(status);
      told = true;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const renewal = setInterval(() => void this.client.writerLockRenew(this.key, value, this.ttlMs).catch(() => 0), RENEW_EVERY_MS);
    renewal.unref();
    const releaseCluster = async (): Promise<void> => {
      clearInterval(renewal);
      await this.client.writerLockRelease(this.key, value).catch(() => 0);
    };
    let local: HeldLock;
    try {
      local = await this.options.local.acquire(purpose, acquireOptions);
    } catch (error) {
      await releaseCluster();
      throw error;
    }
    const { replica: _replica, nonce: _nonce, ...publicHolder } = holder;
    return {
      holder: publicHolder,
      // Checked right before CURRENT is switched: both locks still ours (a Redis that cannot say is a no).
      stillHeld: async () => (await this.client.get(this.key).catch(() => null)) === value && (await local.stillHeld()),
      release: async () => {
        await local.release();
        await releaseCluster();
      },
    };
  }

  async status(): Promise<LockStatus | undefined> {
    const text = await this.command(() => this.client.get(this.key));
    if (text !== null) {
      const holder = JSON.parse(text) as LockValue;
      // The key exists only while its holder renews it: whoever holds it is alive.
      return { purpose: `${holder.purpose} (${holder.replica})`, pid: holder.pid, host: holder.host, since: holder.since, ageSeconds: Math.max(0, Math.round((Date.now() - Date.parse(holder.since)) / 1000)), alive: true };
    }
    return this.options.local.status();
  }

  /** A Redis command, or the refusal a client should see while Redis is unreachable. */
  private async command<T>(run: () => Promise<T>): Promise<T> {
    try {
      if (!this.options.ready()) throw new Error('Redis is not ready');
      return await run();
    } catch (error) {
      throw new AppError('unavailable', 'Reports cannot be added or removed while Redis, which keeps the replicas to one writer at a time, is unreachable; try again when /healthz says ok.', { cause: error });
    }
  }
}
