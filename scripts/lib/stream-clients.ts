// Streaming HTTP clients for the bench and the stress suite: POST /api/ask as Server-Sent Events and
// POST /v1/chat/completions with stream: true, each read to its terminal event and reported as an
// AskOutcome (latency to answer:end / the last chunk before [DONE]). Plain node:http, keep-alive agents.
import { request as httpRequest, type Agent } from 'node:http';
import type { AskPayload } from '../../src/server/contract.ts';
import type { AskOutcome } from './answer-clients.ts';

interface StreamedFrame {
  event: string;
  data: string;
}

/** Sends one POST and hands every SSE frame to `onFrame` until it returns true (done) or the body ends. */
function postForStream(options: { url: string; path: string; body: string; headers?: Record<string, string>; agent?: Agent; timeoutMs: number; onFrame: (frame: StreamedFrame) => boolean }): Promise<{ status: number; body?: string; error?: string; done: boolean }> {
  const target = new URL(options.path, options.url);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: { status: number; body?: string; error?: string; done: boolean }): void => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const request = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: 'POST',
        path: target.pathname,
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'content-length': String(Buffer.byteLength(options.body)), ...options.headers },
        ...(options.agent ? { agent: options.agent } : {}),
        timeout: options.timeoutMs,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        response.setEncoding('utf8');
        let buffer = '';
        if (!/^text\/event-stream/.test(String(response.headers['content-type'] ?? ''))) {
          response.on('data', (chunk: string) => (buffer += chunk));
          response.on('end', () => finish({ status, body: buffer, done: false }));
          return;
        }
        response.on('data', (chunk: string) => {
          if (settled) return;
          buffer += chunk;
          let boundary: number;
          while ((boundary = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, boundary);
            buffer = buffer.slice(boundary + 2);
            let event = 'message';
            let data = '';
            for (const line of block.split('\n')) {
              if (line.startsWith('event: ')) event = line.slice(7);
              else if (line.startsWith('data: ')) data += line.slice(6);
            }
            if (data && options.onFrame({ event, data })) {
              // The rest of the body is read and dropped, so the keep-alive connection can be reused.
              finish({ status, done: true });
              return;
            }
          }
        });
        response.on('end', () => finish({ status, done: false }));
        response.on('error', (error) => finish({ status, error: error.message, done: false }));
      },
    );
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', (error) => finish({ status: 0, error: error.message, done: false }));
    request.end(options.body);
  });
}

function rejected(status: number, body: string | undefined, latencyMs: number): AskOutcome {
  try {
    const parsed = JSON.parse(body ?? '') as { error?: { code?: string; message?: string } };
    return { kind: 'rejected', status, latencyMs, code: parsed.error?.code ?? 'none', message: parsed.error?.message ?? '', notices: [] };
  } catch {
    return { kind: 'rejected', status, latencyMs, code: 'unparseable', message: (body ?? '').slice(0, 200), notices: [] };
  }
}

/** POST /api/ask with Accept: text/event-stream, read to answer:end or answer:error. */
export async function askOverSse(url: string, payload: AskPayload, options: { agent?: Agent; timeoutMs: number; headers?: Record<string, string> }): Promise<AskOutcome> {
  const started = performance.now();
  let outcome: AskOutcome | undefined;
  const notices: string[] = [];
  let terminals = 0;
  const result = await postForStream({
    url,
    path: '/api/ask',
    body: JSON.stringify(payload),
    timeoutMs: options.timeoutMs,
    ...(options.agent ? { agent: options.agent } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
    onFrame: (frame) => {
      const data = JSON.parse(frame.data) as { answer?: string; grounded?: boolean; mode?: string; code?: string; message?: string };
      if (frame.event === 'answer:notice' && data.code) notices.push(data.code);
      if (frame.event === 'answer:end' || frame.event === 'answer:error') {
        terminals++;
        const latencyMs = performance.now() - started;
        outcome =
          frame.event === 'answer:end'
            ? { kind: 'end', status: 200, latencyMs, ...(data.answer !== undefined ? { answer: data.answer } : {}), ...(data.grounded !== undefined ? { grounded: data.grounded } : {}), ...(data.mode ? { mode: data.mode } : {}), notices }
            : { kind: 'error', status: 200, latencyMs, ...(data.code ? { code: data.code } : {}), ...(data.message ? { message: data.message } : {}), notices };
        return true;
      }
      return false;
    },
  });
  const latencyMs = performance.now() - started;
  if (outcome) return outcome;
  if (result.status === 0) return { kind: result.error === 'timeout' ? 'timeout' : 'disconnected', latencyMs, ...(result.error ? { message: result.error } : {}), notices: [] };
  if (result.body !== undefined) return rejected(result.status, result.body, latencyMs);
  return { kind: terminals === 0 ? 'disconnected' : 'error', status: result.status, latencyMs, code: 'no_terminal_event', notices };
}

/** POST /v1/chat/completions with stream: true, read to the chunk with finish_reason and [DONE]. */
export async function askOverOpenAi(url: string, payload: AskPayload, options: { agent?: Agent; timeoutMs: number; headers?: Record<string, string>; model?: string }): Promise<AskOutcome> {
  const started = performance.now();
  const messages = [...(payload.history ?? []), { role: 'user', content: payload.question }];
  let text = '';
  let last: { grounded?: boolean; mode?: string; notices?: { code: string }[] } | undefined;
  let error: { code?: string; message?: string } | undefined;
  const result = await postForStream({
    url,
    path: '/v1/chat/completions',
    body: JSON.stringify({ model: options.model ?? 'gov-report-assistant', stream: true, messages }),
    timeoutMs: options.timeoutMs,
    ...(options.agent ? { agent: options.agent } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
    onFrame: (frame) => {
      if (frame.data === '[DONE]') return true;
      const chunk = JSON.parse(frame.data) as { error?: { code?: string; message?: string }; choices?: { delta?: { content?: string }; finish_reason?: string | null }[]; grounded?: boolean; mode?: string; notices?: { code: string }[] };
      if (chunk.error) {
        error = chunk.error;
        return true;
      }
      text += chunk.choices?.[0]?.delta?.content ?? '';
      if (chunk.choices?.[0]?.finish_reason) last = chunk;
      return false;
    },
  });
  const latencyMs = performance.now() - started;
  if (error) return { kind: 'error', status: result.status, latencyMs, ...(error.code ? { code: error.code } : {}), ...(error.message ? { message: error.message } : {}), notices: [] };
  if (last && result.done) return { kind: 'end', status: 200, latencyMs, answer: text, ...(last.grounded !== undefined ? { grounded: last.grounded } : {}), ...(last.mode ? { mode: last.mode } : {}), notices: (last.notices ?? []).map((notice) => notice.code) };
  if (result.status === 0) return { kind: result.error === 'timeout' ? 'timeout' : 'disconnected', latencyMs, ...(result.error ? { message: result.error } : {}), notices: [] };
  if (result.body !== undefined) return rejected(result.status, result.body, latencyMs);
  return { kind: 'disconnected', status: result.status, latencyMs, code: 'no_done', notices: [] };
}
