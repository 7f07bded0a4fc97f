// The OpenAI-compatible surface: GET /v1/models and POST /v1/chat/completions (streaming and not) in
// OpenAI's wire format, over the answer relay. The last user message is the question, earlier user and
// assistant turns its history; system and developer messages are ignored (the reports decide the
// answer). Extensions: a top-level `sources` array (the response, or the first streamed chunk) and
// `grounded` + `citations` (the response, or the last chunk before [DONE]). Errors in OpenAI's shape.
import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { AppError, toClientError } from '../errors.ts';
import type { Source, Turn } from '../types.ts';
import type { AnswerRelay, RelayedAnswer } from './answer-relay.ts';
import { UNAUTHORIZED_MESSAGE, type ApiKeys } from './api-keys.ts';
import { MAX_HISTORY_CHARS, MAX_HISTORY_TURNS, MAX_QUESTION_CHARS } from './validation.ts';

/** The one model this server offers: the cited assistant, whatever answers inside it. */
export const MODEL_ID = 'gov-report-assistant';
/** A chat front end sends the whole conversation; more messages than this is not a conversation. */
export const MAX_MESSAGES = 500;
const MAX_TURN_CHARS = 4000;
const OPENAI_BODY_LIMIT = '512kb';

const textPartSchema = z.object({ type: z.literal('text'), text: z.string() }).passthrough();
const otherPartSchema = z.object({ type: z.string() }).passthrough();
const contentSchema = z.union([z.string(), z.array(z.union([textPartSchema, otherPartSchema])), z.null()]);

const messageSchema = z
  .object({
    role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function'], { message: 'messages[].role must be one of system, developer, user, assistant, tool' }),
    content: contentSchema.optional(),
  })
  .passthrough();

const chatRequestSchema = z
  .object({
    model: z.string({ message: 'model is required (GET /v1/models lists it)' }).min(1, 'model must not be empty').max(200),
    messages: z.array(messageSchema, { message: 'messages must be an array of { role, content }' }).min(1, 'messages must hold at least one message').max(MAX_MESSAGES, `messages may hold at most ${MAX_MESSAGES} messages`),
    stream: z.boolean({ message: 'stream must be a boolean' }).nullish(),
    n: z.number().int().min(1).max(1, 'n must be 1: one answer per question').nullish(),
    // Extensions with the meaning they have on POST /api/ask.
    region: z.string().trim().min(1).max(64).optional(),
    k: z.number().int().min(1).max(20).optional(),
  })
  .passthrough();

type ChatMessage = z.infer<typeof messageSchema>;

/** OpenAI's error body. `code` is ours (invalid_input, not_ready …) or OpenAI's (model_not_found, invalid_api_key). */
export function toOpenAiError(error: unknown): { status: number; body: { error: { message: string; type: string; param: string | null; code: string } } } {
  const client = error instanceof OpenAiRequestError ? { status: error.status, code: error.code, message: error.message } : toClientError(error);
  const type = client.status === 401 ? 'authentication_error' : client.status === 429 ? 'rate_limit_error' : client.status >= 500 ? 'server_error' : 'invalid_request_error';
  return { status: client.status, body: { error: { message: client.message, type, param: error instanceof OpenAiRequestError ? error.param : null, code: client.code } } };
}

class OpenAiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
  }
}

function textOf(message: ChatMessage): string {
  const content = message.content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (part.type === 'text' && typeof part.text === 'string' ? part.text : ''))
    .join('');
}

