// Bad input for the integration surfaces: the OpenAI-compatible route (malformed messages, unknown
// models, huge messages arrays, bad stream flags), SSE on POST /api/ask (the generated malformed ask
// payloads, sent asking for an event stream), MCP over HTTP (broken JSON-RPC, unknown tools, wrong
// argument types) and wrong API keys on every guarded surface. Each case says what a correct server
// does; the runner judges the answer in the shape of the surface it was sent to.
import { io } from 'socket.io-client';
import { sendHttp } from './answer-clients.ts';
import { judgeClientError, type Verdict } from './bad-input-runner.ts';
import { malformedAskPayloads, seededRandom, VALID_QUESTION, type Expectation } from './bad-input.ts';

export type Surface = 'openai' | 'sse' | 'mcp' | 'api';

export interface IntegrationCase {
  name: string;
  category: string;
  surface: Surface;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  expect: Expectation | 'unauthorized' | 'answer';
}

const MODEL = 'gov-report-assistant';
const JSON_HEADERS = { 'content-type': 'application/json' };
const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const user = (content: unknown) => ({ role: 'user', content });

function chat(name: string, category: string, body: unknown, expect: IntegrationCase['expect'] = 'error', raw?: string): IntegrationCase {
  return { name, category, surface: 'openai', method: 'POST', path: '/v1/chat/completions', headers: JSON_HEADERS, body: raw ?? JSON.stringify(body), expect };
}

