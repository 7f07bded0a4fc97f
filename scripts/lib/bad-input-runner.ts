// Sends the malformed inputs of bad-input.ts and judges each response: a clear error (a 4xx or a
// negative acknowledgement / `error` event with { code, message } a person can act on), or — where the
// input is valid once its junk is dropped — exactly one normal answer.
import { INVALID_UTF8, VALID_QUESTION, type HttpCase, type SocketCase } from './bad-input.ts';
import { connectSocket, sendHttp, type AppSocket } from './answer-clients.ts';

import { formatTable } from './table.ts';

export interface Verdict {
  name: string;
  category: string;
  /** What happened: `400 invalid_input`, `ack invalid_input`, `error-event unknown_event`, `answer`, `dropped`, … */
  outcome: string;
  ok: boolean;
  /** Why it is not ok (absent when ok). */
  problem?: string;
}

const STACK_OR_INTERNALS = /\n\s+at |\.ts:\d+|\.js:\d+|node_modules|TypeError|ReferenceError|SyntaxError: Unexpected|Cannot read prop|undefined is not/;

/** A `{ code, message }` a client can show and act on: a snake_case code, a sentence, no stack or internals. */
export function judgeClientError(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return 'no { code, message } error object';
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code !== 'string' || !/^[a-z][a-z_]*$/.test(code)) return `error code ${JSON.stringify(code)} is not a snake_case string`;
  if (code === 'internal') return 'an internal error for a client mistake';
  if (typeof message !== 'string' || message.trim().length < 8) return `error message ${JSON.stringify(message)} is empty or too short`;
  if (message.length > 1000) return 'error message longer than 1,000 characters';
  if (STACK_OR_INTERNALS.test(message)) return 'error message shows a stack trace or internals';
  return undefined;
}

export async function runHttpCase(url: string, testCase: HttpCase): Promise<Verdict> {
  const response = await sendHttp({ url, method: testCase.method, path: testCase.path, ...(testCase.headers ? { headers: testCase.headers } : {}), ...(testCase.body !== undefined ? { body: testCase.body } : {}), timeoutMs: 15_000 });
  const base = { name: testCase.name, category: testCase.category };
  if (response.status === 0) return { ...base, outcome: `no response (${response.body})`, ok: false, problem: `no HTTP response: ${response.body}` };
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    // The error body is the API's contract; outside /api (the web page's files) a 4xx is enough.
    if (!testCase.path.startsWith('/api/') && response.status >= 400 && response.status < 500) return { ...base, outcome: `${response.status} (web page route, no JSON body)`, ok: true };
    return { ...base, outcome: `${response.status} non-JSON`, ok: false, problem: `HTTP ${response.status} with a body that is not JSON: ${response.body.slice(0, 80)}` };
  }
  if (response.status === 200) {
    const { answer, sources } = body as { answer?: unknown; sources?: unknown };
    if (testCase.expect === 'error-or-answer' && (typeof answer === 'string' || Array.isArray(sources))) return { ...base, outcome: '200 answer', ok: true };
    return { ...base, outcome: '200', ok: false, problem: 'accepted input that should have been refused' };
  }
  const error = (body as { error?: unknown }).error;
  const code = (error as { code?: string } | undefined)?.code ?? '?';
  const outcome = `${response.status} ${code}`;
  if (response.status < 400 || response.status >= 500) return { ...base, outcome, ok: false, problem: `HTTP ${response.status} (${(error as { message?: string } | undefined)?.message ?? ''}) where a 4xx was due` };
  const problem = judgeClientError(error);
  return problem ? { ...base, outcome, ok: false, problem } : { ...base, outcome, ok: true };
}

type LooseSocket = {
  emit(event: string, ...args: unknown[]): unknown;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
  io: { engine: { write(message: string): void } };
  connected: boolean;
};

/**
 * Runs one Socket.IO case on `socket` and waits for its response (at most `timeoutMs`). Returns the
 * verdict and whether the connection is still usable.
 */
