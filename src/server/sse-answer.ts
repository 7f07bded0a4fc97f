// Server-Sent Events for POST /api/ask with `Accept: text/event-stream`: the Socket.IO answer events
// (answer:start, answer:sources, answer:delta, answer:notice, answer:end | answer:error), each `data:`
// one JSON payload of the same shape. Closing the connection cancels the answer.
import type { Request, Response } from 'express';
import type { RelayedAnswer } from './answer-relay.ts';
import { toAnswerMessage } from './answer-messages.ts';

/** True when the client asks for an event stream (and prefers it to JSON). */
export function wantsEventStream(request: Request): boolean {
  const accept = request.headers.accept ?? '';
  return /(^|,)\s*text\/event-stream\s*(;|,|$)/i.test(accept);
}

/** One SSE frame; JSON never holds a raw newline, so one `data:` line is enough. */
export function formatSseFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Comment lines keep proxies from closing a quiet stream (a model may think for a while). */
const HEARTBEAT_MS = 15_000;

/** Streams one admitted answer as SSE; resolves when the terminal event is written or the client left. */
export async function streamAnswerAsSse(request: Request, response: Response, answer: RelayedAnswer): Promise<void> {
  response.status(200);
  response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  response.setHeader('Cache-Control', 'no-cache, no-transform');
  response.setHeader('Connection', 'keep-alive');
  // nginx buffers responses unless told not to.
  response.setHeader('X-Accel-Buffering', 'no');
  response.setHeader('X-Answer-Id', answer.id);
  response.flushHeaders();
  request.socket.setNoDelay(true);
  const onClose = (): void => {
    if (!response.writableFinished) answer.cancel();
  };
  response.on('close', onClose);
  const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  try {
    response.write(`: answer ${answer.id}\n\n`);
    for await (const event of answer.events) {
      if (response.destroyed) break;
      const message = toAnswerMessage(answer.id, event);
      response.write(formatSseFrame(message.event, message.payload));
    }
  } finally {
    clearInterval(heartbeat);
    response.off('close', onClose);
    if (!response.destroyed) response.end();
  }
}