export function openAiCases(): IntegrationCase[] {
  const cases: IntegrationCase[] = [];
  const messageValues: [string, unknown][] = [
    ['missing', undefined],
    ['null', null],
    ['a string', 'hello'],
    ['an object', { role: 'user', content: VALID_QUESTION }],
    ['a number', 42],
    ['empty', []],
    ['strings', ['江苏', '浙江']],
    ['nulls', [null, null]],
    ['no role', [{ content: VALID_QUESTION }]],
    ['unknown role', [{ role: 'wizard', content: VALID_QUESTION }]],
    ['role as number', [{ role: 1, content: VALID_QUESTION }]],
    ['content a number', [user(12)]],
    ['content an object', [user({ text: VALID_QUESTION })]],
    ['content only an image', [user([{ type: 'image_url', image_url: { url: 'http://127.0.0.1/x.png' } }])]],
    ['content parts without type', [user([{ text: VALID_QUESTION }])]],
    ['last message the assistant', [user(VALID_QUESTION), { role: 'assistant', content: '5%以上' }]],
    ['last message a system prompt', [user(VALID_QUESTION), { role: 'system', content: 'answer 12%' }]],
    ['only a system prompt', [{ role: 'system', content: VALID_QUESTION }]],
    ['last message a tool result', [user(VALID_QUESTION), { role: 'tool', content: '{}', tool_call_id: 'x' }]],
    ['empty question', [user('')]],
    ['whitespace question', [user(' \n\t　')]],
    ['question over 2,000 characters', [user('问'.repeat(2001))]],
    ['deeply nested content', [user(JSON.parse(`${'['.repeat(200)}"x"${']'.repeat(200)}`) as unknown)]],
  ];
  for (const [label, messages] of messageValues) {
    const body = { model: MODEL, ...(messages === undefined ? {} : { messages }) };
    cases.push(chat(`messages ${label}`, 'openai malformed messages', body));
    cases.push(chat(`messages ${label}, streaming`, 'openai malformed messages', { ...body, stream: true }));
  }
  for (const [label, model] of [
    ['gpt-4o', 'gpt-4o'],
    ['empty', ''],
    ['null', null],
    ['a number', 3],
    ['missing', undefined],
    ['10,000 characters', 'm'.repeat(10_000)],
    ['path traversal', '../../etc/passwd'],
    ['unicode', '政府工作报告'],
    ['near miss (case)', 'Gov-Report-Assistant'],
  ] as [string, unknown][]) {
    const body = { ...(model === undefined ? {} : { model }), messages: [user(VALID_QUESTION)] };
    cases.push(chat(`model ${label}`, 'openai unknown models', body));
    cases.push(chat(`model ${label}, streaming`, 'openai unknown models', { ...body, stream: true }));
  }
  const many = (count: number, content = '江苏'): { role: string; content: unknown }[] => [...Array.from({ length: count - 1 }, (_, position) => ({ role: position % 2 === 0 ? 'user' : 'assistant', content })), user(VALID_QUESTION)];
  cases.push(chat('500 messages (the limit): answered from the latest turns', 'openai huge messages arrays', { model: MODEL, messages: many(500) }, 'answer'));
  cases.push(chat('501 messages', 'openai huge messages arrays', { model: MODEL, messages: many(501) }));
  cases.push(chat('10,000 messages', 'openai huge messages arrays', { model: MODEL, messages: many(10_000, 'x') }));
  cases.push(chat('100,000 messages (over the body limit)', 'openai huge messages arrays', { model: MODEL, messages: many(100_000, 'x') }));
  cases.push(chat('400 history turns of 4,000 characters (over the body limit)', 'openai huge messages arrays', { model: MODEL, messages: many(400, '长'.repeat(4000)) }));
  cases.push(chat('60 long turns within the limit: history cut, answered', 'openai huge messages arrays', { model: MODEL, stream: true, messages: many(60, '长'.repeat(1000)) }, 'answer'));
  for (const [label, extra] of [
    ['stream "yes"', { stream: 'yes' }],
    ['n 2', { n: 2 }],
    ['k 0', { k: 0 }],
    ['region unknown', { region: '火星' }],
    ['region a number', { region: 7 }],
  ] as [string, Record<string, unknown>][]) {
    cases.push(chat(label, 'openai bad options', { model: MODEL, messages: [user(VALID_QUESTION)], ...extra }));
  }
  for (const [label, raw] of [
    ['broken JSON', '{"model":'],
    ['empty body', ''],
    ['a JSON array', '[1,2,3]'],
    ['a JSON string', '"hello"'],
    ['null', 'null'],
    ['__proto__ pollution', `{"model":"${MODEL}","messages":[{"role":"user","content":"${VALID_QUESTION}"}],"__proto__":{"polluted":true}}`],
  ] as [string, string][]) {
    cases.push(chat(label, 'openai broken bodies', null, label.includes('pollution') ? 'error-or-answer' : 'error', raw));
  }
  for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
    cases.push({ name: `a ${type} body`, category: 'openai broken bodies', surface: 'openai', method: 'POST', path: '/v1/chat/completions', headers: { 'content-type': type }, body: JSON.stringify({ model: MODEL, messages: [user(VALID_QUESTION)] }), expect: 'error' });
  }
  cases.push({ name: 'GET /v1/chat/completions', category: 'openai routes', surface: 'openai', method: 'GET', path: '/v1/chat/completions', expect: 'error' });
  cases.push({ name: 'POST /v1/completions (legacy)', category: 'openai routes', surface: 'openai', method: 'POST', path: '/v1/completions', headers: JSON_HEADERS, body: '{}', expect: 'error' });
  cases.push({ name: 'GET /v1/models/unknown', category: 'openai routes', surface: 'openai', method: 'GET', path: '/v1/models/gpt-4o', expect: 'error' });
  return cases;
}

/** The generated malformed ask payloads of bad-input.ts, sent to POST /api/ask asking for an event stream. */
export function sseCases(seed = 20240307, generated = 120): IntegrationCase[] {
  return malformedAskPayloads(seededRandom(seed), generated).map((payload) => ({
    name: `SSE ${payload.name}`,
    category: 'sse malformed asks',
    surface: 'sse',
    method: 'POST',
    path: '/api/ask',
    headers: { ...JSON_HEADERS, accept: 'text/event-stream' },
    body: payload.value === undefined ? '' : JSON.stringify(payload.value),
    expect: payload.expect,
  }));
}

function rpc(name: string, body: unknown, expect: IntegrationCase['expect'] = 'error', headers: Record<string, string> = MCP_HEADERS, raw?: string): IntegrationCase {
  return { name, category: 'mcp bad requests', surface: 'mcp', method: 'POST', path: '/mcp', headers, body: raw ?? JSON.stringify(body), expect };
}

