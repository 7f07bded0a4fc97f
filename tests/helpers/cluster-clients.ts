// Clients of a cluster behind nginx, each from a loopback address of its own (127.0.x.y: the proxy's
// sticky hash sees them as different users): Socket.IO over websocket or polling only, with reconnection,
// and Server-Sent Events. Every question ends in an answer or an error the client can name (a refusal,
// answer:error, the connection lost mid-answer, nginx's `unavailable`), never in silence; the books also
// count events that are not this client's and answers that end twice.
import { Agent, request as httpRequest } from 'node:http';
import { io, type Socket } from 'socket.io-client';
import type { AskAck, AskPayload, ClientToServerEvents, ServerToClientEvents } from '../../src/server/contract.ts';

export type Outcome = { kind: 'answered'; id: string; answer: string; notices: string[] } | { kind: 'error'; code: string; message: string; id?: string };

/** Errors a client may simply try again (after reconnecting, or after Retry-After). */
export const RETRYABLE = new Set(['connection_lost', 'unavailable', 'rate_limited', 'shutting_down', 'not_ready']);

export interface Question {
  /** Resolves when the server took the question (with its answer id) or refused it (undefined). */
  admitted: Promise<string | undefined>;
  outcome: Promise<Outcome>;
}

export type Transport = 'websocket' | 'polling' | 'sse';

export class ClusterClient {
  /** The replica that serves this client's address (from /healthz through the proxy, before the load). */
  replica = '';
  disconnects = 0;
  duplicates = 0;
  strays = 0;
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;
  private readonly agent: Agent;
  private readonly mine = new Set<string>();
  private readonly ended = new Set<string>();

  constructor(
    readonly proxyUrl: string,
    readonly transport: Transport,
    readonly address: string,
  ) {
    this.agent = new Agent({ keepAlive: true, localAddress: address, maxSockets: 4 });
  }

  /** Learns its replica, then (Socket.IO) connects through the proxy. */
  async connect(): Promise<void> {
    this.replica = String(((await this.getJson('/healthz')) as { replica?: string }).replica ?? '');
    if (this.transport === 'sse') return;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(this.proxyUrl, {
      transports: [this.transport],
      upgrade: false,
      forceNew: true,
      agent: this.agent as unknown as string,
      localAddress: this.address,
      reconnectionDelay: 200,
      reconnectionDelayMax: 1000,
      timeout: 5000,
    } as Parameters<typeof io>[1]);
    this.socket = socket;
    socket.on('disconnect', () => this.disconnects++);
    const terminal = (id: string): void => {
      if (!this.mine.has(id)) this.strays++;
      else if (this.ended.has(id)) this.duplicates++;
      else this.ended.add(id);
    };
    socket.on('answer:end', ({ id }) => terminal(id));
    socket.on('answer:error', ({ id }) => terminal(id));
    for (const event of ['answer:start', 'answer:sources', 'answer:delta', 'answer:notice'] as const) {
      socket.on(event, ({ id }: { id: string }) => {
        if (!this.mine.has(id)) this.strays++;
      });
    }
    await this.connected(15_000);
  }

