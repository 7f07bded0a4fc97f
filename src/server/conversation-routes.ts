// Conversations kept on the server, feedback on answers, and share links, over HTTP. A conversation belongs
// to an owner: the API key when API_KEYS is set (every browser using that key sees the same list), else the
// browser, which sends a random id of its own in `X-Client-Id`. A share link (`GET /api/shared/:token`) opens
// read-only for anyone who has it, with or without a key; its owner can revoke it.
import { createHash } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Store } from '../conversations/conversation-store.ts';
import { conversationSchema, feedbackInputSchema, idSchema } from '../conversations/records.ts';
import { AppError } from '../errors.ts';
import { keyFromHeaders, type ApiKeys } from './api-keys.ts';
import { rateLimitKey } from './client-address.ts';
import { sendError } from './http-routes.ts';
import type { RateLimit } from './rate-limiter.ts';
import { parseInput } from './validation.ts';

/** A whole conversation is saved at once: up to 200 answers with their sources. */
export const CONVERSATION_BODY_LIMIT = '4mb';

const CLIENT_ID = /^[A-Za-z0-9_-]{16,128}$/;

const listQuerySchema = z.object({
  q: z.string().max(200, 'q must be at most 200 characters').optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
const renameSchema = z.object({ title: z.string({ message: 'title must be a string' }).trim().min(1, 'title must not be empty').max(200) }, { message: 'the body must be { title }' });
const tokenSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, { message: 'not a share link token' });

const digest = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 32);

/** Whose conversations a request reads and writes; the key or client id is stored only as a hash. */
export function ownerOf(request: Request, keys: ApiKeys): string {
  if (keys.required) {
    // requireApiKey has checked it already.
    return `key:${digest(keyFromHeaders(request.headers) ?? '')}`;
  }
  const client = request.headers['x-client-id'];
  if (typeof client !== 'string' || !CLIENT_ID.test(client)) {
    throw new AppError('invalid_input', 'Conversations belong to a browser: send "X-Client-Id: <a random id of 16–128 letters, digits, _ or ->", the same on every request (the page makes one and keeps it).');
  }
  return `client:${digest(client)}`;
}

const handle =
  (handler: (request: Request, response: Response) => Promise<void>) =>
  (request: Request, response: Response): void => {
    handler(request, response).catch((error: unknown) => sendError(response, error));
  };

function limited(limiter: RateLimit) {
  return (request: Request, response: Response, next: NextFunction): void => {
    // request.ip: the client behind a trusted proxy (TRUST_PROXY), else the peer.
    void Promise.resolve(limiter.take(`conversations:${rateLimitKey(request.ip)}`)).then((wait) => {
      if (wait > 0) return sendError(response, new AppError('rate_limited', `Too many requests; try again in ${wait} s.`, { cause: { retryAfter: wait } }));
      next();
    }, next);
  };
}

const notFound = (id: string): AppError => new AppError('not_found', `No conversation "${id.slice(0, 64)}" is kept for you here.`);

