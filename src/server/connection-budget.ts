// What one Socket.IO connection may hold on the server: answers count as in flight from `ask` until
// their last packet has left the server (not merely until they were computed), and the output queued
// for a client that does not read is capped. Engine.IO keeps unsent packets in `writeBuffer` (a
// polling client that never fetches, a websocket whose transport is still busy) and `ws` keeps what the
// TCP socket has not taken in `bufferedAmount`; both are counted here.

/** The parts of an Engine.IO socket this module reads (engine.io 6). */
export interface EngineConnection {
  writeBuffer: { data?: unknown }[];
  transport: { socket?: { bufferedAmount?: number } };
}

/** Bytes of output queued on the server for this connection (strings counted at 2 bytes a character, as V8 holds them). */
export function queuedOutputBytes(connection: EngineConnection): number {
  let bytes = 0;
  for (const packet of connection.writeBuffer) {
    const data = packet.data;
    if (typeof data === 'string') bytes += data.length * 2;
    else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) bytes += data.byteLength;
  }
  const buffered = connection.transport.socket?.bufferedAmount;
  return bytes + (typeof buffered === 'number' ? buffered : 0);
}

/**
 * True when everything written to the connection so far has left the server's buffers. (A polling
 * transport that is not writable with an empty buffer has sent it all and waits for the next GET.)
 */
export function outputDrained(connection: EngineConnection): boolean {
  return connection.writeBuffer.length === 0 && queuedOutputBytes(connection) === 0;
}

export interface BudgetLimits {
  /** Answers one connection may have in flight (running, or finished but not yet sent). */
  maxInFlight: number;
  /** Output queued for one connection beyond which it is disconnected. */
  maxQueuedBytes: number;
}

/**
 * The in-flight books of one connection. `running` answers are being computed; `unsent` answers are
 * computed but their last packet may still be queued. Output leaves in order, so once the queue is
 * empty every earlier answer has been sent.
 */
export class ConnectionBudget {
  private readonly running = new Map<string, AbortController>();
  private unsent = 0;
  /** Asks that passed the checks and wait for the server-wide place (shared limits answer asynchronously). */
  private admitting = 0;

  constructor(
    private readonly connection: EngineConnection,
    readonly limits: BudgetLimits,
  ) {}

  inFlight(): number {
    if (this.unsent > 0 && outputDrained(this.connection)) this.unsent = 0;
    return this.running.size + this.unsent + this.admitting;
  }

  /** Counts an ask being admitted; the function returned stops counting it (call it once it started or was refused). */
  reserve(): () => void {
    this.admitting++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.admitting--;
    };
  }

  /** Whether another answer may start now. */
  hasRoom(): boolean {
    return this.inFlight() < this.limits.maxInFlight;
  }

  /** Whether the client has stopped reading for long enough that the connection should be closed. */
  overQueued(): boolean {
    return queuedOutputBytes(this.connection) > this.limits.maxQueuedBytes;
  }

  start(id: string, controller: AbortController): void {
    this.running.set(id, controller);
  }

  controller(id: string): AbortController | undefined {
    return this.running.get(id);
  }

  /** The answer's terminal event has been emitted: it stays in flight until the output drains. */
  finish(id: string): void {
    if (!this.running.delete(id)) return;
    if (!outputDrained(this.connection)) this.unsent++;
  }

  abortAll(reason?: unknown): void {
    for (const controller of this.running.values()) controller.abort(reason);
  }
}
