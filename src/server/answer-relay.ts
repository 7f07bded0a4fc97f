// One relay between the answer pipeline and every transport (Socket.IO, SSE, the OpenAI-compatible route,
// MCP): it admits an answer under the in-flight limits, links cancellation and the deadline to one
// AbortSignal, and yields the pipeline's events with exactly one terminal event (`end` or `error`) last.
// Transports only translate the events into their wire format.
import { randomUUID } from 'node:crypto';
import type { AnswerRequest, collectAnswer } from '../answer/answer-question.ts';
import type { Assistant } from '../assistant.ts';
import { AppError, toClientError, type ErrorCode } from '../errors.ts';
import type { AnswersInFlight } from './answers-in-flight.ts';
import { MemoryLeases, type Leases, type Release } from './leases.ts';
import { LEASE_KEYS } from './shared-state.ts';
import type { AnswerEvent, Source } from '../types.ts';

export interface RelayLimits {
  /** Answers in flight across the whole server (every replica, when the leases are shared); more are refused with `rate_limited`. */
  maxInFlight: number;
  /** Answers in flight for one owner (a socket, an address); more are refused with `rate_limited`. */
  maxInFlightPerOwner: number;
  /** An answer still running after this long ends with `deadline_exceeded` (milliseconds). */
  deadlineMs: number;
}

export const DEFAULT_RELAY_LIMITS: RelayLimits = { maxInFlight: 256, maxInFlightPerOwner: 4, deadlineMs: 60_000 };

export interface RelayRequest extends Omit<AnswerRequest, 'signal'> {
  /** Who asks: answers with the same owner count against maxInFlightPerOwner. */
  owner?: string;
  /** Aborted when the client goes away (connection closed, socket disconnected). */
  signal?: AbortSignal;
  /** Overrides the owner limit for this owner (Socket.IO's MAX_IN_FLIGHT_PER_SOCKET). */
  maxInFlightPerOwner?: number;
}

/** One admitted answer: its id, its events (iterate once), and a way to cancel it. */
export interface RelayedAnswer {
  readonly id: string;
  readonly events: AsyncIterable<AnswerEvent>;
  cancel(): void;
}

/** The answer collected whole: the same shape as the pipeline's own collectAnswer (POST /api/ask's body). */
export type CollectedAnswer = Awaited<ReturnType<typeof collectAnswer>>;

const CANCELLED = 'cancelled';
const DEADLINE = 'deadline';

export class AnswerRelay {
  private inFlight = 0;
  private readonly byOwner = new Map<string, number>();

  constructor(
    /** The assistant, or throws the error a client should see while there is none (see `ready`). */
    private readonly assistant: () => Pick<Assistant, 'answer'>,
    readonly limits: RelayLimits = DEFAULT_RELAY_LIMITS,
    /** The server's register of running answers, which a shutdown drains (aborting with `shutting_down`). */
    private readonly registry?: AnswersInFlight,
    /** Where the places of maxInFlight are counted: this process, or every replica (Redis). */
    private readonly places: Leases = new MemoryLeases(),
  ) {}

  /** Answers in flight now on this process (for health and tests). */
  get active(): number {
    return this.inFlight;
  }

  /**
   * Admits one answer or rejects with an AppError (`not_ready`, `rate_limited`, `shutting_down`) before
   * anything is sent, so a transport can refuse it in its own way (an ack, a status code).
   */
  async open(request: RelayRequest): Promise<RelayedAnswer> {
    const assistant = this.assistant();
    const owner = request.owner;
    const ownerLimit = request.maxInFlightPerOwner ?? this.limits.maxInFlightPerOwner;
    if (owner !== undefined && (this.byOwner.get(owner) ?? 0) >= ownerLimit) {
      throw new AppError('rate_limited', `At most ${ownerLimit} questions may be in flight at once from one client; wait for an answer or cancel one.`);
    }
    // The owner's place is held while the server-wide one is being taken, so that asks arriving meanwhile count it.
    if (owner !== undefined) this.byOwner.set(owner, (this.byOwner.get(owner) ?? 0) + 1);
    const releaseOwner = (): void => {
      if (owner === undefined) return;
      const left = (this.byOwner.get(owner) ?? 1) - 1;
      if (left > 0) this.byOwner.set(owner, left);
      else this.byOwner.delete(owner);
    };
    let place: Release | undefined;
    try {
      place = await this.places.acquire(LEASE_KEYS.inFlight, this.limits.maxInFlight);
    } finally {
      if (!place) releaseOwner();
    }
    if (!place) throw new AppError('rate_limited', `The server is answering ${this.limits.maxInFlight} questions already; try again in a moment.`);
    const controller = new AbortController();
    let unregister: (() => void) | undefined;
    try {
      // Throws shutting_down once a shutdown began; a drain aborts the controller with that error as reason.
      unregister = this.registry?.enter(controller);
    } catch (error) {
      place();
      releaseOwner();
      throw error;
    }
    const placeHeld = place;
    this.inFlight++;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      unregister?.();
      placeHeld();
      this.inFlight--;
      releaseOwner();
    };

