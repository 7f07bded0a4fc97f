// Clients that ask the server questions the way integrators do — Socket.IO (`ask` + answer events) and
// HTTP (`POST /api/ask`) — and account for every answer: exactly one `answer:end` or `answer:error` per
// acknowledged `ask`, none for an id never acknowledged.
import { request as httpRequest, Agent, type IncomingHttpHeaders } from 'node:http';
import { io, type Socket } from 'socket.io-client';
import type { AskAck, AskPayload, ClientToServerEvents, ServerToClientEvents } from '../../src/server/contract.ts';
import { summarizeLatencies, type LatencySummary } from './latency.ts';

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface AskOutcome {
  /** end: an answer; error: answer:error; rejected: a negative ack or HTTP error; timeout: nothing in time; disconnected: the connection dropped. */
  kind: 'end' | 'error' | 'rejected' | 'timeout' | 'disconnected';
  latencyMs: number;
  id?: string;
  status?: number;
  code?: string;
  message?: string;
  mode?: string;
  grounded?: boolean;
  answer?: string;
  /** Codes of the answer:notice events (or the HTTP body's notices). */
  notices: string[];
}

/**
 * Connects one Socket.IO client over WebSocket with its own connection (no multiplexing); `localAddress`
 * (127.x.y.z) makes it another client address for a proxy that routes by address.
 */
export function connectSocket(url: string, timeoutMs = 10_000, localAddress?: string): Promise<AppSocket> {
  const socket: AppSocket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: timeoutMs, ...(localAddress ? { localAddress } : {}) } as Parameters<typeof io>[1]);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no Socket.IO connection to ${url} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      socket.close();
      reject(error);
    });
  });
}

export async function connectSockets(url: string, count: number, batch = 50, localAddress?: (client: number) => string): Promise<AppSocket[]> {
  const sockets: AppSocket[] = [];
  for (let offset = 0; offset < count; offset += batch) {
    sockets.push(...(await Promise.all(Array.from({ length: Math.min(batch, count - offset) }, (_, index) => connectSocket(url, 10_000, localAddress?.(offset + index))))));
  }
  return sockets;
}

interface Pending {
  sentAt: number;
  settle?: (outcome: AskOutcome) => void;
  terminals: number;
  notices: string[];
  mode?: string;
}

/**
 * Asks over one socket and keeps the books: duplicates (a second terminal event for an id) and strays
 * (a terminal event for an id this client was never given) are counted, not ignored.
 */
export class SocketAsker {
  duplicates = 0;
  strays = 0;
  /** Terminal events that arrived after the client had given up on the answer. */
  late = 0;
  private readonly byId = new Map<string, Pending>();
  /** Terminal events whose acknowledgement has not arrived yet (should not happen; kept to be sure). */
  private readonly early = new Map<string, AskOutcome>();

  constructor(readonly socket: AppSocket) {
    socket.on('answer:start', ({ id, mode }) => {
      const pending = this.byId.get(id);
      if (pending) pending.mode = mode;
    });
    socket.on('answer:notice', ({ id, code }) => this.byId.get(id)?.notices.push(code));
    socket.on('answer:end', ({ id, answer, grounded, mode }) => this.terminal(id, { kind: 'end', answer, grounded, mode }));
    socket.on('answer:error', ({ id, code, message }) => this.terminal(id, { kind: 'error', code, message }));
  }

  private terminal(id: string, outcome: Omit<AskOutcome, 'latencyMs' | 'notices'>): void {
    const pending = this.byId.get(id);
    if (!pending) {
      if (this.early.has(id)) this.duplicates++;
      else this.early.set(id, { ...outcome, id, latencyMs: Number.NaN, notices: [] });
      return;
    }
    pending.terminals++;
    if (pending.terminals > 1) {
      this.duplicates++;
      return;
    }
    if (!pending.settle) {
      this.late++;
      return;
    }
    pending.settle({ ...outcome, id, latencyMs: performance.now() - pending.sentAt, notices: pending.notices, ...(outcome.mode ? {} : pending.mode ? { mode: pending.mode } : {}) });
    pending.settle = undefined;
  }

  /** Asks the server acknowledged. */
  acknowledged(): number {
    return this.byId.size;
  }

  /** Ids acknowledged but still without a terminal event. */
  openAnswers(): number {
    return [...this.byId.values()].filter((pending) => pending.terminals === 0).length;
  }

  /** Terminal events for ids never acknowledged (counted once the books are closed). */
  closeBooks(): void {
    this.strays += this.early.size;
    this.early.clear();
  }

