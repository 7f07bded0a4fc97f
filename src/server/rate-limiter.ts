// The per-client request budget: one fixed window of a minute per client key (the client's address),
// shared by HTTP and Socket.IO. RateLimiter keeps the windows in this process; RedisRateLimit
// (redis/redis-rate-limit.ts) keeps them in Redis, so that the budget holds across replicas.

export interface RateLimit {
  /** Requests per minute per key; 0 = no limit. */
  readonly limitPerMinute: number;
  /** Counts one request for `key`; the seconds to wait when it is over the limit, else 0. */
  take(key: string): number | Promise<number>;
}

/** The windows of one process. */
export class RateLimiter implements RateLimit {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private sweeps = 0;

  constructor(
    readonly limitPerMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): number {
    if (this.limitPerMinute <= 0) return 0;
    const time = this.now();
    if (++this.sweeps % 1000 === 0) this.sweep(time);
    const window = this.windows.get(key);
    if (!window || time - window.start >= 60_000) {
      this.windows.set(key, { start: time, count: 1 });
      return 0;
    }
    window.count++;
    if (window.count <= this.limitPerMinute) return 0;
    return Math.ceil((window.start + 60_000 - time) / 1000);
  }

  forget(key: string): void {
    this.windows.delete(key);
  }

  private sweep(time: number): void {
    for (const [key, window] of this.windows) if (time - window.start >= 60_000) this.windows.delete(key);
  }
}
