// The Socket.IO API: `ask` (acknowledged), `cancel`, and the answer events, each carrying the request id.
// Several answers may run at once on one socket; a disconnect cancels them all.
import { randomUUID } from 'node:crypto';
import type { Server, Socket } from 'socket.io';
import { unknownRegion } from '../assistant.ts';
import { resolveRegion } from '../corpus/regions.ts';
import { AppError, toClientError } from '../errors.ts';
import type { ClientToServerEvents, ServerToClientEvents } from './contract.ts';
import { ready, type ServerState } from './http-routes.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { askSchema, cancelSchema, parseInput } from './validation.ts';

type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

const KNOWN_EVENTS = new Set(['ask', 'cancel']);

export function attachSocketHandlers(io: Server<ClientToServerEvents, ServerToClientEvents>, state: ServerState, limiter: RateLimiter, options: { maxInFlightPerSocket: number }): void {
  io.on('connection', (socket: AppSocket) => {
    const inFlight = new Map<string, AbortController>();

    socket.onAny((event: unknown) => {
      if (typeof event !== 'string' || !KNOWN_EVENTS.has(event)) {
        socket.emit('error', { code: 'unknown_event', message: `Unknown event "${String(event).slice(0, 40)}"; this server accepts "ask" and "cancel".` });
      }
    });

    socket.on('ask', (payload: unknown, ack?: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (response: unknown) => void) : undefined;
      const fail = (error: unknown): void => {
        const client = toClientError(error);
        if (reply) reply({ ok: false, error: { code: client.code, message: client.message } });
        else socket.emit('error', { code: client.code, message: client.message });
      };
      try {
        const wait = limiter.take(`socket:${socket.id}`);
        if (wait > 0) throw new AppError('rate_limited', `Too many questions; try again in ${wait} s.`);
        const input = parseInput(askSchema, payload);
        if (input.region !== undefined && !resolveRegion(input.region)) throw unknownRegion(input.region);
        const assistant = ready(state);
        if (inFlight.size >= options.maxInFlightPerSocket) {
          throw new AppError('rate_limited', `At most ${options.maxInFlightPerSocket} questions may be in flight on one connection; wait for an answer or cancel one.`);
        }
        const id = randomUUID();
        const controller = new AbortController();
        inFlight.set(id, controller);
        reply?.({ ok: true, id });
        void stream(socket, id, controller, () => assistant.answer({ question: input.question, history: input.history ?? [], ...(input.region ? { region: input.region } : {}), ...(input.k ? { k: input.k } : {}), signal: controller.signal })).finally(() => inFlight.delete(id));
      } catch (error) {
        fail(error);
      }
    });

    socket.on('cancel', (payload: unknown, ack?: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (response: unknown) => void) : undefined;
      try {
        const { id } = parseInput(cancelSchema, payload);
        const controller = inFlight.get(id);
        if (!controller) throw new AppError('not_found', `No answer in progress with id "${id}".`);
        controller.abort();
        reply?.({ ok: true });
      } catch (error) {
        const client = toClientError(error);
        reply?.({ ok: false, error: { code: client.code, message: client.message } });
      }
    });

    socket.on('disconnect', () => {
      for (const controller of inFlight.values()) controller.abort();
      inFlight.clear();
      limiter.forget(`socket:${socket.id}`);
    });
  });
}

/** Relays one answer's events to the socket; exactly one answer:end or answer:error closes it. */
async function stream(socket: AppSocket, id: string, controller: AbortController, run: () => AsyncGenerator<import('../types.ts').AnswerEvent>): Promise<void> {
  const events = run();
  let closed = false;
  const cancelled = new Promise<'cancelled'>((resolve) => controller.signal.addEventListener('abort', () => resolve('cancelled'), { once: true }));
  try {
    for (;;) {
      const next = await Promise.race([events.next(), cancelled]);
      if (next === 'cancelled') break;
      if (next.done) break;
      const event = next.value;
      if (controller.signal.aborted) break;
      switch (event.type) {
        case 'start':
          socket.emit('answer:start', { id, mode: event.mode, regions: event.regions, query: event.query });
          break;
        case 'sources':
          socket.emit('answer:sources', { id, sources: event.sources });
          break;
        case 'text-delta':
          socket.emit('answer:delta', { id, text: event.text });
          break;
        case 'notice':
          socket.emit('answer:notice', { id, code: event.code, message: event.message });
          break;
        case 'end':
          closed = true;
          socket.emit('answer:end', { id, answer: event.answer, citations: event.citations, grounded: event.grounded, mode: event.mode, flagged: event.flagged });
          break;
        case 'error':
          closed = true;
          socket.emit('answer:error', { id, code: event.code, message: event.message });
          break;
      }
      if (closed) break;
    }
  } catch (error) {
    const client = toClientError(error);
    closed = true;
    socket.emit('answer:error', { id, code: client.code, message: client.message });
  } finally {
    if (!closed) {
      socket.emit('answer:error', { id, code: 'cancelled', message: 'The answer was cancelled.' });
      void events.return(undefined);
    }
  }
}