  /** Resolves once the Socket.IO connection is up (at once for SSE). */
  connected(timeoutMs: number): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.address} (${this.transport}) not connected within ${timeoutMs} ms`)), timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  ask(payload: AskPayload): Question {
    return this.transport === 'sse' ? this.askOverSse(payload) : this.askOverSocket(payload);
  }

  /** Asks once, and once more after a retryable error (reconnected first): the outcomes of both tries. */
  async askWithRetry(payload: AskPayload, timeoutMs: number): Promise<Outcome[]> {
    const first = await this.ask(payload).outcome;
    if (first.kind === 'answered' || !RETRYABLE.has(first.code)) return [first];
    await this.connected(timeoutMs);
    return [first, await this.ask(payload).outcome];
  }

  cancel(id: string): Promise<{ ok: boolean }> {
    return this.socket!.timeout(10_000).emitWithAck('cancel', { id }) as Promise<{ ok: boolean }>;
  }

  getJson(path: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(new URL(path, this.proxyUrl), { agent: this.agent }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => {
          try {
            resolve(JSON.parse(body));
          } catch (error) {
            reject(error);
          }
        });
      });
      request.on('error', reject);
      request.end();
    });
  }

  close(): void {
    this.socket?.close();
    this.agent.destroy();
  }

  private askOverSocket(payload: AskPayload): Question {
    const socket = this.socket!;
    let admit: (id: string | undefined) => void = () => {};
    const admitted = new Promise<string | undefined>((resolve) => (admit = resolve));
    const outcome = new Promise<Outcome>((resolve) => {
      let id: string | undefined;
      const notices: string[] = [];
      const finish = (result: Outcome): void => {
        socket.off('disconnect', onDisconnect);
        socket.off('answer:end', onEnd);
        socket.off('answer:error', onError);
        socket.off('answer:notice', onNotice);
        admit(id);
        resolve(result);
      };
      // The connection lost before the answer ended: the client cannot know more, and may ask again.
      const onDisconnect = (reason: string): void => finish({ kind: 'error', code: 'connection_lost', message: `disconnected (${reason})`, ...(id ? { id } : {}) });
      const onEnd = (payload: { id: string; answer: string }): void => {
        if (payload.id === id) finish({ kind: 'answered', id, answer: payload.answer, notices: [...notices] });
      };
      const onError = (payload: { id: string; code: string; message: string }): void => {
        if (payload.id === id) finish({ kind: 'error', code: payload.code, message: payload.message, id });
      };
      const onNotice = (payload: { id: string; code: string }): void => {
        if (payload.id === id) notices.push(payload.code);
      };
      socket.on('disconnect', onDisconnect);
      socket.on('answer:end', onEnd);
      socket.on('answer:error', onError);
      socket.on('answer:notice', onNotice);
      socket.emit('ask', payload, (ack: AskAck) => {
        if (!ack.ok) return finish({ kind: 'error', code: ack.error.code, message: ack.error.message });
        id = ack.id;
        this.mine.add(ack.id);
        admit(ack.id);
      });
    });
    return { admitted, outcome };
  }

  private askOverSse(payload: AskPayload): Question {
    let admit: (id: string | undefined) => void = () => {};
    const admitted = new Promise<string | undefined>((resolve) => (admit = resolve));
    const outcome = new Promise<Outcome>((resolve) => {
      let settled = false;
      const finish = (result: Outcome): void => {
        if (settled) return;
        settled = true;
        admit(undefined);
        resolve(result);
      };
      const body = JSON.stringify(payload);
      const request = httpRequest(
        new URL('/api/ask', this.proxyUrl),
        { method: 'POST', agent: this.agent, headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'content-length': String(Buffer.byteLength(body)) } },
        (response) => {
          response.setEncoding('utf8');
          let buffer = '';
          const isStream = /^text\/event-stream/.test(String(response.headers['content-type'] ?? ''));
          const notices: string[] = [];
          let id: string | undefined = typeof response.headers['x-answer-id'] === 'string' ? response.headers['x-answer-id'] : undefined;
          if (isStream) admit(id);
          response.on('data', (chunk: string) => {
            buffer += chunk;
            if (!isStream) return;
            let boundary: number;
            while ((boundary = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, boundary);
              buffer = buffer.slice(boundary + 2);
              const event = /^event: (.*)$/m.exec(block)?.[1];
              const data = /^data: (.*)$/m.exec(block)?.[1];
              if (!event || !data) continue;
              const parsed = JSON.parse(data) as { id: string; answer?: string; code?: string; message?: string };
              id ??= parsed.id;
              if (event === 'answer:notice' && parsed.code) notices.push(parsed.code);
              if (event === 'answer:end') finish({ kind: 'answered', id: parsed.id, answer: parsed.answer ?? '', notices });
              if (event === 'answer:error') finish({ kind: 'error', code: parsed.code ?? 'none', message: parsed.message ?? '', id: parsed.id });
            }
          });
          response.on('end', () => {
            if (isStream) return finish({ kind: 'error', code: 'connection_lost', message: 'the stream ended without answer:end', ...(id ? { id } : {}) });
            try {
              const error = (JSON.parse(buffer) as { error: { code: string; message: string } }).error;
              finish({ kind: 'error', code: error.code, message: error.message });
            } catch {
              finish({ kind: 'error', code: `http_${response.statusCode}`, message: buffer.slice(0, 200) });
            }
          });
          const broken = (): void => finish({ kind: 'error', code: 'connection_lost', message: 'the stream broke', ...(id ? { id } : {}) });
          response.on('error', broken);
          response.on('close', broken);
        },
      );
      request.on('error', (error) => finish({ kind: 'error', code: 'connection_lost', message: error.message }));
      request.end(body);
    });
    return { admitted, outcome };
  }
}