export async function runSocketCase(socket: AppSocket, testCase: SocketCase, timeoutMs = 5000): Promise<Verdict & { connectionLost: boolean }> {
  const loose = socket as unknown as LooseSocket;
  const base = { name: testCase.name, category: testCase.category };
  type Event = { kind: 'ack'; response: unknown } | { kind: 'error-event'; payload: unknown } | { kind: 'answer'; id: string; error?: { code?: string; message?: string } } | { kind: 'disconnect'; reason: string } | { kind: 'timeout' };
  const events: Event[] = [];
  let wake: () => void = () => {};
  const push = (event: Event): void => {
    events.push(event);
    wake();
  };
  const onError = (payload: unknown): void => push({ kind: 'error-event', payload });
  const onEnd = (payload: unknown): void => push({ kind: 'answer', id: String((payload as { id?: unknown }).id) });
  const onAnswerError = (payload: unknown): void => push({ kind: 'answer', id: String((payload as { id?: unknown }).id), error: payload as { code?: string; message?: string } });
  const onDisconnect = (reason: unknown): void => push({ kind: 'disconnect', reason: String(reason) });
  loose.on('error', onError);
  loose.on('answer:end', onEnd);
  loose.on('answer:error', onAnswerError);
  loose.on('disconnect', onDisconnect);
  const timer = setTimeout(() => push({ kind: 'timeout' }), timeoutMs);
  try {
    if (testCase.emit) {
      const { event, args, ack } = testCase.emit;
      if (ack) loose.emit(event, ...args, (response: unknown) => push({ kind: 'ack', response }));
      else loose.emit(event, ...args);
    } else if (testCase.raw !== undefined) {
      loose.io.engine.write(testCase.raw);
    }
    // Wait until the events settle the case.
    for (;;) {
      const verdict = settle(testCase, events);
      if (verdict) return { ...base, ...verdict, connectionLost: events.some((event) => event.kind === 'disconnect') || !socket.connected };
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    clearTimeout(timer);
    loose.off('error', onError);
    loose.off('answer:end', onEnd);
    loose.off('answer:error', onAnswerError);
    loose.off('disconnect', onDisconnect);
  }

  function settle(testCase: SocketCase, seen: Event[]): Pick<Verdict, 'outcome' | 'ok' | 'problem'> | undefined {
    const last = seen.at(-1);
    if (!last) return undefined;
    const timedOut = last.kind === 'timeout';
    const dropped = seen.some((event) => event.kind === 'disconnect');
    const ack = seen.find((event): event is Extract<Event, { kind: 'ack' }> => event.kind === 'ack');
    const errorEvent = seen.find((event): event is Extract<Event, { kind: 'error-event' }> => event.kind === 'error-event');
    const acknowledged = ack && (ack.response as { ok?: unknown }).ok === true ? String((ack.response as { id?: unknown }).id) : undefined;
    // Answers of this case: for the acknowledged id, or any on this connection when no ack was asked for.
    const answers = seen.filter((event): event is Extract<Event, { kind: 'answer' }> => event.kind === 'answer' && (acknowledged === undefined || event.id === acknowledged));
    const clearError = (outcome: string, error: unknown): Pick<Verdict, 'outcome' | 'ok' | 'problem'> => {
      const problem = judgeClientError(error);
      return { outcome, ok: !problem, ...(problem ? { problem } : {}) };
    };
    if (testCase.expect === 'dropped') {
      if (dropped) return { outcome: 'dropped', ok: true };
      if (errorEvent) return clearError(`error-event ${(errorEvent.payload as { code?: string }).code}`, errorEvent.payload);
      if (ack) {
        const response = ack.response as { ok?: unknown; error?: { code?: string } } | undefined;
        return response?.ok === false ? clearError(`ack ${response.error?.code}`, response.error) : { outcome: 'ack ok', ok: true };
      }
      // Nothing at all within the window: ignored, which is fine for a packet the protocol forbids.
      return timedOut ? { outcome: 'ignored', ok: true } : undefined;
    }
    if (dropped) return { outcome: 'dropped', ok: false, problem: 'the server closed the connection instead of answering with an error' };
    if (ack && !acknowledged) {
      const error = (ack.response as { error?: { code?: string } } | undefined)?.error;
      if (ack.response && (ack.response as { ok?: unknown }).ok === false) return clearError(`ack ${error?.code}`, error);
      return { outcome: `ack ${JSON.stringify(ack.response).slice(0, 60)}`, ok: false, problem: 'a malformed acknowledgement' };
    }
    if (errorEvent) return clearError(`error-event ${(errorEvent.payload as { code?: string }).code}`, errorEvent.payload);
    const terminal = answers[0];
    if (terminal) {
      const prefix = acknowledged ? 'ack ok → ' : '';
      if (terminal.kind === 'answer' && terminal.error) return clearError(`${prefix}answer:error ${terminal.error.code}`, terminal.error);
      if (testCase.expect === 'error-or-answer') return { outcome: `${prefix}answer`, ok: true };
      return { outcome: `${prefix}answer`, ok: false, problem: 'answered input that should have been refused' };
    }
    if (timedOut) return { outcome: acknowledged ? 'ack ok, then nothing' : 'no response', ok: false, problem: `no error${testCase.expect === 'error-or-answer' ? ' and no answer' : ''} within ${timeoutMs} ms` };
    return undefined;
  }
}

/** Runs Socket.IO cases on `workers` connections in parallel, replacing a connection the server dropped. */
export async function runSocketCases(url: string, cases: readonly SocketCase[], workers: number): Promise<Verdict[]> {
  const verdicts: Verdict[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      let socket = await connectSocket(url);
      while (next < cases.length) {
        const testCase = cases[next++]!;
        const verdict = await runSocketCase(socket, testCase);
        verdicts.push(verdict);
        if (verdict.connectionLost || !socket.connected) {
          socket.close();
          socket = await connectSocket(url);
        }
      }
      socket.close();
    }),
  );
  return verdicts;
}

