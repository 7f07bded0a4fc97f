// The HTTP API: thin adapters from requests to the assistant, every input validated, every error in
// the `{ error: { code, message } }` shape.
import express, { type NextFunction, type Request, type Response } from 'express';
import { unknownRegion, type Assistant } from '../assistant.ts';
import { resolveRegion } from '../corpus/regions.ts';
import { AppError, toClientError } from '../errors.ts';
import type { LockStatus } from '../index/writer-lock.ts';
import { AnswerRelay } from './answer-relay.ts';
import { rateLimitKey } from './client-address.ts';
import type { RateLimit } from './rate-limiter.ts';
import { streamAnswerAsSse, wantsEventStream } from './sse-answer.ts';
import { addTargetsRoutes } from './targets-routes.ts';
import { askSchema, parseInput, searchSchema, summaryQuerySchema, type SearchInput } from './validation.ts';

export interface ServerState {
  assistant(): Assistant | undefined;
  health(): Record<string, unknown>;
  /** Who holds the index's writer lock (shown by /healthz as `writerLock`, null when free). */
  writerLock?(): Promise<LockStatus | undefined>;
}

/** The assistant, or the error a client should see while it is not there (still loading, or failed). */
export function ready(state: ServerState): Assistant {
  const assistant = state.assistant();
  if (assistant) return assistant;
  const health = state.health();
  if (health.status === 'failed') throw new AppError('index_corrupt', `The index could not be loaded: ${String(health.message ?? 'unknown error')}`);
  throw new AppError('not_ready', 'The index is still being built; try again in a few seconds (GET /healthz shows progress).');
}

export function sendError(response: Response, error: unknown): void {
  const client = toClientError(error);
  if (client.status === 500) console.error(error);
  if (client.code === 'rate_limited' && error instanceof AppError && typeof (error.cause as { retryAfter?: number })?.retryAfter === 'number') {
    response.setHeader('Retry-After', String((error.cause as { retryAfter: number }).retryAfter));
  }
  response.status(client.status).json({ error: { code: client.code, message: client.message } });
}

/** Wraps an async handler so that a thrown error becomes the error body. */
const handle =
  (handler: (request: Request, response: Response) => Promise<void> | void) =>
  (request: Request, response: Response): void => {
    Promise.resolve()
      .then(() => handler(request, response))
      .catch((error: unknown) => sendError(response, error));
  };

export function createApiRouter(state: ServerState, limiter: RateLimit, relay: AnswerRelay = new AnswerRelay(() => ready(state))): express.Router {
  const router = express.Router();

  router.use((request: Request, response: Response, next: NextFunction) => {
    // request.ip: the TCP peer, or the client a trusted proxy names (TRUST_PROXY).
    void Promise.resolve(limiter.take(rateLimitKey(request.ip))).then((wait) => {
      if (wait === 0) return next();
      response.setHeader('Retry-After', String(wait));
      response.status(429).json({ error: { code: 'rate_limited', message: `Too many requests; try again in ${wait} s.` } });
    }, next);
  });

  router.post(
    '/ask',
    handle(async (request, response) => {
      const input = parseInput(askSchema, request.body);
      if (input.region !== undefined && !resolveRegion(input.region)) throw unknownRegion(input.region);
      const controller = new AbortController();
      response.on('close', () => {
        if (!response.writableEnded) controller.abort();
      });
      const relayRequest = { question: input.question, history: input.history ?? [], ...(input.region ? { region: input.region } : {}), ...(input.k ? { k: input.k } : {}), signal: controller.signal };
      // Accept: text/event-stream — the Socket.IO answer events as Server-Sent Events.
      if (wantsEventStream(request)) return streamAnswerAsSse(request, response, await relay.open(relayRequest));
      const result = await relay.collect(relayRequest);
      response.json(result);
    }),
  );

  const search = async (input: SearchInput, response: Response): Promise<void> => {
    response.json(await ready(state).search(input.q, { ...(input.region ? { region: input.region } : {}), ...(input.k ? { k: input.k } : {}) }));
  };
  router.get(
    '/search',
    handle((request, response) => search(parseInput(searchSchema, request.query), response)),
  );
  // The same search with a JSON body { q, region?, k? }: for queries too long for a URL.
  router.post(
    '/search',
    handle((request, response) => search(parseInput(searchSchema, request.body), response)),
  );

  router.get(
    '/regions',
    handle((_request, response) => {
      response.json({ regions: ready(state).regions() });
    }),
  );

  router.get(
    '/regions/:region/summary',
    handle(async (request, response) => {
      // ?year=2025: that year's report; without it the region's latest.
      const { year } = parseInput(summaryQuerySchema, request.query);
      const controller = new AbortController();
      response.on('close', () => {
        if (!response.writableEnded) controller.abort();
      });
      response.json(await ready(state).summary(String(request.params.region), { ...(year !== undefined ? { year } : {}), signal: controller.signal }));
    }),
  );

  addTargetsRoutes(router, () => ready(state), handle);

  // A whole report to read, with its outline and its passages' places (the page's reader, `#/reports/<id>#p027`).
  router.get(
    '/reports/:id/text',
    handle((request, response) => {
      const id = String(request.params.id);
      if (!/^[a-z0-9-]{2,80}$/.test(id)) throw new AppError('invalid_input', 'id: a report id, lower-case letters, digits and hyphens (GET /api/reports lists them)');
      response.json(ready(state).reportText(id));
    }),
  );

  router.get(
    '/passages/:id',
    handle((request, response) => {
      response.json(ready(state).passage(String(request.params.id)));
    }),
  );

  router.use((request: Request, response: Response) => {
    response.status(404).json({ error: { code: 'not_found', message: `No API route ${request.method} ${request.baseUrl}${request.path.slice(0, 80)}.` } });
  });
  return router;
}