/** `/api/conversations` and `/api/feedback`, behind the API-key check. */
export function createConversationsRouter(store: Store, keys: ApiKeys, limiter: RateLimit): express.Router {
  const router = express.Router();
  router.use(limited(limiter));

  router.get(
    '/conversations',
    handle(async (request, response) => {
      const query = parseInput(listQuerySchema, request.query);
      const conversations = await store.list(ownerOf(request, keys), { ...(query.q ? { query: query.q } : {}), ...(query.limit ? { limit: query.limit } : {}) });
      response.json({ conversations });
    }),
  );

  router.get(
    '/conversations/:id',
    handle(async (request, response) => {
      const owner = ownerOf(request, keys);
      const id = parseInput(idSchema, request.params.id);
      const found = await store.get(owner, id);
      if (!found) throw notFound(id);
      const feedback = (await store.feedbackOn(owner, id)).map((item) => ({ exchangeId: item.exchangeId, rating: item.rating, ...(item.reason ? { reason: item.reason } : {}), ...(item.comment ? { comment: item.comment } : {}) }));
      response.json({ ...found, feedback });
    }),
  );

  router.put(
    '/conversations/:id',
    handle(async (request, response) => {
      const owner = ownerOf(request, keys);
      const id = parseInput(idSchema, request.params.id);
      const conversation = parseInput(conversationSchema, request.body);
      if (conversation.id !== id) throw new AppError('invalid_input', `The body's id "${conversation.id}" is not the id in the path "${id}".`);
      await store.save(owner, conversation);
      response.json({ id, updatedAt: conversation.updatedAt, exchanges: conversation.exchanges.length });
    }),
  );

  router.patch(
    '/conversations/:id',
    handle(async (request, response) => {
      const id = parseInput(idSchema, request.params.id);
      const { title } = parseInput(renameSchema, request.body);
      if (!(await store.rename(ownerOf(request, keys), id, title))) throw notFound(id);
      response.json({ id, title });
    }),
  );

  router.delete(
    '/conversations/:id',
    handle(async (request, response) => {
      const id = parseInput(idSchema, request.params.id);
      if (!(await store.remove(ownerOf(request, keys), id))) throw notFound(id);
      response.json({ id, removed: true });
    }),
  );

  router.post(
    '/conversations/:id/share',
    handle(async (request, response) => {
      const id = parseInput(idSchema, request.params.id);
      const share = await store.share(ownerOf(request, keys), id);
      if (!share) throw notFound(id);
      response.json({ ...share, path: `#/s/${share.token}` });
    }),
  );

  router.delete(
    '/conversations/:id/share',
    handle(async (request, response) => {
      const id = parseInput(idSchema, request.params.id);
      response.json({ id, revoked: await store.unshare(ownerOf(request, keys), id) });
    }),
  );

  router.put(
    '/feedback/:exchangeId',
    handle(async (request, response) => {
      const exchangeId = parseInput(idSchema, request.params.exchangeId);
      const input = parseInput(feedbackInputSchema, request.body);
      if (input.rating === 'up' && input.reason && input.reason !== 'other') throw new AppError('invalid_input', `reason "${input.reason}" goes with a thumbs down, not a thumbs up.`);
      const feedback = await store.putFeedback(ownerOf(request, keys), exchangeId, input);
      response.json({ exchangeId, rating: feedback.rating, ...(feedback.reason ? { reason: feedback.reason } : {}), createdAt: feedback.createdAt, updatedAt: feedback.updatedAt });
    }),
  );

  router.delete(
    '/feedback/:exchangeId',
    handle(async (request, response) => {
      const exchangeId = parseInput(idSchema, request.params.exchangeId);
      response.json({ exchangeId, removed: await store.removeFeedback(ownerOf(request, keys), exchangeId) });
    }),
  );

  return router;
}

/** `GET /api/shared/:token`: open to anyone with the link (mounted before the API-key check). */
export function createSharedRouter(store: Store, limiter: RateLimit): express.Router {
  const router = express.Router();
  router.use(limited(limiter));
  router.get(
    '/:token',
    handle(async (request, response) => {
      const token = parseInput(tokenSchema, request.params.token);
      const shared = await store.shared(token);
      if (!shared) throw new AppError('not_found', 'This share link does not exist: check that it was copied whole.');
      if (shared.state === 'revoked') throw new AppError('gone', 'The owner of this conversation has stopped sharing it.');
      const { conversation, share } = shared;
      // Read-only: the owner's id for it is not needed to read it.
      response.setHeader('Cache-Control', 'no-store');
      response.json({ conversation: { title: conversation.title, createdAt: conversation.createdAt, updatedAt: conversation.updatedAt, exchanges: conversation.exchanges }, share: { exchanges: share.exchanges, createdAt: share.createdAt } });
    }),
  );
  return router;
}