/**
 * Invalid UTF-8 cannot be written by the client library (JavaScript strings are UTF-16), so these go
 * over Engine.IO's HTTP long-polling transport as raw bytes, one session each.
 */
export async function runInvalidUtf8OverPolling(url: string): Promise<Verdict[]> {
  const verdicts: Verdict[] = [];
  const base = '/socket.io/?EIO=4&transport=polling';
  for (const { name, bytes } of INVALID_UTF8) {
    for (const placement of ['in the question', 'as the event name', 'as the packet'] as const) {
      // Only a packet that cannot be decoded may end the session; the others need an error or an answer.
      const mayDrop = placement === 'as the packet';
      const caseName = `polling: ${name} ${placement}`;
      const category = 'invalid UTF-8 (long-polling)';
      const open = await sendHttp({ url, path: base, timeoutMs: 5000 });
      const sid = /"sid":"([^"]+)"/.exec(open.body)?.[1];
      if (!sid) {
        verdicts.push({ name: caseName, category, outcome: `handshake ${open.status}`, ok: false, problem: `no Engine.IO handshake: ${open.body.slice(0, 80)}` });
        continue;
      }
      const session = `${base}&sid=${encodeURIComponent(sid)}`;
      await sendHttp({ url, method: 'POST', path: session, headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: '40', timeoutMs: 5000 });
      const connected = await sendHttp({ url, path: session, timeoutMs: 5000 });
      if (!connected.body.includes('40')) {
        verdicts.push({ name: caseName, category, outcome: 'no namespace', ok: false, problem: `namespace connect failed: ${connected.body.slice(0, 80)}` });
        continue;
      }
      const packet =
        placement === 'in the question'
          ? Buffer.concat([Buffer.from(`42["ask",{"question":"${VALID_QUESTION}`), Buffer.from(bytes), Buffer.from('"}]')])
          : placement === 'as the event name'
            ? Buffer.concat([Buffer.from('42["'), Buffer.from(bytes), Buffer.from('",{}]')])
            : Buffer.concat([Buffer.from('42'), Buffer.from(bytes)]);
      const posted = await sendHttp({ url, method: 'POST', path: session, headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: packet, timeoutMs: 5000 });
      let verdict: Verdict | undefined;
      if (posted.status !== 200) verdict = { name: caseName, category, outcome: `POST ${posted.status}`, ok: posted.status >= 400 && posted.status < 500, ...(posted.status >= 500 ? { problem: `HTTP ${posted.status}` } : {}) };
      const deadline = Date.now() + 5000;
      while (!verdict && Date.now() < deadline) {
        const poll = await sendHttp({ url, path: session, timeoutMs: 5000 });
        if (poll.status !== 200) {
          // The session was closed because the packet could not be decoded: a protocol violation, dropped.
          verdict = { name: caseName, category, outcome: `dropped (${poll.status})`, ok: mayDrop, ...(mayDrop ? {} : { problem: 'session closed for a decodable packet' }) };
          break;
        }
        for (const piece of poll.body.split('\x1e')) {
          if (piece === '1') verdict = { name: caseName, category, outcome: 'dropped', ok: mayDrop, ...(mayDrop ? {} : { problem: 'closed for a decodable packet' }) };
          if (piece.startsWith('42["error"')) {
            const payload = JSON.parse(piece.slice(2)) as [string, unknown];
            const problem = judgeClientError(payload[1]);
            verdict = { name: caseName, category, outcome: `error-event ${(payload[1] as { code?: string }).code}`, ok: !problem, ...(problem ? { problem } : {}) };
          }
          if (piece.startsWith('42["answer:end"')) verdict = { name: caseName, category, outcome: 'answer (bytes decoded as U+FFFD)', ok: true };
          if (piece.startsWith('42["answer:error"')) verdict = { name: caseName, category, outcome: 'answer:error', ok: false, problem: piece.slice(0, 120) };
          if (verdict) break;
        }
      }
      verdicts.push(verdict ?? { name: caseName, category, outcome: 'no response', ok: mayDrop, ...(mayDrop ? {} : { problem: 'no answer and no error within 5 s' }) });
      await sendHttp({ url, method: 'POST', path: session, headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: '1', timeoutMs: 2000 });
    }
  }
  return verdicts;
}