/** The question (the last message, which must be the user's) and the history (earlier user/assistant turns, newest kept). */
export function toQuestion(messages: ChatMessage[]): { question: string; history: Turn[] } {
  const last = messages[messages.length - 1]!;
  if (last.role !== 'user') throw new OpenAiRequestError(400, 'invalid_input', `The last message must be the user's question (got role "${last.role}").`, 'messages');
  const question = textOf(last).trim();
  if (!question) throw new OpenAiRequestError(400, 'invalid_input', 'The last user message has no text.', 'messages');
  if (question.length > MAX_QUESTION_CHARS) throw new OpenAiRequestError(400, 'invalid_input', `The question must be at most ${MAX_QUESTION_CHARS.toLocaleString('en')} characters.`, 'messages');
  const history: Turn[] = [];
  let chars = 0;
  // Newest first, so a long conversation keeps its latest turns (what a follow-up refers to).
  for (let position = messages.length - 2; position >= 0 && history.length < MAX_HISTORY_TURNS; position--) {
    const message = messages[position]!;
    if (message.role !== 'user' && message.role !== 'assistant') continue;
    const content = textOf(message).trim().slice(0, MAX_TURN_CHARS);
    if (!content) continue;
    if (chars + content.length > MAX_HISTORY_CHARS) break;
    chars += content.length;
    history.unshift({ role: message.role, content });
  }
  return { question, history };
}

function parseChatRequest(body: unknown): z.infer<typeof chatRequestSchema> {
  const parsed = chatRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue?.path.length ? issue.path.join('.') : null;
    const message = issue ? (issue.path.length && !issue.message.includes(String(issue.path[0])) ? `${issue.path.join('.')}: ${issue.message}` : issue.message) : 'invalid request';
    throw new OpenAiRequestError(400, 'invalid_input', typeof body === 'object' && body !== null ? message : 'The request body must be a JSON object { model, messages }.', param);
  }
  if (parsed.data.model !== MODEL_ID) throw new OpenAiRequestError(404, 'model_not_found', `The model "${parsed.data.model.slice(0, 60)}" does not exist; this server offers "${MODEL_ID}".`, 'model');
  return parsed.data;
}

export interface OpenAiRouterOptions {
  relay: AnswerRelay;
  keys: ApiKeys;
  /** Counts a request against the caller's rate limit; the seconds to wait when over it, else 0. */
  limited?: (request: Request) => Promise<number>;
}

export function createOpenAiRouter(options: OpenAiRouterOptions): express.Router {
  const { relay, keys } = options;
  const router = express.Router();
  const send = (response: Response, error: unknown): void => {
    const { status, body } = toOpenAiError(error);
    if (status === 500) console.error(error);
    if (!response.headersSent) response.status(status).json(body);
    else if (!response.destroyed) response.end(formatOpenAiData(body));
  };

  router.use((request, response, next) => {
    if (keys.acceptsHeaders(request.headers)) return next();
    send(response, new OpenAiRequestError(401, 'invalid_api_key', UNAUTHORIZED_MESSAGE));
  });
  router.use((request, response, next) => {
    void (options.limited?.(request) ?? Promise.resolve(0)).then((wait) => {
      if (wait === 0) return next();
      response.setHeader('Retry-After', String(wait));
      send(response, new OpenAiRequestError(429, 'rate_limited', `Too many requests; try again in ${wait} s.`));
    }, next);
  });
  // JSON only, as on /api: a foreign page cannot post a text/plain "simple request" without a preflight.
  router.use((request, response, next) => {
    const hasBody = request.headers['transfer-encoding'] !== undefined || (request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0');
    const type = (String(request.headers['content-type'] ?? '').split(';')[0] ?? '').trim().toLowerCase();
    if (!hasBody || type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'))) return next();
    send(response, new OpenAiRequestError(415, 'unsupported_media_type', `Send the body as JSON with Content-Type: application/json${type ? ` (got ${type.slice(0, 60)})` : ' (none was given)'}.`));
  });
  router.use(express.json({ limit: OPENAI_BODY_LIMIT, strict: false, type: () => true }));

  router.get('/models', (_request, response) => {
    response.json({ object: 'list', data: [describeModel()] });
  });
  router.get('/models/:model', (request, response) => {
    if (request.params.model !== MODEL_ID) return send(response, new OpenAiRequestError(404, 'model_not_found', `The model "${String(request.params.model).slice(0, 60)}" does not exist; this server offers "${MODEL_ID}".`, 'model'));
    response.json(describeModel());
  });

  router.post('/chat/completions', (request, response) => {
    void (async () => {
      const input = parseChatRequest(request.body);
      const { question, history } = toQuestion(input.messages);
      const controller = new AbortController();
      response.on('close', () => {
        if (!response.writableFinished) controller.abort();
      });
      const relayRequest = { question, history, ...(input.region ? { region: input.region } : {}), ...(input.k ? { k: input.k } : {}), signal: controller.signal };
      const created = Math.floor(Date.now() / 1000);
      if (!input.stream) {
        const result = await relay.collect(relayRequest);
        const { answer, sources, ...rest } = result;
        response.json({
          id: `chatcmpl-${randomUUID()}`,
          object: 'chat.completion',
          created,
          model: MODEL_ID,
          system_fingerprint: null,
          choices: [{ index: 0, message: { role: 'assistant', content: answer, refusal: null }, logprobs: null, finish_reason: 'stop' }],
          sources,
          ...rest,
        });
        return;
      }
      const answer = await relay.open(relayRequest);
      await streamCompletion(response, answer, created);
    })().catch((error: unknown) => send(response, error));
  });

  router.use((request: Request, response: Response) => {
    send(response, new OpenAiRequestError(404, 'not_found', `No route ${request.method} /v1${request.path.slice(0, 80)}; this server offers GET /v1/models and POST /v1/chat/completions.`));
  });
  router.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') return send(response, new OpenAiRequestError(413, 'payload_too_large', `The request body is larger than ${OPENAI_BODY_LIMIT}.`));
    if (type === 'entity.parse.failed') return send(response, new OpenAiRequestError(400, 'invalid_input', 'The request body is not valid JSON.'));
    if ((error as { status?: number }).status === 400) return send(response, new OpenAiRequestError(400, 'invalid_input', 'The request could not be read.'));
    send(response, error);
  });
  return router;
}