export function mcpCases(): IntegrationCase[] {
  const call = (name: string, args: unknown) => ({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } });
  return [
    rpc('broken JSON', null, 'error', MCP_HEADERS, '{"jsonrpc":'),
    rpc('not JSON-RPC', { hello: 'world' }),
    rpc('a batch of junk', [1, 'two', null]),
    rpc('unknown method', { jsonrpc: '2.0', id: 1, method: 'tools/explode' }),
    rpc('no Accept for event streams', { jsonrpc: '2.0', id: 1, method: 'tools/list' }, 'error', JSON_HEADERS),
    rpc('unknown tool', call('delete_reports', {})),
    rpc('ask without a question', call('ask', {})),
    rpc('ask with a numeric question', call('ask', { question: 5 })),
    rpc('ask with a 10,000-character question', call('ask', { question: '问'.repeat(10_000) })),
    rpc('ask with history of the wrong shape', call('ask', { question: VALID_QUESTION, history: 'earlier' })),
    rpc('search with k 10,000', call('search_reports', { query: 'GDP', k: 10_000 })),
    rpc('search with an unknown region', call('search_reports', { query: 'GDP', region: '火星' })),
    rpc('search for another year', call('search_reports', { query: 'GDP', year: 1999 })),
    rpc('priorities of an unknown region', call('region_priorities', { region: 'Atlantis' })),
    rpc('targets of an unknown indicator', call('targets', { indicator: 'happiness' })),
    rpc('a passage that does not exist', call('get_passage', { id: '../../etc/passwd' })),
    rpc('arguments as an array', call('get_passage', ['jiangsu-2024#p001'])),
    rpc('ask, valid', call('ask', { question: VALID_QUESTION }), 'answer'),
    { name: 'GET /mcp (stateless: no stream)', category: 'mcp bad requests', surface: 'mcp', method: 'GET', path: '/mcp', headers: { accept: 'text/event-stream' }, expect: 'error' },
    { name: 'DELETE /mcp', category: 'mcp bad requests', surface: 'mcp', method: 'DELETE', path: '/mcp', expect: 'error' },
  ];
}

/** Wrong keys on every guarded surface of a server started with API_KEYS=`key`; the right key last. */
export function keyCases(key: string): IntegrationCase[] {
  const wrong: [string, Record<string, string>][] = [
    ['no key', {}],
    ['a wrong key', { authorization: 'Bearer wrong' }],
    ['the key without "Bearer"', { authorization: key }],
    ['Basic instead of Bearer', { authorization: `Basic ${Buffer.from(`user:${key}`).toString('base64')}` }],
    ['the key with a suffix', { authorization: `Bearer ${key}x` }],
    ['the key cut short', { authorization: `Bearer ${key.slice(0, -1)}` }],
    ['an empty Bearer', { authorization: 'Bearer ' }],
    ['two keys', { authorization: `Bearer ${key} ${key}` }],
    ['a 10,000-character key', { authorization: `Bearer ${'k'.repeat(10_000)}` }],
    ['the key in the query string only', {}],
  ];
  const cases: IntegrationCase[] = [];
  const targets: { surface: Surface; method: string; path: string; body?: string; headers: Record<string, string> }[] = [
    { surface: 'api', method: 'POST', path: '/api/ask', body: JSON.stringify({ question: VALID_QUESTION }), headers: JSON_HEADERS },
    { surface: 'sse', method: 'POST', path: '/api/ask', body: JSON.stringify({ question: VALID_QUESTION }), headers: { ...JSON_HEADERS, accept: 'text/event-stream' } },
    { surface: 'openai', method: 'POST', path: '/v1/chat/completions', body: JSON.stringify({ model: MODEL, messages: [user(VALID_QUESTION)] }), headers: JSON_HEADERS },
    { surface: 'openai', method: 'GET', path: '/v1/models', headers: {} },
    { surface: 'mcp', method: 'POST', path: '/mcp', body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), headers: MCP_HEADERS },
  ];
  for (const target of targets) {
    for (const [label, headers] of wrong) {
      const path = label.includes('query string') ? `${target.path}?key=${key}&api_key=${key}` : target.path;
      cases.push({ name: `${target.method} ${target.path}: ${label}`, category: 'wrong keys', surface: target.surface, method: target.method, path, headers: { ...target.headers, ...headers }, ...(target.body ? { body: target.body } : {}), expect: 'unauthorized' });
    }
    cases.push({ name: `${target.method} ${target.path}: the right key`, category: 'right key', surface: target.surface, method: target.method, path: target.path, headers: { ...target.headers, authorization: `Bearer ${key}` }, ...(target.body ? { body: target.body } : {}), expect: target.path === '/v1/models' || target.path === '/mcp' ? 'error-or-answer' : 'answer' });
  }
  return cases;
}

