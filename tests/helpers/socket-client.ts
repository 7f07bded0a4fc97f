// A real socket.io-client connection for integration tests: asks questions, records every event the
// server sends in arrival order, and gathers one answer's events by its request id.
import { io, type Socket } from 'socket.io-client';
import type { AskAck, AskPayload, ClientError, ClientToServerEvents, ServerToClientEvents } from '../../src/server/contract.ts';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ServerEventName = keyof ServerToClientEvents;
export type PayloadOf<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];
/** One event as it arrived from the server. */
export type RecordedEvent = { [E in ServerEventName]: { event: E; payload: PayloadOf<E> } }[ServerEventName];
export type CancelAck = { ok: boolean; error?: ClientError };

/** The events of one answer (one request id), in arrival order. */
export interface AnswerTranscript {
  id: string;
  events: RecordedEvent[];
  /** Event names in arrival order, e.g. ['answer:start', 'answer:sources', 'answer:delta', 'answer:end']. */
  order: ServerEventName[];
  start?: PayloadOf<'answer:start'>;
  sources?: PayloadOf<'answer:sources'>;
  deltas: string[];
  notices: PayloadOf<'answer:notice'>[];
  end?: PayloadOf<'answer:end'>;
  error?: PayloadOf<'answer:error'>;
}

const DEFAULT_TIMEOUT_MS = 10_000;

function idOf(recorded: RecordedEvent): string | undefined {
  return recorded.event === 'error' ? undefined : recorded.payload.id;
}

export function isTerminal(recorded: RecordedEvent): boolean {
  return recorded.event === 'answer:end' || recorded.event === 'answer:error';
}

export class TestClient {
  /** Every event received since the connection opened, in arrival order. */
  readonly events: RecordedEvent[] = [];
  disconnectReason: string | undefined;
  private readonly waiters = new Set<(recorded: RecordedEvent | undefined) => void>();

  private constructor(readonly socket: ClientSocket) {
    socket.onAny((event: string, payload: unknown) => {
      const recorded = { event, payload } as RecordedEvent;
      this.events.push(recorded);
      for (const waiter of [...this.waiters]) waiter(recorded);
    });
    socket.on('disconnect', (reason) => {
      this.disconnectReason = reason;
      for (const waiter of [...this.waiters]) waiter(undefined);
    });
  }

  /** Opens a websocket connection (no polling, no reconnection) and resolves once it is connected. */
  static async connect(url: string, options: { extraHeaders?: Record<string, string>; timeoutMs?: number } = {}): Promise<TestClient> {
    const socket: ClientSocket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, ...(options.extraHeaders ? { extraHeaders: options.extraHeaders } : {}) });
    const client = new TestClient(socket);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.close();
        reject(new Error(`no connection to ${url} within ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`));
      }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('connect_error', (error) => {
        clearTimeout(timer);
        socket.close();
        reject(error);
      });
    });
    return client;
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  ask(payload: AskPayload, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<AskAck> {
    return this.emitWithAck('ask', payload, timeoutMs) as Promise<AskAck>;
  }

  /** Sends any payload as `ask` (for malformed input the typed contract would not allow). */
  askUnchecked(payload: unknown, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<AskAck> {
    return this.emitWithAck('ask', payload, timeoutMs) as Promise<AskAck>;
  }

  cancel(payload: unknown, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<CancelAck> {
    return this.emitWithAck('cancel', payload, timeoutMs) as Promise<CancelAck>;
  }

  /** Emits any event with any arguments and no acknowledgement. */
  emitUnchecked(event: string, ...args: unknown[]): void {
    (this.socket as unknown as Socket).emit(event, ...args);
  }

  /** Asks and waits for the answer to finish; fails when the ask is not acknowledged with ok. */
  async askAndCollect(payload: AskPayload, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<AnswerTranscript> {
    const ack = await this.ask(payload, timeoutMs);
    if (!ack.ok) throw new Error(`ask was refused: ${ack.error.code}: ${ack.error.message}`);
    return this.answer(ack.id, timeoutMs);
  }

  /** Waits for the answer with this id to end (answer:end or answer:error) and returns its events. */
  async answer(id: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<AnswerTranscript> {
    await this.waitFor((recorded) => idOf(recorded) === id && isTerminal(recorded), `the end of answer ${id}`, timeoutMs);
    return this.transcript(id);
  }

  /** The events received so far for one id. */
  transcript(id: string): AnswerTranscript {
    const events = this.events.filter((recorded) => idOf(recorded) === id);
    const result: AnswerTranscript = { id, events, order: events.map((recorded) => recorded.event), deltas: [], notices: [] };
    for (const recorded of events) {
      if (recorded.event === 'answer:start') result.start = recorded.payload;
      else if (recorded.event === 'answer:sources') result.sources = recorded.payload;
      else if (recorded.event === 'answer:delta') result.deltas.push(recorded.payload.text);
      else if (recorded.event === 'answer:notice') result.notices.push(recorded.payload);
      else if (recorded.event === 'answer:end') result.end = recorded.payload;
      else if (recorded.event === 'answer:error') result.error = recorded.payload;
    }
    return result;
  }

  /** Resolves with the first event (already received or still to come) that matches. */
  waitFor(matches: (recorded: RecordedEvent) => boolean, what: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<RecordedEvent> {
    const seen = this.events.find(matches);
    if (seen) return Promise.resolve(seen);
    return new Promise<RecordedEvent>((resolve, reject) => {
      const finish = (outcome: RecordedEvent | Error): void => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      const waiter = (recorded: RecordedEvent | undefined): void => {
        if (recorded === undefined) finish(new Error(`disconnected (${this.disconnectReason ?? 'unknown reason'}) while waiting for ${what}`));
        else if (matches(recorded)) finish(recorded);
      };
      const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Resolves with the reason once the connection is closed (by either side). */
  disconnected(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
    if (this.disconnectReason !== undefined) return Promise.resolve(this.disconnectReason);
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`still connected after ${timeoutMs} ms`)), timeoutMs);
      this.socket.once('disconnect', (reason) => {
        clearTimeout(timer);
        resolve(reason);
      });
    });
  }

  close(): void {
    this.socket.close();
  }

  private emitWithAck(event: string, payload: unknown, timeoutMs: number): Promise<unknown> {
    return (this.socket as unknown as Socket).timeout(timeoutMs).emitWithAck(event, payload);
  }
}

/** Lets events already on their way arrive (for asserting that nothing more comes). */
export function settle(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
