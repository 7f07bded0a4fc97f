// Places held and given back, counted against a cap per key: Socket.IO sessions per client address,
// answers in flight on the server. MemoryLeases counts them in this process; RedisLeases
// (redis/redis-leases.ts) counts them across every replica that shares a Redis.

/** Gives a place back; calling it again does nothing. */
export type Release = () => void;

export interface Leases {
  /** Takes one of `cap` places under `key` (0 = no cap): its release, or undefined when all are taken. */
  acquire(key: string, cap: number): Promise<Release | undefined>;
  /** Places held under `key` now (by this process for memory, by every replica for Redis). */
  count(key: string): Promise<number>;
}

/** The leases of one process: a count per key. */
export class MemoryLeases implements Leases {
  private readonly held = new Map<string, number>();

  /** Synchronous form of acquire, for callers that cannot wait (a TCP connection being accepted). */
  take(key: string, cap: number): Release | undefined {
    const count = this.held.get(key) ?? 0;
    if (cap > 0 && count >= cap) return undefined;
    this.held.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.held.get(key) ?? 1) - 1;
      if (left <= 0) this.held.delete(key);
      else this.held.set(key, left);
    };
  }

  acquire(key: string, cap: number): Promise<Release | undefined> {
    return Promise.resolve(this.take(key, cap));
  }

  count(key: string): Promise<number> {
    return Promise.resolve(this.held.get(key) ?? 0);
  }
}
