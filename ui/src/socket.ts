// The typed Socket.IO connection to the server and an `ask` that resolves with the server's acknowledgement.
import { io, type Socket } from 'socket.io-client';
import { apiKey, renewApiKey } from './api-key.ts';
import type { AskAck, AskPayload, ClientToServerEvents, ServerToClientEvents } from '../../src/server/contract.ts';

export type AssistantSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function connectSocket(): AssistantSocket {
  // A 5 s connection timeout: someone looking at the page should learn quickly that the server is down.
  // auth is read on every attempt, so a key entered after a refusal is sent on the next one.
  const socket: AssistantSocket = io({ transports: ['websocket', 'polling'], timeout: 5000, reconnectionDelayMax: 4000, auth: (send) => send(apiKey() ? { token: apiKey() } : {}) });
  socket.on('connect_error', (error) => {
    // A refused key is final for Socket.IO (no automatic retry): ask for one and connect again.
    if (error.message !== 'unauthorized') return;
    const used = apiKey();
    if (renewApiKey(used)) socket.connect();
  });
  return socket;
}

/** Emit `ask`; resolves with the acknowledgement, or with a `timeout` error when none arrives in `timeoutMs`. */
export function askQuestion(socket: AssistantSocket, payload: AskPayload, timeoutMs = 20_000): Promise<AskAck> {
  return new Promise((resolve) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      resolve({ ok: false, error: { code: 'timeout', message: 'no acknowledgement' } });
    }, timeoutMs);
    socket.emit('ask', payload, (ack) => {
      if (settled) return;
      clearTimeout(timer);
      resolve(ack);
    });
  });
}

export function cancelAnswer(socket: AssistantSocket, id: string): void {
  socket.emit('cancel', { id });
}