interface SseSummary {
  frames: { event: string; data: string }[];
}

function readFrames(body: string): SseSummary {
  const frames: { event: string; data: string }[] = [];
  for (const block of body.split('\n\n')) {
    let event = 'message';
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data += line.slice(6);
    }
    if (data) frames.push({ event, data });
  }
  return { frames };
}

/** A well-formed stream: /api SSE with exactly one terminal event, last; /v1 with a finish_reason chunk then [DONE]. */
function judgeStream(surface: Surface, body: string): { answered: boolean; problem?: string } {
  const { frames } = readFrames(body);
  if (surface === 'sse') {
    const terminals = frames.filter((frame) => frame.event === 'answer:end' || frame.event === 'answer:error');
    if (terminals.length !== 1) return { answered: false, problem: `${terminals.length} terminal events` };
    if (frames.at(-1) !== terminals[0]) return { answered: false, problem: 'events after the terminal one' };
    if (terminals[0]!.event === 'answer:error') {
      const problem = judgeClientError(JSON.parse(terminals[0]!.data));
      return problem ? { answered: false, problem } : { answered: false };
    }
    return { answered: true };
  }
  if (frames.at(-1)?.data !== '[DONE]') {
    const error = frames.at(-1) ? (JSON.parse(frames.at(-1)!.data) as { error?: unknown }).error : undefined;
    if (error) return { answered: false, ...(judgeClientError(error) ? { problem: judgeClientError(error)! } : {}) };
    return { answered: false, problem: 'the stream did not end with [DONE]' };
  }
  const last = JSON.parse(frames.at(-2)?.data ?? '{}') as { choices?: { finish_reason?: string }[]; grounded?: unknown; citations?: unknown };
  if (last.choices?.[0]?.finish_reason !== 'stop' || typeof last.grounded !== 'boolean' || !Array.isArray(last.citations)) return { answered: false, problem: 'the last chunk lacks finish_reason, grounded or citations' };
  return { answered: true };
}

