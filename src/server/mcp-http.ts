// MCP over streamable HTTP at /mcp, stateless: each POST gets its own server and transport (no session
// to keep, nothing to leak), which is what the SDK recommends for a server whose tools hold no state.
import express, { type NextFunction, type Request, type Response } from 'express';
import { UNAUTHORIZED_MESSAGE, type ApiKeys } from './api-keys.ts';
import type { McpDependencies } from './mcp-server.ts';

/** The MCP SDK (about 27 MB) is loaded with the first request to /mcp, not at start-up. */
let loading: Promise<[typeof import('@modelcontextprotocol/sdk/server/streamableHttp.js'), typeof import('./mcp-server.ts')]> | undefined;
const loadMcp = () => (loading ??= Promise.all([import('@modelcontextprotocol/sdk/server/streamableHttp.js'), import('./mcp-server.ts')]));

const MCP_BODY_LIMIT = '256kb';

/** A JSON-RPC error with no request id (the request could not be read or was refused). */
function rpcError(response: Response, status: number, code: number, message: string): void {
  if (response.headersSent) return;
  response.status(status).json({ jsonrpc: '2.0', error: { code, message }, id: null });
}

export function createMcpRouter(dependencies: McpDependencies & { keys: ApiKeys; limited?: (request: Request) => Promise<number> }): express.Router {
  const router = express.Router();
  router.use((request, response, next) => {
    if (dependencies.keys.acceptsHeaders(request.headers)) return next();
    response.setHeader('WWW-Authenticate', 'Bearer');
    rpcError(response, 401, -32001, UNAUTHORIZED_MESSAGE);
  });
  router.use((request, response, next) => {
    void (dependencies.limited?.(request) ?? Promise.resolve(0)).then((wait) => {
      if (wait === 0) return next();
      response.setHeader('Retry-After', String(wait));
      rpcError(response, 429, -32000, `Too many requests; try again in ${wait} s.`);
    }, next);
  });
  router.use(express.json({ limit: MCP_BODY_LIMIT, strict: false, type: () => true }));
  router.post('/', async (request, response) => {
    const [{ StreamableHTTPServerTransport }, { createMcpServer, findInvalidParams }] = await loadMcp();
    const invalid = findInvalidParams(request.body);
    if (invalid) {
      response.status(200).json({ jsonrpc: '2.0', error: { code: -32602, message: invalid.message }, id: invalid.id });
      return;
    }
    const server = createMcpServer(dependencies);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    server
      .connect(transport)
      .then(() => transport.handleRequest(request, response, request.body))
      .catch((error: unknown) => {
        console.error(error);
        rpcError(response, 500, -32603, 'Internal error; the server logged the details.');
      });
  });
  // Stateless: no server-initiated stream to open (GET) and no session to end (DELETE).
  router.all('/', (_request, response) => {
    response.setHeader('Allow', 'POST');
    rpcError(response, 405, -32000, 'Method not allowed: this MCP endpoint is stateless; send JSON-RPC requests with POST.');
  });
  router.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') return rpcError(response, 413, -32600, `The request body is larger than ${MCP_BODY_LIMIT}.`);
    if (type === 'entity.parse.failed') return rpcError(response, 400, -32700, 'Parse error: the body is not valid JSON.');
    console.error(error);
    rpcError(response, 500, -32603, 'Internal error; the server logged the details.');
  });
  return router;
}
