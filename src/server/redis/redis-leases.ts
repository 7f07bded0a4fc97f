// Leases counted across replicas in Redis: one sorted set per key, a member per place held, scored by the
// time (Redis's clock) at which it lapses. A replica renews its places every few seconds, so the places of
// a replica that died lapse by themselves within LEASE_TTL_MS. While Redis is away a replica counts only
// its own places against the cap (it cannot see the others'), and puts them into Redis once it is back.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Leases, Release } from '../leases.ts';

/** A place not renewed for this long lapses (a replica that died gives its places back by then). */
export const LEASE_TTL_MS = 30_000;
const RENEW_EVERY_MS = 10_000;

// KEYS[1] the set; ARGV: cap (0 = none), ttl ms, member. Returns 1 when the place was taken.
const ACQUIRE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local cap = tonumber(ARGV[1])
if cap > 0 and redis.call('ZCARD', KEYS[1]) >= cap then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

// KEYS[1] the set; ARGV: ttl ms, members… (re-added if Redis lost them). Returns the places held.
const RENEW = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return redis.call('ZCOUNT', KEYS[1], now, '+inf')
`;

// KEYS[1] the set. Returns the places that have not lapsed.
const COUNT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
return redis.call('ZCOUNT', KEYS[1], now, '+inf')
`;

interface LeaseCommands {
  leaseAcquire(key: string, cap: number, ttlMs: number, member: string): Promise<number>;
  leaseRenew(key: string, ttlMs: number, ...members: string[]): Promise<number>;
  leaseCount(key: string): Promise<number>;
}

export interface RedisLeasesOptions {
  client: Redis;
  /** Whether Redis can be asked now (when not, this replica counts alone). */
  ready: () => boolean;
  /** Put before every key (REDIS_PREFIX). */
  prefix: string;
  /** Names this process in the members, for whoever reads the sets. */
  replica: string;
  ttlMs?: number;
  renewEveryMs?: number;
}

export class RedisLeases implements Leases {
  private readonly client: Redis & LeaseCommands;
  /** The places this process holds, by key: what it renews, and what it counts while Redis is away. */
  private readonly held = new Map<string, Set<string>>();
  private readonly owner: string;
  private sequence = 0;
  private readonly ttlMs: number;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: RedisLeasesOptions) {
    this.ttlMs = options.ttlMs ?? LEASE_TTL_MS;
    this.owner = `${options.replica}:${process.pid}:${randomUUID().slice(0, 8)}`;
    const client = options.client as Redis & Partial<LeaseCommands>;
    if (!client.leaseAcquire) {
      client.defineCommand('leaseAcquire', { numberOfKeys: 1, lua: ACQUIRE });
      client.defineCommand('leaseRenew', { numberOfKeys: 1, lua: RENEW });
      client.defineCommand('leaseCount', { numberOfKeys: 1, lua: COUNT });
    }
    this.client = client as Redis & LeaseCommands;
    this.timer = setInterval(() => void this.renew(), options.renewEveryMs ?? RENEW_EVERY_MS);
    this.timer.unref();
  }

  async acquire(key: string, cap: number): Promise<Release | undefined> {
    const member = `${this.owner}:${++this.sequence}`;
    const redisKey = this.redisKey(key);
    let taken: boolean;
    try {
      if (!this.options.ready()) throw new Error('Redis is not ready');
      taken = (await this.client.leaseAcquire(redisKey, cap, this.ttlMs, member)) === 1;
    } catch {
      // Redis away: this replica's own places are all it can count.
      taken = cap === 0 || this.localCount(key) < cap;
    }
    if (!taken) return undefined;
    let members = this.held.get(key);
    if (!members) this.held.set(key, (members = new Set()));
    members.add(member);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const set = this.held.get(key);
      set?.delete(member);
      if (set?.size === 0) this.held.delete(key);
      if (this.options.ready()) this.client.zrem(redisKey, member).catch(() => {});
    };
  }

  async count(key: string): Promise<number> {
    try {
      if (!this.options.ready()) throw new Error('Redis is not ready');
      return await this.client.leaseCount(this.redisKey(key));
    } catch {
      return this.localCount(key);
    }
  }

  /** Renews every place this process holds (re-adding those a restarted Redis lost). */
  async renew(): Promise<void> {
    if (!this.options.ready()) return;
    await Promise.all([...this.held].map(([key, members]) => this.client.leaseRenew(this.redisKey(key), this.ttlMs, ...members).catch(() => 0)));
  }

  close(): void {
    clearInterval(this.timer);
  }

  private localCount(key: string): number {
    return this.held.get(key)?.size ?? 0;
  }

  private redisKey(key: string): string {
    return `${this.options.prefix}lease:${key}`;
  }
}
