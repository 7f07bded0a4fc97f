// Composes the HTTP app (Host check, security headers, CORS, JSON bodies, the API, the web page) and
// Socket.IO on one http.Server with its limits: request and header timeouts, connections and sessions
// per client address, and a graceful close. Knows nothing of how the assistant is built.
import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { Server } from 'socket.io';
import { createHostCheck, type HostCheck } from './allowed-hosts.ts';
import { AnswersInFlight } from './answers-in-flight.ts';
import { limitConnections } from './connection-limits.ts';
import type { ClientToServerEvents, ServerToClientEvents } from './contract.ts';
import { createAddressReader, rateLimitKey, type AddressOf } from './client-address.ts';
import { answerClientError } from './http-client-errors.ts';
import { createApiRouter, ready, sendError, type ServerState } from './http-routes.ts';
import { createReportsRouter } from './report-routes.ts';
import type { ReportsService } from '../reports-service.ts';
import { BODY_LIMIT, jsonBody } from './json-body.ts';
import { attachSocketHandlers, MAX_QUEUED_BYTES_PER_SOCKET } from './socket-handlers.ts';
import { AnswerRelay, DEFAULT_RELAY_LIMITS, type RelayLimits } from './answer-relay.ts';
import type { Leases, Release } from './leases.ts';
import { createMemoryState, LEASE_KEYS, type SharedState } from './shared-state.ts';
import { ApiKeys } from './api-keys.ts';
import { guardSockets, mountIntegrations, requireApiKey } from './integrations.ts';
import { CONVERSATION_BODY_LIMIT, createConversationsRouter, createSharedRouter } from './conversation-routes.ts';
import type { Store } from '../conversations/conversation-store.ts';
import { AppError } from '../errors.ts';

export { BODY_LIMIT } from './json-body.ts';

export interface ApplicationOptions {
  rateLimitPerMinute: number;
  corsOrigins: string[];
  maxInFlightPerSocket: number;
  /** Host names accepted in the Host header (`*` = any). Defaults to the loopback names. */
  allowedHosts?: string[];
  requestTimeoutMs?: number;
  headersTimeoutMs?: number;
  /** 0 = no cap. */
  maxConnectionsPerAddress?: number;
  maxSessionsPerAddress?: number;
  /** The folder of the built web page (ui/site/, written by npm run build:ui): only what the page needs. */
  uiDir?: string;
  /** Bearer keys for /api, /v1, /mcp and Socket.IO; none: open. */
  apiKeys?: string[];
  /** The server-wide in-flight limit and the deadline of every answer, whatever the transport. */
  relayLimits?: Partial<RelayLimits>;
  /** GET/POST/DELETE /api/reports (writing only with an admin token). */
  reports?: { service: ReportsService; adminToken?: string; maxUploadBytes: number };
  /** Proxies whose X-Forwarded-For names the client (TRUST_PROXY); none: the TCP peer is the client. */
  trustedProxies?: string[];
  /** Rate limits, caps and broadcasts shared with other replicas (Redis); default: this process's memory. */
  shared?: SharedState;
  /** This replica's name in /healthz (REPLICA_NAME). */
  replicaName?: string;
  /** Conversations, share links and feedback kept on the server (/api/conversations, /api/shared, /api/feedback). */
  conversations?: Store;
}

export interface Application {
  app: express.Express;
  httpServer: HttpServer;
  io: Server<ClientToServerEvents, ServerToClientEvents>;
  /** The one relay every transport takes its answers from. */
  relay: AnswerRelay;
  /**
   * Stops taking connections and questions, lets answers in flight finish for `graceMs`, cancels the
   * rest (answer:error shutting_down), then closes every connection, slow uploads and websockets included.
   */
  close(graceMs: number): Promise<{ finished: number; cancelled: number }>;
}

/** Socket.IO frames up to this size are read, so that an over-long question gets invalid_input rather than a bare disconnect. */
export const FRAME_LIMIT_BYTES = 1024 * 1024;
/** Room for a GET /api/search of the contract's 2,000 characters, percent-encoded (9 bytes a Chinese character). */
export const MAX_HEADER_BYTES = 32 * 1024;
export const DEFAULT_UI_DIR = fileURLToPath(new URL('../../ui/site/', import.meta.url));
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

