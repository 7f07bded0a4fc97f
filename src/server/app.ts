// Composes the HTTP app (security headers, CORS, body limits, the API, the web page) and Socket.IO on
// one http.Server. Knows nothing of how the assistant is built.
import { createServer, type Server as HttpServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from './contract.ts';
import { createApiRouter, sendError, type ServerState } from './http-routes.ts';
import { createReportsRouter } from './report-routes.ts';
import type { ReportsService } from '../reports-service.ts';
import { RateLimiter } from './rate-limiter.ts';
import { attachSocketHandlers } from './socket-handlers.ts';
import { AppError } from '../errors.ts';

export interface ApplicationOptions {
  rateLimitPerMinute: number;
  corsOrigins: string[];
  maxInFlightPerSocket: number;
  /** The folder of the web page (ui/). */
  uiDir?: string;
  /** GET/POST/DELETE /api/reports (writing only with an admin token). */
  reports?: { service: ReportsService; adminToken?: string; maxUploadBytes: number };
}

/** Room for a 2,000-character question with 20,000 characters of history (about 66 kB of UTF-8 Chinese). */
export const BODY_LIMIT = '256kb';
const FRAME_LIMIT_BYTES = 256 * 1024;
const DEFAULT_UI_DIR = fileURLToPath(new URL('../../ui/', import.meta.url));

function corsMiddleware(origins: string[]) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const origin = request.headers.origin;
    if (origin && (origins.includes(origin) || origins.includes('*'))) {
      response.setHeader('Access-Control-Allow-Origin', origins.includes('*') ? '*' : origin);
      response.setHeader('Vary', 'Origin');
      response.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      response.setHeader('Access-Control-Allow-Headers', 'Content-Type');
    }
    if (request.method === 'OPTIONS') {
      response.status(204).end();
      return;
    }
    next();
  };
}

export function createApplication(state: ServerState, options: ApplicationOptions): { app: express.Express; httpServer: HttpServer; io: Server<ClientToServerEvents, ServerToClientEvents> } {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'", 'ws:', 'wss:'],
          fontSrc: ["'self'", 'data:'],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
        },
      },
    }),
  );
  app.use(corsMiddleware(options.corsOrigins));
  app.get('/healthz', (_request, response) => {
    const health = state.health();
    response.status(health.status === 'failed' ? 503 : 200).json(health);
  });
  // Multipart uploads: mounted before the JSON parser, which would read any body as JSON.
  if (options.reports) {
    const { service, ...reportOptions } = options.reports;
    const reportsLimiter = new RateLimiter(options.rateLimitPerMinute);
    app.use('/api/reports', (request: Request, response: Response, next: NextFunction) => {
      const wait = reportsLimiter.take(`ip:${request.ip ?? 'unknown'}`);
      if (wait > 0) return void response.setHeader('Retry-After', String(wait)).status(429).json({ error: { code: 'rate_limited', message: `Too many requests; try again in ${wait} s.` } });
      next();
    }, createReportsRouter(service, reportOptions));
  }
  // Not strict: a JSON string or null parses, and validation then says an object is required.
  app.use('/api', express.json({ limit: BODY_LIMIT, strict: false, type: () => true }));
  const limiter = new RateLimiter(options.rateLimitPerMinute);
  app.use('/api', createApiRouter(state, limiter));
  const uiDir = options.uiDir ?? DEFAULT_UI_DIR;
  app.use('/src', (request, response) => {
    response.status(404).json({ error: { code: 'not_found', message: `Nothing at ${request.method} /src${request.path.slice(0, 80)}.` } });
  });
  // No caching: a rebuilt page (npm run build:ui) is picked up on the next load.
  app.use(express.static(uiDir, { index: 'index.html', fallthrough: true, maxAge: 0 }));
  app.use((request: Request, response: Response) => {
    response.status(404).json({ error: { code: 'not_found', message: `Nothing at ${request.method} ${request.path.slice(0, 80)}.` } });
  });
  // Errors from the body parser and anything else thrown before a route answered.
  app.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') return sendError(response, new AppError('payload_too_large', `The request body is larger than ${BODY_LIMIT}.`));
    if (type === 'entity.parse.failed') return sendError(response, new AppError('invalid_input', 'The request body is not valid JSON.'));
    if (type === 'encoding.unsupported' || type === 'charset.unsupported') return sendError(response, new AppError('invalid_input', 'The request body must be UTF-8 JSON.'));
    if ((error as { status?: number }).status === 400) return sendError(response, new AppError('invalid_input', 'The request could not be read.'));
    sendError(response, error);
  });

  const httpServer = createServer(app);
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    maxHttpBufferSize: FRAME_LIMIT_BYTES,
    cors: { origin: options.corsOrigins.length > 0 ? options.corsOrigins : false },
    serveClient: false,
    // Socket.IO's cors option covers only HTTP polling; websocket upgrades are checked here. Clients that
    // send no Origin (servers, scripts) are allowed; browsers only from this origin or CORS_ORIGINS.
    allowRequest: (request, callback) => {
      const origin = request.headers.origin;
      if (!origin || options.corsOrigins.includes('*') || options.corsOrigins.includes(origin)) return callback(null, true);
      const host = request.headers.host;
      const sameOrigin = host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
      callback(sameOrigin ? null : 'origin not allowed (set CORS_ORIGINS)', sameOrigin);
    },
  });
  attachSocketHandlers(io, state, new RateLimiter(options.rateLimitPerMinute), { maxInFlightPerSocket: options.maxInFlightPerSocket });
  return { app, httpServer, io };
}
