/**
 * A real, local, OpenAI-compatible HTTP server for integration tests and
 * stress scripts. Built on `node:http` only; listens on 127.0.0.1:0.
 *
 * Endpoints (all under `/v1`):
 *   POST /v1/chat/completions  non-streaming and streaming (SSE) chat completions
 *   POST /v1/embeddings        deterministic bigram-hash embeddings (float or base64)
 *   GET  /v1/models            lists one model
 *
 * Behaviour is driven by a scenario (see `FakeScenario`) that can be changed
 * between tests with `setScenario()`, including fault injection
 * (slow first token, cut stream, HTTP 500/429, garbage, hang).
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export type FakeMode =
  | 'ok'
  | 'slow-first-token'
  | 'cut-stream'
  | 'http-500'
  | 'http-429'
  | 'garbage'
  | 'hang';

/** Which endpoints a fault `mode` applies to. `/v1/models` is never faulted. */
export type FakeFaultTarget = 'chat' | 'embeddings' | 'all';

export interface FakeChatMessage {
  role: string;
  content?: string | Array<{ type?: string; text?: string; [k: string]: unknown }> | null;
  [k: string]: unknown;
}

/** Parsed JSON body of a request (whatever the client sent). */
export interface FakeRequestBody {
  model?: string;
  messages?: FakeChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
  input?: string | string[] | number[] | number[][];
  encoding_format?: 'float' | 'base64';
  dimensions?: number;
  [k: string]: unknown;
}

export interface FakeRecordedRequest {
  method: string;
  /** Path without query string, e.g. `/v1/chat/completions`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or `null` if there was no body / it was not JSON. */
  body: FakeRequestBody | null;
  /** Raw request body text. */
  rawBody: string;
  /** Whether a fault mode (not 'ok') was applied to this request. */
  faulted: boolean;
  /** The mode that was applied ('ok' when not faulted). */
  mode: FakeMode;
  receivedAt: number;
}

export interface FakeScenario {
  /** Fault mode. Default 'ok'. */
  mode?: FakeMode;
  /** Endpoints the fault applies to. Default 'chat'. */
  target?: FakeFaultTarget;
  /**
   * Apply `mode` only to the first N matching requests after `setScenario()`
   * (or server start), then behave as 'ok'. Default: unlimited.
   */
  failTimes?: number;
  /** Decides the assistant reply text. Default: `defaultReply`. */
  reply?: (body: FakeRequestBody) => string | Promise<string>;
  /** Delay between streamed chunks, ms. Default 0. */
  chunkDelayMs?: number;
  /** Chunk sizes (in code points) cycled through when streaming. Default [2, 3, 4]. */
  chunkSizes?: number[];
  /** 'slow-first-token': wait this long before the first byte (ms). Default 1000. */
  delayMs?: number;
  /**
   * 'slow-first-token' + streaming only: send the HTTP headers and the initial
   * role chunk immediately, then wait `delayMs` before the first content chunk
   * (a model that accepted the request but is slow to produce tokens).
   * Default false (nothing at all is sent until `delayMs` has passed).
   */
  slowAfterHeaders?: boolean;
  /** 'cut-stream': number of content chunks sent before the socket is destroyed. Default 2. */
  cutAfterChunks?: number;
  /** 'http-429': value of the `retry-after` header, seconds. Default 1. */
  retryAfterSeconds?: number;
  /** Embedding dimension (a request's `dimensions` field overrides it). Default 64. */
  embeddingDimension?: number;
  /** Model id reported by `/v1/models` and used when a request has no `model`. Default 'fake-gpt'. */
  model?: string;
}

export interface FakeOpenAIOptions extends FakeScenario {
  /** Record requests in `requests` (turn off for long stress runs). Default true. */
  recordRequests?: boolean;
}