function corsMiddleware(origins: string[]) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const origin = request.headers.origin;
    if (origin && (origins.includes(origin) || origins.includes('*'))) {
      response.setHeader('Access-Control-Allow-Origin', origins.includes('*') ? '*' : origin);
      response.setHeader('Vary', 'Origin');
      response.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
      response.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization, X-Client-Id');
    }
    if (request.method === 'OPTIONS') {
      response.status(204).end();
      return;
    }
    next();
  };
}

const hostRefusal = (host: string | undefined): AppError =>
  new AppError('host_not_allowed', `This server does not answer to the host name "${String(host ?? '').slice(0, 80)}"; add it to ALLOWED_HOSTS to allow it.`);

/** /healthz and /readyz stay open to any Host, for load balancers and container checks that probe by IP. */
function hostMiddleware(allowed: HostCheck) {
  return (request: Request, response: Response, next: NextFunction): void => {
    if (allowed(request.headers.host) || request.path === '/healthz' || request.path === '/readyz') return next();
    sendError(response, hostRefusal(request.headers.host));
  };
}

/**
 * Helmet's headers. `upgrade-insecure-requests` and HSTS only for requests that came over TLS: over plain
 * HTTP under any host name but localhost they would make the browser fetch the page's script over https.
 */
function securityHeaders() {
  const directives = {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'", 'ws:', 'wss:'],
    fontSrc: ["'self'", 'data:'],
    objectSrc: ["'none'"],
    frameAncestors: ["'none'"],
  };
  const plain = helmet({ contentSecurityPolicy: { directives: { ...directives, upgradeInsecureRequests: null } }, strictTransportSecurity: false });
  const secure = helmet({ contentSecurityPolicy: { directives } });
  return (request: Request, response: Response, next: NextFunction): void => (request.secure ? secure : plain)(request, response, next);
}

