// Clients that misbehave on purpose, for the serving probes: raw Engine.IO polling sessions that ask and
// never fetch, a websocket client that stops reading, slow request bodies and headers, bare TCP
// connections. Loopback only; every one is closed by its caller.
import { Agent, request as httpRequest } from 'node:http';
import { connect, type Socket as TcpSocket } from 'node:net';
import type { AskPayload } from '../../src/server/contract.ts';
import { connectSocket, type AppSocket } from './answer-clients.ts';

/** An Engine.IO v4 polling session opened by hand: the handshake and the namespace connect, then only POSTs. */
export interface PollingSession {
  sid: string;
  /** Sends one `ask` (no acknowledgement) as a polling POST; resolves with the HTTP status (0 = failed). */
  ask(payload: AskPayload): Promise<number>;
}

/** One HTTP request; the status and body, or status 0 when it failed or timed out (10 s). */
function send(url: URL, agent: Agent, options: { method?: string; headers?: Record<string, string> }, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const request = httpRequest({ host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, agent, timeout: 10_000, ...options }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      response.on('error', () => resolve({ status: 0, body: '' }));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve({ status: 0, body: '' }));
    request.end(body);
  });
}

function post(url: URL, agent: Agent, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return send(url, agent, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8', 'content-length': String(Buffer.byteLength(body)), ...headers } }, body);
}

function get(url: URL, agent: Agent): Promise<{ status: number; body: string }> {
  return send(url, agent, {});
}

/**
 * Opens a polling session and joins the main namespace, reading only the handshake. Returns undefined
 * when the server refused the session.
 */
export async function openPollingSession(serverUrl: string, agent: Agent): Promise<PollingSession | undefined> {
  const handshake = await get(new URL('/socket.io/?EIO=4&transport=polling', serverUrl), agent);
  if (handshake.status !== 200 || !handshake.body.startsWith('0')) return undefined;
  const sid = (JSON.parse(handshake.body.slice(1)) as { sid: string }).sid;
  const sessionUrl = new URL(`/socket.io/?EIO=4&transport=polling&sid=${encodeURIComponent(sid)}`, serverUrl);
  const joined = await post(sessionUrl, agent, '40');
  if (joined.status !== 200) return undefined;
  return { sid, ask: async (payload) => (await post(sessionUrl, agent, `42${JSON.stringify(['ask', payload])}`)).status };
}

/**
 * A Socket.IO client over websocket whose TCP socket stops reading once connected (a paused tab, a
 * stalled mobile link): the server's answers pile up wherever the server keeps them.
 */
export async function connectPausedSocket(serverUrl: string): Promise<{ socket: AppSocket; resume: () => void }> {
  const socket = await connectSocket(serverUrl);
  const tcp = (socket.io.engine as unknown as { transport: { ws?: { _socket?: TcpSocket } } }).transport.ws?._socket;
  if (!tcp) throw new Error('the websocket transport exposes no TCP socket to pause');
  tcp.pause();
  return { socket, resume: () => tcp.resume() };
}

/**
 * Starts a request and then trickles: `headers` false sends the request line and one header byte per
 * second (never finishing the headers); `headers` true sends full headers for a 10 kB body and one body
 * byte per second. Resolves with the milliseconds until the server closed it, or undefined at `limitMs`.
 */
export function trickleRequest(serverUrl: string, options: { finishHeaders: boolean; limitMs: number }): Promise<number | undefined> {
  const url = new URL(serverUrl);
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect(Number(url.port), url.hostname);
    let timer: NodeJS.Timeout | undefined;
    const finish = (value: number | undefined): void => {
      clearInterval(timer);
      clearTimeout(limit);
      socket.destroy();
      resolve(value);
    };
    const limit = setTimeout(() => finish(undefined), options.limitMs);
    socket.on('connect', () => {
      socket.write(options.finishHeaders ? `POST /api/ask HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{"question":"` : `GET /healthz HTTP/1.1\r\nHost: ${url.host}\r\nX-Slow: `);
      timer = setInterval(() => socket.write(options.finishHeaders ? '江' : 'a'), 1000);
    });
    socket.on('data', () => {});
    socket.on('close', () => finish(performance.now() - started));
    socket.on('error', () => {});
  });
}

/**
 * Opens `count` bare TCP connections, each sending one `GET /healthz` with keep-alive, and counts how many
 * got an HTTP answer and stayed open for `holdMs`. All are closed before it resolves.
 */
export async function holdConnections(serverUrl: string, count: number, holdMs: number): Promise<{ answered: number; openAfterHold: number }> {
  const url = new URL(serverUrl);
  const sockets: { socket: TcpSocket; answered: boolean; closed: boolean }[] = [];
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<void>((resolve) => {
          const entry = { socket: connect(Number(url.port), url.hostname), answered: false, closed: false };
          sockets.push(entry);
          const done = setTimeout(resolve, 3000);
          entry.socket.on('connect', () => entry.socket.write(`GET /healthz HTTP/1.1\r\nHost: ${url.host}\r\nConnection: keep-alive\r\n\r\n`));
          entry.socket.on('data', (chunk: Buffer) => {
            if (chunk.toString('latin1').startsWith('HTTP/1.1 200')) entry.answered = true;
            clearTimeout(done);
            resolve();
          });
          entry.socket.on('close', () => {
            entry.closed = true;
            clearTimeout(done);
            resolve();
          });
          entry.socket.on('error', () => {});
        }),
    ),
  );
  await new Promise((resolve) => setTimeout(resolve, holdMs));
  const result = { answered: sockets.filter((entry) => entry.answered).length, openAfterHold: sockets.filter((entry) => !entry.closed).length };
  for (const entry of sockets) entry.socket.destroy();
  return result;
}
