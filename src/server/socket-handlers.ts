// The Socket.IO API: `ask` (acknowledged), `cancel`, and the answer events, each carrying the request id.
// Several answers may run at once on one socket; a disconnect cancels them all. Answers come from the
// answer relay (cancel, deadline, the one terminal event, the server-wide limit); this adapts them. What one connection may
// hold is bounded (connection-budget.ts): answers in flight until sent, output queued for a client that
// does not read. The rate limit is per client address, shared with HTTP, so reconnecting does not reset it.
import type { Server, Socket } from 'socket.io';
import { unknownRegion } from '../assistant.ts';
import { resolveRegion } from '../corpus/regions.ts';
import { AppError, toClientError } from '../errors.ts';
import type { AnswerRelay } from './answer-relay.ts';
import type { AnswersInFlight } from './answers-in-flight.ts';
import { rateLimitKey, type AddressOf } from './client-address.ts';
import { ConnectionBudget, type EngineConnection } from './connection-budget.ts';
import type { ClientToServerEvents, ServerToClientEvents } from './contract.ts';
import { ready, type ServerState } from './http-routes.ts';
import type { RateLimit } from './rate-limiter.ts';
import { relayToSocket } from './socket-answer.ts';
import { askSchema, cancelSchema, parseInput, type AskInput } from './validation.ts';

type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

const KNOWN_EVENTS = new Set(['ask', 'cancel']);

export interface SocketOptions {
  maxInFlightPerSocket: number;
  /** Output queued for one connection (bytes) beyond which the server disconnects it. */
  maxQueuedBytesPerSocket: number;
  answers: AnswersInFlight;
  relay: AnswerRelay;
  /** The client's address from its handshake (the TCP peer, or what a trusted proxy forwarded). */
  addressOf: AddressOf;
}

/** Output one connection may have queued before it is disconnected: a few answers with their sources. */
export const MAX_QUEUED_BYTES_PER_SOCKET = 2 * 1024 * 1024;

export function attachSocketHandlers(io: Server<ClientToServerEvents, ServerToClientEvents>, state: ServerState, limiter: RateLimit, options: SocketOptions): void {
  io.on('connection', (socket: AppSocket) => {
    const budget = new ConnectionBudget(socket.conn as unknown as EngineConnection, { maxInFlight: options.maxInFlightPerSocket, maxQueuedBytes: options.maxQueuedBytesPerSocket });
    const clientKey = rateLimitKey(options.addressOf(socket.request));

    socket.onAny((event: unknown) => {
      if (typeof event !== 'string' || !KNOWN_EVENTS.has(event)) {
        socket.emit('error', { code: 'unknown_event', message: `Unknown event "${String(event).slice(0, 40)}"; this server accepts "ask" and "cancel".` });
        disconnectIfOverQueued(socket, budget);
      }
    });

    socket.on('ask', (payload: unknown, ack?: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (response: unknown) => void) : undefined;
      // Holds a place in the connection's budget from the checks until the answer is admitted or refused.
      let unreserve: (() => void) | undefined;
      void (async () => {
        const input = await admitAsk(payload, { state, limiter, clientKey, budget, answers: options.answers });
        unreserve = budget.reserve();
        // Aborted by `cancel` and by a disconnect (the budget holds it); the relay passes that on.
        const controller = new AbortController();
        const answer = await options.relay.open({ question: input.question, history: input.history ?? [], ...(input.region ? { region: input.region } : {}), ...(input.k ? { k: input.k } : {}), signal: controller.signal });
        unreserve();
        budget.start(answer.id, controller);
        // Gone while the answer was being admitted: nobody will read it.
        if (socket.disconnected) controller.abort();
        reply?.({ ok: true, id: answer.id });
        void relayToSocket(socket, answer, () => disconnectIfOverQueued(socket, budget)).finally(() => budget.finish(answer.id));
      })().catch((error: unknown) => {
        unreserve?.();
        const client = toClientError(error);
        if (reply) reply({ ok: false, error: { code: client.code, message: client.message } });
        else socket.emit('error', { code: client.code, message: client.message });
        disconnectIfOverQueued(socket, budget);
      });
    });

    socket.on('cancel', (payload: unknown, ack?: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (response: unknown) => void) : undefined;
      try {
        const { id } = parseInput(cancelSchema, payload);
        const controller = budget.controller(id);
        if (!controller) throw new AppError('not_found', `No answer in progress with id "${id}".`);
        controller.abort();
        reply?.({ ok: true });
      } catch (error) {
        const client = toClientError(error);
        reply?.({ ok: false, error: { code: client.code, message: client.message } });
      }
    });

    socket.on('disconnect', () => budget.abortAll());
  });
}

/** The checks an ask passes before an answer starts, in the order a client can act on them. */
async function admitAsk(payload: unknown, context: { state: ServerState; limiter: RateLimit; clientKey: string; budget: ConnectionBudget; answers: AnswersInFlight }): Promise<AskInput> {
  if (!context.answers.accepting) throw new AppError('shutting_down', 'The server is shutting down; ask again in a moment.');
  const wait = await context.limiter.take(context.clientKey);
  if (wait > 0) throw new AppError('rate_limited', `Too many questions; try again in ${wait} s.`);
  const input = parseInput(askSchema, payload);
  if (input.region !== undefined && !resolveRegion(input.region)) throw unknownRegion(input.region);
  ready(context.state);
  if (!context.budget.hasRoom()) {
    throw new AppError('rate_limited', `At most ${context.budget.limits.maxInFlight} questions may be in flight on one connection (an answer counts until it has been received); wait for an answer or cancel one.`);
  }
  return input;
}

/** A client that has stopped reading while its output piles up is disconnected; returns whether it was. */
function disconnectIfOverQueued(socket: AppSocket, budget: ConnectionBudget): boolean {
  if (!socket.connected || !budget.overQueued()) return false;
  socket.disconnect(true);
  // Drop what is queued instead of holding it until the client reads (or its heartbeat times out).
  socket.conn.close(true);
  return true;
}