export function createApplication(state: ServerState, options: ApplicationOptions): Application {
  const allowedHost = createHostCheck(options.allowedHosts ?? LOOPBACK_HOSTS);
  const answers = new AnswersInFlight();
  const keys = new ApiKeys(options.apiKeys ?? []);
  const shared = options.shared ?? createMemoryState({ rateLimitPerMinute: options.rateLimitPerMinute });
  const addressOf = createAddressReader(options.trustedProxies ?? []);
  // Per-connection limits stay with Socket.IO's connection budget (it counts an answer until it was sent).
  const relay = new AnswerRelay(() => ready(state), { ...DEFAULT_RELAY_LIMITS, ...options.relayLimits }, answers, shared.leases);
  const app = express();
  app.disable('x-powered-by');
  // request.ip is the client: the TCP peer, or what a trusted proxy forwarded (the rule addressOf follows).
  app.set('trust proxy', options.trustedProxies && options.trustedProxies.length > 0 ? options.trustedProxies : false);
  app.use(hostMiddleware(allowedHost));
  app.use((_request: Request, response: Response, next: NextFunction) => {
    if (answers.accepting) return next();
    response.setHeader('Connection', 'close');
    sendError(response, new AppError('shutting_down', 'The server is shutting down; try again in a moment.'));
  });
  app.use(securityHeaders());
  app.use(corsMiddleware(options.corsOrigins));
  // Liveness of this replica: 200 while it runs (status `degraded` while its shared state is unreachable).
  app.get('/healthz', async (_request, response) => {
    const health = state.health();
    const sharedHealth = shared.health();
    const writerLock = state.writerLock ? { writerLock: (await state.writerLock().catch(() => undefined)) ?? null } : {};
    const degraded = sharedHealth.store === 'redis' && sharedHealth.state !== 'ready' && health.status === 'ok';
    response.status(health.status === 'failed' ? 503 : 200).json({
      ...health,
      ...(degraded ? { status: 'degraded' } : {}),
      ...(options.replicaName ? { replica: options.replicaName } : {}),
      ...writerLock,
      shared: sharedHealth,
      answersInFlight: relay.active,
      sessions: io.engine.clientsCount,
    });
  });
  // Readiness: 200 when this replica can answer with everything it depends on (the index, and Redis when configured).
  app.get('/readyz', (_request, response) => {
    const health = state.health();
    const sharedHealth = shared.health();
    const checks = { index: health.ready === true, shared: sharedHealth.store === 'memory' || sharedHealth.state === 'ready' };
    response.status(checks.index && checks.shared ? 200 : 503).json({ ready: checks.index && checks.shared, checks, ...(options.replicaName ? { replica: options.replicaName } : {}), shared: sharedHealth });
  });
  // Multipart uploads: mounted before the JSON parser, which would read any body as JSON, and before the
  // API-key check: writing carries the admin token in the same Authorization header; reading takes either.
  if (options.reports) {
    const { service, ...reportOptions } = options.reports;
    // A budget of its own (the key's prefix), so that uploading does not use up the questions' budget.
    app.use('/api/reports', (request: Request, response: Response, next: NextFunction) => {
      void Promise.resolve(shared.limiter.take(`reports:${rateLimitKey(request.ip)}`)).then((wait) => {
        if (wait > 0) return void response.setHeader('Retry-After', String(wait)).status(429).json({ error: { code: 'rate_limited', message: `Too many requests; try again in ${wait} s.` } });
        next();
      }, next);
    }, createReportsRouter(service, { ...reportOptions, allowRead: (request) => keys.acceptsHeaders(request.headers) }));
  }
  // Conversations have a budget of their own (the key's prefix): saving after every answer must not use up
  // the questions'. Shared across replicas like the others.
  const conversationsLimiter = shared.limiter;
  // A share link opens for anyone who has it, key or not.
  if (options.conversations) app.use('/api/shared', createSharedRouter(options.conversations, conversationsLimiter));
  app.use('/api', requireApiKey(keys));
  if (options.conversations) {
    app.use(['/api/conversations', '/api/feedback'], jsonBody(CONVERSATION_BODY_LIMIT));
    app.use('/api', createConversationsRouter(options.conversations, keys, conversationsLimiter));
  }
  app.use('/api', jsonBody());
  // One limiter for HTTP and Socket.IO, keyed by client address.
  const limiter = shared.limiter;
  app.use('/api', createApiRouter(state, limiter, relay));
  mountIntegrations(app, { relay, keys, limiter, assistant: () => ready(state) });
  // Only the built page is served (ui/site/): no spelling of a path reaches sources or configuration.
  // No caching: a rebuilt page (npm run build:ui) is picked up on the next load.
  app.use(express.static(options.uiDir ?? DEFAULT_UI_DIR, { index: 'index.html', fallthrough: true, maxAge: 0 }));
  app.use((request: Request, response: Response) => {
    response.status(404).json({ error: { code: 'not_found', message: `Nothing at ${request.method} ${request.path.slice(0, 80)}.` } });
  });
  // Errors from the body parser and anything else thrown before a route answered.
  app.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') {
      const limit = (error as { limit?: number }).limit;
      return sendError(response, new AppError('payload_too_large', `The request body is larger than ${limit ? `${Math.round(limit / 1024)}kb` : BODY_LIMIT}.`));
    }
    if (type === 'entity.parse.failed') return sendError(response, new AppError('invalid_input', 'The request body is not valid JSON.'));
    if (type === 'encoding.unsupported' || type === 'charset.unsupported') return sendError(response, new AppError('invalid_input', 'The request body must be UTF-8 JSON.'));
    if ((error as { status?: number }).status === 400) return sendError(response, new AppError('invalid_input', 'The request could not be read.'));
    sendError(response, error);
  });

  const httpServer = createServer(
    {
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      headersTimeout: options.headersTimeoutMs ?? 10_000,
      // How often Node checks those timeouts (its default, 30 s, would let a slow body live a minute).
      connectionsCheckingInterval: 1000,
      maxHeaderSize: MAX_HEADER_BYTES,
    },
    app,
  );
  httpServer.on('clientError', (error: Error & { code?: string }, socket) => answerClientError(error, socket, MAX_HEADER_BYTES));
  const connections = limitConnections(httpServer, options.maxConnectionsPerAddress ?? 0);
  const sessions = new SessionPlaces(shared.leases, options.maxSessionsPerAddress ?? 0, addressOf);

  const io = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    maxHttpBufferSize: FRAME_LIMIT_BYTES,
    cors: { origin: options.corsOrigins.length > 0 ? options.corsOrigins : false },
    serveClient: false,
    ...(shared.adapter ? { adapter: shared.adapter } : {}),
    // Called for each new session (not for the requests of an existing one). Socket.IO's cors option
    // covers only HTTP polling; websocket upgrades are checked here. Clients that send no Origin (servers,
    // scripts) are allowed; browsers only from this origin or CORS_ORIGINS.
    allowRequest: (request, callback) => {
      const refusal = refuseSession(request, { allowedHost, corsOrigins: options.corsOrigins });
      if (refusal) return callback(refusal, false);
      void sessions.admit(request).then(
        (admitted) => callback(admitted ? null : `too many sessions from this address (at most ${sessions.cap}; MAX_SESSIONS_PER_ADDRESS)`, admitted),
        () => callback('the session could not be opened; try again', false),
      );
    },
  });
  io.engine.on('connection', (engineSocket: { request: IncomingMessage; once(event: 'close', listener: () => void): void }) => {
    engineSocket.once('close', sessions.opened(engineSocket.request));
  });
  guardSockets(io as unknown as Server, keys);
  attachSocketHandlers(io, state, limiter, { maxInFlightPerSocket: options.maxInFlightPerSocket, maxQueuedBytesPerSocket: MAX_QUEUED_BYTES_PER_SOCKET, answers, relay, addressOf });

  let closing: Promise<{ finished: number; cancelled: number }> | undefined;
  const close = (graceMs: number): Promise<{ finished: number; cancelled: number }> =>
    (closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      const outcome = await answers.drain(graceMs);
      // The last events go out with the disconnect; a client that does not read them is cut a moment later.
      io.local.disconnectSockets(true);
      httpServer.closeIdleConnections();
      await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, Math.min(1000, Math.max(100, graceMs))))]);
      io.close();
      httpServer.closeAllConnections();
      connections.destroyAll();
      await stopped;
      return outcome;
    })());
  return { app, httpServer, io, relay, close };
}