export interface FakeOpenAI {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:12345/v1`. */
  readonly url: string;
  readonly port: number;
  /** Every received request, in arrival order (mutable: tests may clear it with `.length = 0`). */
  readonly requests: FakeRecordedRequest[];
  /**
   * Replace the current scenario. Fields not given fall back to the options
   * passed to `startFakeOpenAI()`. Resets the `failTimes` counter.
   */
  setScenario(scenario: FakeScenario): void;
  /** Number of currently open TCP sockets (keep-alive sockets included). */
  openConnections(): number;
  /** Destroy all sockets, stop all pending timers/hangs, and close the server. Idempotent. */
  close(): Promise<void>;
}

const DEFAULT_MODEL = 'fake-gpt';
const DEFAULT_DIMENSION = 64;
const DEFAULT_CHUNK_SIZES = [2, 3, 4];

// ---------------------------------------------------------------------------
// Reply / embedding helpers (exported for tests that want the expected values)
// ---------------------------------------------------------------------------

function messageText(message: FakeChatMessage | undefined): string {
  if (!message) return '';
  const { content } = message;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (typeof part.text === 'string' ? part.text : ''))
      .join('');
  }
  return '';
}

/**
 * Default responder: finds the first line of the last user message starting
 * with `[1]`, takes its first sentence (max 80 code points) and appends ` [1]`.
 * Falls back to a fixed sentence citing [1].
 */
export function defaultReply(body: FakeRequestBody): string {
  const messages = body.messages ?? [];
  let lastUser: FakeChatMessage | undefined;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m && (m.role === 'user' || m.role === 'human')) {
      lastUser = m;
      break;
    }
  }
  const text = messageText(lastUser);
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line.startsWith('[1]')) continue;
    const rest = line.slice(3).trim();
    const match = /^[\s\S]*?(?:[。！？!?；;]|\.(?=\s|$))/u.exec(rest);
    let sentence = (match ? match[0] : rest).trim();
    const cps = Array.from(sentence);
    if (cps.length > 80) sentence = cps.slice(0, 80).join('');
    if (sentence.length > 0) return `${sentence} [1]`;
  }
  return 'This is a deterministic answer from the fake OpenAI server [1].';
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Deterministic embedding: counts character bigrams (code points, NFKC,
 * lower-cased) hashed into `dimension` buckets, then L2-normalizes.
 * Values are rounded to float32 so float and base64 encodings agree exactly.
 */
export function fakeEmbedding(text: string, dimension: number = DEFAULT_DIMENSION): number[] {
  const vec = new Array<number>(dimension).fill(0);
  const cps = Array.from(text.normalize('NFKC').toLowerCase());
  const grams: string[] = [];
  if (cps.length === 1) grams.push(cps[0] ?? '');
  for (let i = 0; i + 1 < cps.length; i++) grams.push(`${cps[i] ?? ''}${cps[i + 1] ?? ''}`);
  for (const g of grams) {
    const idx = fnv1a(g) % dimension;
    vec[idx] = (vec[idx] ?? 0) + 1;
  }
  let norm = 0;
  for (const v of vec) norm += v * v;
  norm = Math.sqrt(norm);
  if (norm === 0) {
    // empty text: a fixed unit vector rather than NaNs
    vec[0] = 1;
    return vec.map((v) => Math.fround(v));
  }
  return vec.map((v) => Math.fround(v / norm));
}

function float32Base64(vec: number[]): string {
  const buf = Buffer.alloc(vec.length * 4);
  vec.forEach((v, i) => buf.writeFloatLE(v, i * 4));
  return buf.toString('base64');
}

function approxTokens(text: string): number {
  return Math.max(1, Math.ceil(Array.from(text).length / 4));
}

function splitIntoChunks(text: string, sizes: number[]): string[] {
  const cps = Array.from(text);
  const usable = sizes.filter((n) => Number.isInteger(n) && n > 0);
  const cycle = usable.length > 0 ? usable : DEFAULT_CHUNK_SIZES;
  const out: string[] = [];
  let i = 0;
  let k = 0;
  while (i < cps.length) {
    const n = cycle[k % cycle.length] ?? 3;
    out.push(cps.slice(i, i + n).join(''));
    i += n;
    k++;
  }
  return out;
}

function openAIError(message: string, type: string, code: string | null): string {
  return JSON.stringify({ error: { message, type, param: null, code } });
}

// ---------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------

type Endpoint = 'chat' | 'embeddings' | 'models' | 'other';

/** Thrown internally when a request is cancelled (client gone or server closing). */
class Cancelled extends Error {}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const { recordRequests = true, ...base } = options;
  let scenario: FakeScenario = { ...base };
  let faultsApplied = 0;
  let idCounter = 0;
  let closed = false;

  const requests: FakeRecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const inflight = new Set<AbortController>();

  const server: Server = createServer((req, res) => {
    const ac = new AbortController();
    inflight.add(ac);
    res.on('close', () => {
      ac.abort();
      inflight.delete(ac);
    });
    handle(req, res, ac.signal).catch((err: unknown) => {
      if (err instanceof Cancelled || ac.signal.aborted) return;
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(openAIError(`fake server error: ${String(err)}`, 'server_error', null));
      } else {
        res.destroy();
      }
    });
  });

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    if (closed) socket.destroy();
  });
  // Don't let a half-open client trip Node's own request timeouts in long hangs.
  server.requestTimeout = 0;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  async function wait(ms: number, signal: AbortSignal): Promise<void> {
    if (ms <= 0) return;
    try {
      await sleep(ms, undefined, { signal });
    } catch {
      throw new Cancelled();
    }
  }

  function waitForever(signal: AbortSignal): Promise<void> {
    return new Promise<void>((_, reject) => {
      if (signal.aborted) {
        reject(new Cancelled());
        return;
      }
      signal.addEventListener('abort', () => reject(new Cancelled()), { once: true });
    });
  }

  /** write() that resolves once the data was handed to the OS. */
  function write(res: ServerResponse, data: string | Buffer, signal: AbortSignal): Promise<void> {
    if (signal.aborted || res.destroyed) return Promise.reject(new Cancelled());
    return new Promise<void>((resolve, reject) => {
      res.write(data, (err) => (err ? reject(new Cancelled()) : resolve()));
    });
  }

  /** Abruptly kill the connection after what was written has been flushed. */
  async function cut(res: ServerResponse): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const socket = res.socket;
    if (socket) socket.destroy();
    else res.destroy();
  }

  function readBody(req: IncomingMessage): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
  }

  function decideMode(endpoint: Endpoint): FakeMode {
    const mode = scenario.mode ?? 'ok';
    if (mode === 'ok') return 'ok';
    if (endpoint !== 'chat' && endpoint !== 'embeddings') return 'ok';
    const target = scenario.target ?? 'chat';
    if (target !== 'all' && target !== endpoint) return 'ok';
    if (scenario.failTimes !== undefined && faultsApplied >= scenario.failTimes) return 'ok';
    faultsApplied++;
    return mode;
  }

  function sendJson(res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}): void {
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      ...extra,
    });
    res.end(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const method = req.method ?? 'GET';
    const rawBody = await readBody(req);
    let body: FakeRequestBody | null = null;
    let parseError = false;
    if (rawBody.length > 0) {
      try {
        const parsed: unknown = JSON.parse(rawBody);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as FakeRequestBody;
        else parseError = true;
      } catch {
        parseError = true;
      }
    }

    let endpoint: Endpoint = 'other';
    if (method === 'POST' && path === '/v1/chat/completions') endpoint = 'chat';
    else if (method === 'POST' && path === '/v1/embeddings') endpoint = 'embeddings';
    else if (method === 'GET' && path === '/v1/models') endpoint = 'models';

    const mode = parseError ? 'ok' : decideMode(endpoint);
    if (recordRequests) requests.push({
      method,
      path,
      headers: req.headers,
      body,
      rawBody,
      faulted: mode !== 'ok',
      mode,
      receivedAt: Date.now(),
    });

    if (endpoint === 'other') {
      sendJson(res, 404, openAIError(`Unknown request URL: ${method} ${path}`, 'invalid_request_error', 'unknown_url'));
      return;
    }
    if (parseError) {
      sendJson(res, 400, openAIError('We could not parse the JSON body of your request.', 'invalid_request_error', null));
      return;
    }
    const model = body?.model ?? scenario.model ?? DEFAULT_MODEL;
    if (endpoint === 'models') {
      sendJson(
        res,
        200,
        JSON.stringify({
          object: 'list',
          data: [{ id: scenario.model ?? DEFAULT_MODEL, object: 'model', created: 1700000000, owned_by: 'fake-openai' }],
        }),
      );
      return;
    }

    const streaming = endpoint === 'chat' && body?.stream === true;

    // ---- faults that happen before any response byte -------------------
    if (mode === 'hang') {
      await waitForever(signal);
      return;
    }
    if (mode === 'slow-first-token' && !(streaming && scenario.slowAfterHeaders)) {
      await wait(scenario.delayMs ?? 1000, signal);
    }
    if (mode === 'http-500') {
      sendJson(
        res,
        500,
        openAIError('The server had an error while processing your request. Sorry about that!', 'server_error', null),
      );
      return;
    }
    if (mode === 'http-429') {
      const retryAfter = scenario.retryAfterSeconds ?? 1;
      sendJson(
        res,
        429,
        openAIError(
          `Rate limit reached for ${model} on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in ${retryAfter}s.`,
          'requests',
          'rate_limit_exceeded',
        ),
        { 'retry-after': String(retryAfter), 'x-ratelimit-limit-requests': '3', 'x-ratelimit-remaining-requests': '0' },
      );
      return;
    }

    if (endpoint === 'embeddings') {
      await handleEmbeddings(res, body ?? {}, model, mode, signal);
      return;
    }
    await handleChat(res, body ?? {}, model, mode, streaming, signal);
  }

  async function handleEmbeddings(
    res: ServerResponse,
    body: FakeRequestBody,
    model: string,
    mode: FakeMode,
    signal: AbortSignal,
  ): Promise<void> {
    if (mode === 'garbage') {
      sendJson(res, 200, '{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,0.2,<<garbage>>');
      return;
    }
    const dim =
      typeof body.dimensions === 'number' && Number.isInteger(body.dimensions) && body.dimensions > 0
        ? body.dimensions
        : (scenario.embeddingDimension ?? DEFAULT_DIMENSION);
    const rawInput = body.input ?? '';
    const list: unknown[] = Array.isArray(rawInput) && rawInput.some((x) => typeof x !== 'number') ? rawInput : [rawInput];
    const texts = list.map((x) => (typeof x === 'string' ? x : Array.isArray(x) ? x.join(' ') : String(x)));
    const base64 = body.encoding_format === 'base64';
    let promptTokens = 0;
    const data = texts.map((t, index) => {
      promptTokens += approxTokens(t);
      const vec = fakeEmbedding(t, dim);
      return { object: 'embedding', index, embedding: base64 ? float32Base64(vec) : vec };
    });
    const payload = JSON.stringify({
      object: 'list',
      data,
      model,
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
    });
    if (mode === 'cut-stream') {
      const bytes = Buffer.from(payload);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': bytes.length });
      await write(res, bytes.subarray(0, Math.floor(bytes.length / 2)), signal);
      await cut(res);
      return;
    }
    sendJson(res, 200, payload);
  }

  async function handleChat(
    res: ServerResponse,
    body: FakeRequestBody,
    model: string,
    mode: FakeMode,
    streaming: boolean,
    signal: AbortSignal,
  ): Promise<void> {
    const id = `chatcmpl-fake-${++idCounter}`;
    const created = Math.floor(Date.now() / 1000);

    if (mode === 'garbage' && !streaming) {
      sendJson(res, 200, '{"id":"' + id + '","object":"chat.completion","choices":[{ this is not json');
      return;
    }

    const responder = scenario.reply ?? defaultReply;
    const content = await responder(body);
    const promptText = (body.messages ?? []).map((m) => messageText(m)).join('\n');
    const usage = {
      prompt_tokens: approxTokens(promptText),
      completion_tokens: approxTokens(content),
      total_tokens: approxTokens(promptText) + approxTokens(content),
    };

    if (!streaming) {
      const payload = JSON.stringify({
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content, refusal: null },
            logprobs: null,
            finish_reason: 'stop',
          },
        ],
        usage,
        system_fingerprint: 'fp_fake',
      });
      if (mode === 'cut-stream') {
        const bytes = Buffer.from(payload);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': bytes.length });
        await write(res, bytes.subarray(0, Math.floor(bytes.length / 2)), signal);
        await cut(res);
        return;
      }
      sendJson(res, 200, payload);
      return;
    }

    // ---- streaming -------------------------------------------------------
    const includeUsage = body.stream_options?.include_usage === true;
    const chunk = (delta: Record<string, unknown>, finishReason: string | null): string =>
      `data: ${JSON.stringify({
        id,
        object: 'chat.completion.chunk',
        created,
        model,
        system_fingerprint: 'fp_fake',
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
        ...(includeUsage ? { usage: null } : {}),
      })}\n\n`;

    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.flushHeaders();

    if (mode === 'garbage') {
      await write(res, chunk({ role: 'assistant', content: '' }, null), signal);
      await write(res, 'data: {"id":"' + id + '","choices":[{"delta":{"content":"oops\n\n', signal);
      await write(res, 'this line is not SSE at all\n\ndata: <<<garbage>>>\n\n', signal);
      await write(res, 'data: [DONE]\n\n', signal);
      res.end();
      return;
    }

    await write(res, chunk({ role: 'assistant', content: '', refusal: null }, null), signal);
    if (mode === 'slow-first-token' && scenario.slowAfterHeaders) {
      await wait(scenario.delayMs ?? 1000, signal);
    }

    const pieces = splitIntoChunks(content, scenario.chunkSizes ?? DEFAULT_CHUNK_SIZES);
    const cutAfter = scenario.cutAfterChunks ?? 2;
    const delay = scenario.chunkDelayMs ?? 0;
    for (let i = 0; i < pieces.length; i++) {
      if (mode === 'cut-stream' && i >= cutAfter) {
        await cut(res);
        return;
      }
      if (i > 0) await wait(delay, signal);
      await write(res, chunk({ content: pieces[i] ?? '' }, null), signal);
    }
    if (mode === 'cut-stream') {
      // reply shorter than cutAfterChunks: still never send finish/[DONE]
      await cut(res);
      return;
    }
    await write(res, chunk({}, 'stop'), signal);
    if (includeUsage) {
      await write(
        res,
        `data: ${JSON.stringify({
          id,
          object: 'chat.completion.chunk',
          created,
          model,
          system_fingerprint: 'fp_fake',
          choices: [],
          usage,
        })}\n\n`,
        signal,
      );
    }
    await write(res, 'data: [DONE]\n\n', signal);
    res.end();
  }

  let closing: Promise<void> | undefined;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    setScenario(next: FakeScenario): void {
      scenario = { ...base, ...next };
      faultsApplied = 0;
    },
    openConnections(): number {
      return sockets.size;
    },
    close(): Promise<void> {
      if (closing) return closing;
      closed = true;
      closing = (async () => {
        for (const ac of inflight) ac.abort();
        inflight.clear();
        const allClosed = Promise.all(
          [...sockets].map(
            (s) =>
              new Promise<void>((resolve) => {
                s.once('close', () => resolve());
              }),
          ),
        );
        for (const s of sockets) s.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await allClosed;
      })();
      return closing;
    },
  };
}