    const abort = (why: string): void => {
      if (!controller.signal.aborted) controller.abort(why);
    };
    // A reason that is an AppError (a shutdown) is what the client should hear; any other abort is a cancel.
    const onClientGone = (): void => {
      const reason: unknown = request.signal?.reason;
      if (reason instanceof AppError && !controller.signal.aborted) controller.abort(reason);
      else abort(CANCELLED);
    };
    if (request.signal?.aborted) onClientGone();
    else request.signal?.addEventListener('abort', onClientGone, { once: true });
    const timer = setTimeout(() => abort(DEADLINE), this.limits.deadlineMs);
    timer.unref?.();
    const dispose = (): void => {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onClientGone);
      release();
    };

    const { owner: _owner, signal: _signal, maxInFlightPerOwner: _limit, ...answerRequest } = request;
    const limits = this.limits;
    let started = false;
    let events: AsyncGenerator<AnswerEvent> | undefined;
    /** The pipeline's events up to its terminal one; returns how it stopped. */
    async function* pump(): AsyncGenerator<AnswerEvent, 'terminal' | 'aborted' | 'ended'> {
      const aborted = new Promise<'aborted'>((resolve) => {
        if (controller.signal.aborted) resolve('aborted');
        else controller.signal.addEventListener('abort', () => resolve('aborted'), { once: true });
      });
      try {
        if (controller.signal.aborted) return 'aborted';
        events = assistant.answer({ ...answerRequest, signal: controller.signal });
        for (;;) {
          const next = await Promise.race([events.next(), aborted]);
          if (next === 'aborted' || controller.signal.aborted) return 'aborted';
          if (next.done) return 'ended';
          yield next.value;
          if (next.value.type === 'end' || next.value.type === 'error') return 'terminal';
        }
      } catch (error) {
        if (controller.signal.aborted) return 'aborted';
        const client = toClientError(error);
        if (client.status === 500) console.error(error);
        yield { type: 'error', code: client.code, message: client.message };
        return 'terminal';
      }
    }
    async function* relay(): AsyncGenerator<AnswerEvent> {
      try {
        const outcome = yield* pump();
        if (outcome === 'ended') yield { type: 'error', code: 'internal' satisfies ErrorCode, message: 'The answer pipeline ended without an answer.' };
        else if (outcome === 'aborted') {
          const reason: unknown = controller.signal.reason;
          if (reason instanceof AppError) yield { type: 'error', code: reason.code, message: reason.message };
          else yield reason === DEADLINE
            ? { type: 'error', code: 'deadline_exceeded' satisfies ErrorCode, message: `No answer within ${Math.round(limits.deadlineMs / 1000)} s; try a narrower question.` }
            : { type: 'error', code: 'cancelled' satisfies ErrorCode, message: 'The answer was cancelled.' };
        }
      } finally {
        // Runs when the answer ended, was aborted, or the transport stopped reading (break, return()).
        abort(CANCELLED);
        dispose();
        void events?.return(undefined).catch(() => {});
      }
    }
    const generator = relay();
    return {
      id: randomUUID(),
      events: {
        [Symbol.asyncIterator]: () => {
          if (started) throw new Error('A relayed answer can be read once.');
          started = true;
          return generator;
        },
      },
      cancel: () => {
        abort(CANCELLED);
        // Never read: nothing else will free its place.
        if (!started) dispose();
      },
    };
  }

  /** Runs one answer to its end and returns it whole (POST /api/ask, the OpenAI route without streaming, MCP). */
  async collect(request: RelayRequest): Promise<CollectedAnswer> {
    const answer = await this.open(request);
    let regions: string[] = [];
    let query = request.question;
    let sources: Source[] = [];
    const notices: { code: string; message: string }[] = [];
    for await (const event of answer.events) {
      if (event.type === 'start') {
        regions = event.regions;
        query = event.query;
      } else if (event.type === 'sources') sources = event.sources;
      else if (event.type === 'notice') notices.push({ code: event.code, message: event.message });
      else if (event.type === 'error') throw new AppError(event.code as ErrorCode, event.message);
      else if (event.type === 'end') {
        return { answer: event.answer, mode: event.mode, grounded: event.grounded, regions, query, sources, citations: event.citations, flagged: event.flagged, notices, ...(event.refusal ? { refusal: event.refusal } : {}) };
      }
    }
    throw new AppError('internal', 'The answer pipeline ended without an answer.');
  }
}