  ask(payload: AskPayload, timeoutMs: number): Promise<AskOutcome> {
    const sentAt = performance.now();
    return new Promise<AskOutcome>((resolve) => {
      let done = false;
      let id: string | undefined;
      const finish = (outcome: AskOutcome): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.socket.off('disconnect', onDisconnect);
        const pending = id ? this.byId.get(id) : undefined;
        if (pending) pending.settle = undefined;
        resolve(outcome);
      };
      const timer = setTimeout(() => finish({ kind: 'timeout', latencyMs: performance.now() - sentAt, notices: [], ...(id ? { id } : {}) }), timeoutMs);
      const onDisconnect = (): void => finish({ kind: 'disconnected', latencyMs: performance.now() - sentAt, notices: [], ...(id ? { id } : {}) });
      this.socket.once('disconnect', onDisconnect);
      this.socket.emit('ask', payload, (ack: AskAck) => {
        if (!ack.ok) {
          finish({ kind: 'rejected', latencyMs: performance.now() - sentAt, code: ack.error.code, message: ack.error.message, notices: [] });
          return;
        }
        id = ack.id;
        const pending: Pending = { sentAt, terminals: 0, notices: [], settle: finish };
        this.byId.set(ack.id, pending);
        const early = this.early.get(ack.id);
        if (early) {
          this.early.delete(ack.id);
          this.terminal(ack.id, early);
        }
      });
    });
  }
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One HTTP request on loopback; resolves with status 0 and the error message in `body` when the connection fails. */
export function sendHttp(options: { url: string; method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer; agent?: Agent; timeoutMs?: number }): Promise<HttpResponse> {
  const target = new URL(options.path, options.url);
  return new Promise((resolve) => {
    const request = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: options.method ?? 'GET',
        path: `${target.pathname}${target.search}`,
        headers: { ...(options.body !== undefined ? { 'content-length': String(Buffer.byteLength(options.body)) } : {}), ...options.headers },
        ...(options.agent ? { agent: options.agent } : {}),
        timeout: options.timeoutMs ?? 30_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', (error) => resolve({ status: 0, headers: {}, body: error.message }));
      },
    );
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', (error) => resolve({ status: 0, headers: {}, body: error.message }));
    if (options.body !== undefined) request.write(options.body);
    request.end();
  });
}

/** `POST /api/ask` as an AskOutcome. */
export async function askOverHttp(url: string, payload: AskPayload, options: { agent?: Agent; timeoutMs: number }): Promise<AskOutcome> {
  const started = performance.now();
  const response = await sendHttp({ url, method: 'POST', path: '/api/ask', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload), ...(options.agent ? { agent: options.agent } : {}), timeoutMs: options.timeoutMs });
  const latencyMs = performance.now() - started;
  if (response.status === 0) return { kind: response.body === 'timeout' ? 'timeout' : 'disconnected', latencyMs, message: response.body, notices: [] };
  let body: { answer?: string; mode?: string; grounded?: boolean; notices?: { code: string }[]; error?: { code?: string; message?: string } } = {};
  try {
    body = JSON.parse(response.body) as typeof body;
  } catch {
    return { kind: 'rejected', status: response.status, latencyMs, code: 'unparseable', message: response.body.slice(0, 200), notices: [] };
  }
  if (response.status !== 200) return { kind: 'rejected', status: response.status, latencyMs, code: body.error?.code ?? 'none', message: body.error?.message ?? '', notices: [] };
  return {
    kind: 'end',
    status: 200,
    latencyMs,
    ...(body.answer !== undefined ? { answer: body.answer } : {}),
    ...(body.mode ? { mode: body.mode } : {}),
    ...(body.grounded !== undefined ? { grounded: body.grounded } : {}),
    notices: (body.notices ?? []).map((notice) => notice.code),
  };
}

export interface LoadResult {
  clients: number;
  elapsedMs: number;
  asked: number;
  answered: number;
  /** Outcome kinds other than `end`, with their codes: `error:internal`, `timeout`, … */
  failures: Record<string, number>;
  /** Answers per second over the whole run. */
  throughput: number;
  latency: LatencySummary;
}

/**
 * Closed loop: every client asks, waits for its answer, asks again, until `durationMs` has passed (each
 * client finishes the question it is on) or it has asked `maxPerClient` questions.
 */
export async function runClosedLoop(options: {
  clients: number;
  durationMs: number;
  maxPerClient?: number;
  /** Stops the loop early (each client finishes the question it is on). */
  until?: () => boolean;
  question: (client: number, turn: number) => AskPayload;
  ask: (client: number, payload: AskPayload) => Promise<AskOutcome>;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let asked = 0;
  const started = performance.now();
  const stopAt = started + options.durationMs;
  await Promise.all(
    Array.from({ length: options.clients }, async (_, client) => {
      for (let turn = 0; performance.now() < stopAt && turn < (options.maxPerClient ?? Number.POSITIVE_INFINITY) && !options.until?.(); turn++) {
        asked++;
        const outcome = await options.ask(client, options.question(client, turn));
        if (outcome.kind === 'end') latencies.push(outcome.latencyMs);
        else {
          const key = outcome.code ? `${outcome.kind}:${outcome.code}` : outcome.kind;
          failures[key] = (failures[key] ?? 0) + 1;
        }
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  return { clients: options.clients, elapsedMs, asked, answered: latencies.length, failures, throughput: latencies.length / (elapsedMs / 1000), latency: summarizeLatencies(latencies) };
}

export function keepAliveAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets });
}
