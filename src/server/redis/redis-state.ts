// The shared state of replicas in Redis (REDIS_URL): the request budget, the leases (sessions per address,
// answers in flight), the index's writer lock and Socket.IO's Redis adapter, over one connection whose
// state /healthz reports.
// Imported only when REDIS_URL is set, so a single process loads none of it.
import { createAdapter } from '@socket.io/redis-adapter';
import type { SharedState } from '../shared-state.ts';
import { RedisConnection } from './redis-connection.ts';
import { RedisLeases } from './redis-leases.ts';
import { RedisRateLimit } from './redis-rate-limit.ts';
import { RedisWriterLock } from './redis-writer-lock.ts';

export interface RedisStateOptions {
  url: string;
  /** Put before every key and channel (REDIS_PREFIX), so that deployments can share one Redis. */
  prefix: string;
  /** This replica's name, in the members of the leases it holds. */
  replica: string;
  rateLimitPerMinute: number;
  log?: (line: string) => void;
}

export interface RedisSharedState extends SharedState {
  readonly connection: RedisConnection;
}

export function createRedisState(options: RedisStateOptions): RedisSharedState {
  const connection = new RedisConnection({ url: options.url, ...(options.log ? { log: options.log } : {}) });
  const leases = new RedisLeases({ client: connection.commands, ready: () => connection.ready, prefix: options.prefix, replica: options.replica });
  // Places taken while Redis was away (or lost by its restart) are put back at once.
  connection.onChange((state) => {
    if (state === 'ready') void leases.renew();
  });
  return {
    connection,
    limiter: new RedisRateLimit(options.rateLimitPerMinute, { client: connection.commands, prefix: options.prefix }),
    leases,
    adapter: createAdapter(connection.publisher, connection.subscriber, { key: `${options.prefix}socket.io` }),
    writerLock: (local) => new RedisWriterLock({ client: connection.commands, ready: () => connection.ready, prefix: options.prefix, replica: options.replica, local }),
    health: () => connection.health(),
    close: async () => {
      leases.close();
      await connection.close();
    },
  };
}
