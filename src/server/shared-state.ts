// What replicas of the server must share to act as one: the request budget per client, the places
// (sessions per address, answers in flight) and Socket.IO's broadcasts. One process keeps them in
// memory (the default); with REDIS_URL they live in Redis (redis/redis-state.ts). main.ts picks one.
import type { ServerOptions } from 'socket.io';
import type { WriterLock } from '../index/writer-lock.ts';
import { MemoryLeases, type Leases } from './leases.ts';
import { RateLimiter, type RateLimit } from './rate-limiter.ts';

/** How the shared state is doing, for /healthz and /readyz. */
export type SharedStateHealth =
  | { store: 'memory' }
  | {
      store: 'redis';
      /** `unavailable`: limits and caps are counted per replica and broadcasts stay on this replica until Redis is back. */
      state: 'connecting' | 'ready' | 'unavailable';
      /** When it entered that state (ISO time). */
      since: string;
      message?: string;
    };

export interface SharedState {
  readonly limiter: RateLimit;
  readonly leases: Leases;
  /** Socket.IO's adapter (absent: its in-memory default, one process). */
  readonly adapter?: ServerOptions['adapter'];
  /** The index's writer lock for the whole service, holding this machine's `local` one too (absent: `local` alone). */
  writerLock?(local: WriterLock): WriterLock;
  health(): SharedStateHealth;
  close(): Promise<void>;
}

/** The single-process state: everything in memory, nothing to reach. */
export function createMemoryState(options: { rateLimitPerMinute: number }): SharedState {
  return {
    limiter: new RateLimiter(options.rateLimitPerMinute),
    leases: new MemoryLeases(),
    health: () => ({ store: 'memory' }),
    close: () => Promise.resolve(),
  };
}

/** Lease keys, one place for their spelling (Redis keys carry the configured prefix before them). */
export const LEASE_KEYS = {
  inFlight: 'in-flight',
  sessions: (address: string): string => `sessions:${address}`,
};