function describeModel(): { id: string; object: 'model'; created: number; owned_by: string } {
  // A fixed date: the model does not change between requests (2024-01-01).
  return { id: MODEL_ID, object: 'model', created: 1704067200, owned_by: 'gov-report-assistant' };
}

function formatOpenAiData(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

/** Streams chat.completion.chunk objects: sources on the first, grounded and citations on the last, then [DONE]. */
async function streamCompletion(response: Response, answer: RelayedAnswer, created: number): Promise<void> {
  const id = `chatcmpl-${answer.id}`;
  const chunk = (delta: Record<string, unknown>, finishReason: string | null, extra: Record<string, unknown> = {}) => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model: MODEL_ID,
    system_fingerprint: null,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...extra,
  });
  let opened = false;
  let regions: string[] = [];
  let mode: string | undefined;
  let sources: Source[] = [];
  const notices: { code: string; message: string }[] = [];
  const open = (): void => {
    if (opened) return;
    opened = true;
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('X-Accel-Buffering', 'no');
    response.write(formatOpenAiData(chunk({ role: 'assistant', content: '' }, null, { sources, regions, ...(mode ? { mode } : {}) })));
  };
  for await (const event of answer.events) {
    if (response.destroyed) break;
    switch (event.type) {
      case 'start':
        regions = event.regions;
        mode = event.mode;
        break;
      case 'sources':
        sources = event.sources;
        open();
        break;
      case 'notice':
        notices.push({ code: event.code, message: event.message });
        break;
      case 'text-delta':
        open();
        response.write(formatOpenAiData(chunk({ content: event.text }, null)));
        break;
      case 'end': {
        open();
        const { type: _type, answer: _answer, ...rest } = event;
        response.write(formatOpenAiData(chunk({}, 'stop', { ...rest, notices })));
        response.end('data: [DONE]\n\n');
        return;
      }
      case 'error': {
        // Before the first chunk the status code can still say what went wrong.
        if (!opened) throw new AppError(event.code as AppError['code'], event.message);
        response.end(formatOpenAiData(toOpenAiError(new AppError(event.code as AppError['code'], event.message)).body));
        return;
      }
    }
  }
  if (!response.destroyed) response.end();
}
