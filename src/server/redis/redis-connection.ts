// The replica's connection to Redis: a client for commands (rate limits, leases, the update lock) that fails
// fast while Redis is away, so that callers fall back at once instead of queueing, and a publisher and a
// subscriber for Socket.IO's adapter. It reconnects by itself, keeps its state (connecting, ready,
// unavailable since …) for /healthz and /readyz, and logs one line when Redis goes and one when it is back.
import { Redis, type RedisOptions } from 'ioredis';
import type { SharedStateHealth } from '../shared-state.ts';

/** Reconnection: quickly at first, then every 2 s, for as long as it takes. */
const retryStrategy = (attempt: number): number => Math.min(100 * attempt, 2000);

export interface RedisConnectionOptions {
  url: string;
  log?: (line: string) => void;
  now?: () => number;
}

export class RedisConnection {
  readonly commands: Redis;
  readonly publisher: Redis;
  readonly subscriber: Redis;
  private state: 'connecting' | 'ready' | 'unavailable' = 'connecting';
  private since: number;
  private lastError: string | undefined;
  private readonly log: (line: string) => void;
  private readonly now: () => number;
  private readonly listeners = new Set<(state: RedisConnection['state']) => void>();
  /** Closed on purpose: its connections ending is no outage to report. */
  private closing = false;

  constructor(options: RedisConnectionOptions) {
    this.log = options.log ?? (() => {});
    this.now = options.now ?? Date.now;
    this.since = this.now();
    const common: RedisOptions = { connectTimeout: 2000, retryStrategy, lazyConnect: false };
    // Commands fail at once while disconnected (the callers fall back to this replica's memory).
    this.commands = new Redis(options.url, { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 1, enableAutoPipelining: true, connectionName: 'gov-report:commands' });
    // The adapter subscribes once at start-up: queued until connected, and resubscribed after every reconnect.
    this.subscriber = new Redis(options.url, { ...common, maxRetriesPerRequest: null, autoResubscribe: true, connectionName: 'gov-report:subscriber' });
    // A broadcast while Redis is away reaches this replica's clients only; it is not queued for later.
    this.publisher = new Redis(options.url, { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectionName: 'gov-report:publisher' });
    for (const client of [this.commands, this.subscriber, this.publisher]) {
      // Socket.IO's adapter never awaits its publish and subscribe calls: a failure while Redis is away must not
      // become an unhandled rejection (which ends the process). Callers that await still see the error.
      observeCommandFailures(client);
      client.on('error', (error: Error) => {
        this.lastError = error.message;
      });
      for (const event of ['ready', 'close', 'end', 'reconnecting']) client.on(event, () => this.update());
    }
  }

  /** Whether commands can be sent now. */
  get ready(): boolean {
    return this.state === 'ready';
  }

  health(): SharedStateHealth {
    return {
      store: 'redis',
      state: this.state,
      since: new Date(this.since).toISOString(),
      ...(this.state === 'unavailable'
        ? { message: `Redis is unreachable${this.lastError ? ` (${this.lastError})` : ''}: rate limits and caps are counted by each replica alone, and broadcasts reach this replica's clients only, until it is back.` }
        : this.state === 'connecting'
          ? { message: 'Connecting to Redis; until then rate limits and caps are counted by this replica alone.' }
          : {}),
    };
  }

  /** Calls `listener` at every change of state; returns what stops it. */
  onChange(listener: (state: 'connecting' | 'ready' | 'unavailable') => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closing = true;
    this.listeners.clear();
    await Promise.all([this.commands, this.subscriber, this.publisher].map((client) => client.quit().catch(() => client.disconnect())));
  }

  private update(): void {
    if (this.closing) return;
    const allReady = [this.commands, this.subscriber, this.publisher].every((client) => client.status === 'ready');
    // Still connecting for the first time, until a connection fails.
    const next = allReady ? 'ready' : this.state === 'connecting' && this.lastError === undefined ? 'connecting' : 'unavailable';
    if (next === this.state) return;
    const wasReady = this.state === 'ready';
    this.state = next;
    this.since = this.now();
    if (next === 'ready') this.log(wasReady ? 'Redis is ready.' : 'Redis is reachable: rate limits, caps and broadcasts are shared by the replicas.');
    else if (next === 'unavailable') this.log(`Redis is unreachable${this.lastError ? ` (${this.lastError})` : ''}: this replica counts limits alone until it is back.`);
    for (const listener of this.listeners) listener(next);
  }
}

/** Marks every command's promise as observed, without changing what its caller receives. */
function observeCommandFailures(client: Redis): void {
  const send = client.sendCommand.bind(client);
  client.sendCommand = ((command, stream) => {
    command.promise.catch(() => {});
    return send(command, stream);
  }) as Redis['sendCommand'];
}