/** Verdicts grouped by category: counts, a JSON-ready summary and the table the stress report prints. */
export function summarizeVerdicts(verdicts: readonly Verdict[]): { categories: Record<string, { total: number; ok: number; outcomes: Record<string, number> }>; bad: Verdict[]; table: string } {
  const byCategory = new Map<string, { total: number; ok: number; outcomes: Map<string, number> }>();
  for (const verdict of verdicts) {
    const entry = byCategory.get(verdict.category) ?? { total: 0, ok: 0, outcomes: new Map<string, number>() };
    entry.total++;
    if (verdict.ok) entry.ok++;
    entry.outcomes.set(verdict.outcome, (entry.outcomes.get(verdict.outcome) ?? 0) + 1);
    byCategory.set(verdict.category, entry);
  }
  const bad = verdicts.filter((verdict) => !verdict.ok);
  const table = `${formatTable(
    ['category', 'cases', 'clear', 'responses'],
    [...byCategory].map(([category, entry]) => [
      category,
      String(entry.total),
      String(entry.ok),
      [...entry.outcomes]
        .sort((left, right) => right[1] - left[1])
        .map(([outcome, count]) => `${outcome} ×${count}`)
        .join(', ')
        .slice(0, 110),
    ]),
  )}${bad.length > 0 ? `\n\nnot clear:\n${formatTable(['case', 'response', 'problem'], bad.slice(0, 25).map((verdict) => [verdict.name.slice(0, 60), verdict.outcome, verdict.problem ?? '']))}` : ''}`;
  const categories = Object.fromEntries([...byCategory].map(([category, entry]) => [category, { total: entry.total, ok: entry.ok, outcomes: Object.fromEntries(entry.outcomes) }]));
  return { categories, bad, table };
}
