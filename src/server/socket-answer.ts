// Socket.IO's adapter over the answer relay: each relayed event becomes the contract's answer:* event,
// carrying the request id. The relay guarantees the one terminal event; this only emits.
import type { Socket } from 'socket.io';
import type { RelayedAnswer } from './answer-relay.ts';
import type { ClientToServerEvents, ServerToClientEvents } from './contract.ts';
import { toAnswerMessage } from './answer-messages.ts';

/** Emits one answer's events; `afterEmit` runs after each (true: the connection was dropped, stop reading). */
export async function relayToSocket(socket: Socket<ClientToServerEvents, ServerToClientEvents>, answer: RelayedAnswer, afterEmit: () => boolean = () => false): Promise<void> {
  for await (const event of answer.events) {
    const message = toAnswerMessage(answer.id, event);
    // Typed per event by toAnswerMessage; emit's overloads cannot follow a union.
    (socket.emit as (event: string, payload: unknown) => boolean)(message.event, message.payload);
    if (afterEmit()) break;
  }
}