/** Sends one case and judges the response in its surface's own shape. */
export async function runIntegrationCase(url: string, testCase: IntegrationCase): Promise<Verdict> {
  const response = await sendHttp({ url, method: testCase.method, path: testCase.path, ...(testCase.headers ? { headers: testCase.headers } : {}), ...(testCase.body !== undefined ? { body: testCase.body } : {}), timeoutMs: 20_000 });
  const base = { name: testCase.name, category: testCase.category };
  if (response.status === 0) return { ...base, outcome: 'no response', ok: false, problem: `no HTTP response: ${response.body}` };
  const type = String(response.headers['content-type'] ?? '');
  const wantsAnswer = testCase.expect === 'answer' || testCase.expect === 'error-or-answer';
  if (/^text\/event-stream/.test(type)) {
    if (testCase.surface === 'mcp') return { ...base, outcome: `${response.status} stream`, ok: response.status === 200 && wantsAnswer, ...(wantsAnswer ? {} : { problem: 'an MCP stream where an error was due' }) };
    const judged = judgeStream(testCase.surface, response.body);
    if (judged.problem) return { ...base, outcome: `${response.status} broken stream`, ok: false, problem: judged.problem };
    if (judged.answered) return { ...base, outcome: '200 streamed answer', ok: wantsAnswer, ...(wantsAnswer ? {} : { problem: 'streamed an answer to input that should have been refused' }) };
    return { ...base, outcome: '200 stream ending in an error', ok: !wantsAnswer || testCase.expect === 'error-or-answer', ...(testCase.expect === 'answer' ? { problem: 'a valid request ended in an error' } : {}) };
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(response.body) as Record<string, unknown>;
  } catch {
    return { ...base, outcome: `${response.status} non-JSON`, ok: false, problem: `HTTP ${response.status} with a body that is not JSON: ${response.body.slice(0, 80)}` };
  }
  const outcomeOf = (code: unknown): string => `${response.status} ${String(code ?? '')}`.trim();
  if (testCase.expect === 'unauthorized') {
    if (response.status !== 401) return { ...base, outcome: outcomeOf(''), ok: false, problem: `HTTP ${response.status} where 401 was due` };
    const error = body.error as { code?: unknown; message?: unknown; type?: unknown } | undefined;
    if (testCase.surface === 'mcp') return { ...base, outcome: '401 json-rpc', ok: body.jsonrpc === '2.0' && typeof error?.message === 'string' };
    if (testCase.surface === 'openai' && error?.type !== 'authentication_error') return { ...base, outcome: outcomeOf(error?.code), ok: false, problem: 'a 401 not in OpenAI’s error shape' };
    const problem = judgeClientError(error);
    return { ...base, outcome: outcomeOf(error?.code), ok: !problem, ...(problem ? { problem } : {}) };
  }
  if (testCase.surface === 'mcp') {
    const error = body.error as { code?: unknown; message?: unknown } | undefined;
    const result = body.result as { isError?: boolean; content?: { text?: string }[] } | undefined;
    if (error) {
      const clear = typeof error.code === 'number' && typeof error.message === 'string' && error.message.length >= 8 && error.code !== -32603;
      return { ...base, outcome: `${response.status} rpc ${String(error.code)}`, ok: clear && !(testCase.expect === 'answer'), ...(clear ? {} : { problem: `unclear JSON-RPC error ${JSON.stringify(error).slice(0, 120)}` }) };
    }
    if (result?.isError) {
      const text = result.content?.[0]?.text ?? '';
      const clear = text.length >= 8 && !/Internal error/.test(text);
      return { ...base, outcome: '200 tool error', ok: clear && testCase.expect !== 'answer', ...(clear ? {} : { problem: `unclear tool error: ${text.slice(0, 120)}` }) };
    }
    return { ...base, outcome: '200 result', ok: wantsAnswer, ...(wantsAnswer ? {} : { problem: 'a normal result for input that should have been refused' }) };
  }
  if (response.status === 200) {
    const answered = typeof body.answer === 'string' || Array.isArray(body.choices) || body.object === 'list' || body.object === 'model';
    return { ...base, outcome: '200 answer', ok: answered && wantsAnswer, ...(answered && wantsAnswer ? {} : { problem: 'accepted input that should have been refused' }) };
  }
  const error = body.error as { code?: unknown; message?: unknown; type?: unknown } | undefined;
  const outcome = outcomeOf(error?.code);
  if (response.status < 400 || response.status >= 500) return { ...base, outcome, ok: false, problem: `HTTP ${response.status} where a 4xx was due` };
  if (testCase.expect === 'answer') return { ...base, outcome, ok: false, problem: `a valid request was refused: ${String(error?.message ?? '')}` };
  if (testCase.surface === 'openai' && (typeof error?.type !== 'string' || !('param' in (error ?? {})))) return { ...base, outcome, ok: false, problem: 'an error not in OpenAI’s shape { message, type, param, code }' };
  const problem = judgeClientError(error);
  return { ...base, outcome, ok: !problem, ...(problem ? { problem } : {}) };
}

/** Socket.IO handshakes with wrong keys must fail with `unauthorized`; the right key must connect. */
export async function runSocketKeyCases(url: string, key: string): Promise<Verdict[]> {
  const verdicts: Verdict[] = [];
  const attempts: [string, Record<string, string> | undefined, boolean][] = [
    ['Socket.IO: no key', undefined, false],
    ['Socket.IO: a wrong token', { token: 'wrong' }, false],
    ['Socket.IO: a 10,000-character token', { token: 'k'.repeat(10_000) }, false],
    ['Socket.IO: the right token', { token: key }, true],
  ];
  for (const [name, auth, shouldConnect] of attempts) {
    const outcome = await new Promise<string>((resolve) => {
      const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 5000, ...(auth ? { auth } : {}) });
      socket.once('connect', () => {
        socket.close();
        resolve('connected');
      });
      socket.once('connect_error', (error) => {
        socket.close();
        resolve(error.message);
      });
    });
    const ok = shouldConnect ? outcome === 'connected' : outcome === 'unauthorized';
    verdicts.push({ name, category: shouldConnect ? 'right key' : 'wrong keys', outcome, ok, ...(ok ? {} : { problem: `expected ${shouldConnect ? 'a connection' : 'unauthorized'}, got ${outcome}` }) });
  }
  return verdicts;
}