/** The Socket.IO handshake checks of the Host and the Origin: the refusal, or undefined. */
function refuseSession(request: IncomingMessage, context: { allowedHost: HostCheck; corsOrigins: string[] }): string | undefined {
  const host = request.headers.host;
  if (!context.allowedHost(host)) return hostRefusal(host).message;
  const origin = request.headers.origin;
  const originAllowed = !origin || context.corsOrigins.includes('*') || context.corsOrigins.includes(origin) || (host !== undefined && (origin === `http://${host}` || origin === `https://${host}`));
  if (!originAllowed) return 'origin not allowed (set CORS_ORIGINS)';
  return undefined;
}

/**
 * The Socket.IO sessions each client address holds, against MAX_SESSIONS_PER_ADDRESS: a place is taken at
 * the handshake (so a burst cannot pass the cap) and given back when the session closes.
 */
class SessionPlaces {
  /** Places taken at a handshake whose session has not opened yet. */
  private readonly handshaking = new WeakMap<IncomingMessage, Release>();

  constructor(
    private readonly leases: Leases,
    readonly cap: number,
    private readonly addressOf: AddressOf,
  ) {}

  async admit(request: IncomingMessage): Promise<boolean> {
    if (this.cap === 0) return true;
    const release = await this.leases.acquire(LEASE_KEYS.sessions(this.addressOf(request)), this.cap);
    if (!release) return false;
    this.handshaking.set(request, release);
    // A handshake that never opens a session (the client left during the upgrade) gives its place back.
    setTimeout(() => {
      if (this.handshaking.get(request) !== release) return;
      this.handshaking.delete(request);
      release();
    }, HANDSHAKE_PLACE_MS).unref();
    return true;
  }

  /** The session of this handshake opened: returns what gives its place back when it closes. */
  opened(request: IncomingMessage): Release {
    const release = this.handshaking.get(request) ?? (() => {});
    this.handshaking.delete(request);
    return release;
  }
}

/** How long a place taken at a handshake waits for its session to open. */
const HANDSHAKE_PLACE_MS = 30_000;
