// The integration surfaces mounted on the app: the API-key guard for /api and Socket.IO, the
// OpenAI-compatible routes at /v1 and MCP at /mcp, all over one answer relay.
import type { NextFunction, Request, Response } from 'express';
import type express from 'express';
import type { Server } from 'socket.io';
import type { AnswerRelay } from './answer-relay.ts';
import { UNAUTHORIZED_MESSAGE, type ApiKeys } from './api-keys.ts';
import { createMcpRouter } from './mcp-http.ts';
import type { Assistant } from '../assistant.ts';
import { rateLimitKey } from './client-address.ts';
import { createOpenAiRouter } from './openai-routes.ts';
import type { RateLimit } from './rate-limiter.ts';

/** Guards /api: the project's error shape, 401 with `WWW-Authenticate: Bearer`. */
export function requireApiKey(keys: ApiKeys) {
  return (request: Request, response: Response, next: NextFunction): void => {
    if (keys.acceptsHeaders(request.headers)) return next();
    response.setHeader('WWW-Authenticate', 'Bearer');
    response.status(401).json({ error: { code: 'unauthorized', message: UNAUTHORIZED_MESSAGE } });
  };
}

/** Guards Socket.IO: the key in `auth: { token }` of the handshake, or an Authorization header. */
export function guardSockets(io: Server, keys: ApiKeys): void {
  if (!keys.required) return;
  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (keys.accepts(typeof token === 'string' ? token : undefined) || keys.acceptsHeaders(socket.handshake.headers)) return next();
    const error = new Error('unauthorized') as Error & { data?: unknown };
    error.data = { code: 'unauthorized', message: UNAUTHORIZED_MESSAGE };
    next(error);
  });
}

/** Mounts /v1 (OpenAI-compatible) and /mcp, under the per-address rate limit the API shares with Socket.IO. */
export function mountIntegrations(app: express.Express, dependencies: { relay: AnswerRelay; keys: ApiKeys; limiter?: RateLimit; assistant: () => Assistant }): void {
  const limited = async (request: Request): Promise<number> => (await dependencies.limiter?.take(rateLimitKey(request.ip))) ?? 0;
  app.use('/v1', createOpenAiRouter({ relay: dependencies.relay, keys: dependencies.keys, limited }));
  app.use('/mcp', createMcpRouter({ relay: dependencies.relay, keys: dependencies.keys, limited, assistant: dependencies.assistant }));
}
