// What Node's HTTP parser refuses before Express sees a request (headers over the size limit, a request
// that took too long to arrive, malformed HTTP) is answered in the API's error shape, not a bare status line.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorCode } from '../errors.ts';

function describe(code: string | undefined, maxHeaderBytes: number): { status: number; code: ErrorCode; message: string } {
  if (code === 'HPE_HEADER_OVERFLOW') return { status: 431, code: 'headers_too_large', message: `The request line and headers are over ${Math.round(maxHeaderBytes / 1024)} kB; send a long search as POST /api/search with a JSON body.` };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, code: 'request_timeout', message: 'The request took too long to arrive; the connection is closed.' };
  return { status: 400, code: 'invalid_input', message: 'The request is not valid HTTP/1.1.' };
}

export function answerClientError(error: Error & { code?: string }, socket: Duplex, maxHeaderBytes: number): void {
  const responding = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || responding?.headersSent) {
    socket.destroy();
    return;
  }
  const { status, code, message } = describe(error.code, maxHeaderBytes);
  const body = JSON.stringify({ error: { code, message } });
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
