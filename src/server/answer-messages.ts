// The answer events as the contract names them (answer:start … answer:end | answer:error), each with
// the request id: what every streaming transport (Socket.IO, SSE) sends, so their payloads cannot drift.
import type { AnswerEvent } from '../types.ts';
import type { ServerToClientEvents } from './contract.ts';

/** The Socket.IO event name and payload for one answer event: the contract every streaming transport shares. */
export function toAnswerMessage(id: string, event: AnswerEvent): { [E in keyof ServerToClientEvents]: { event: E; payload: Parameters<ServerToClientEvents[E]>[0] } }[Exclude<keyof ServerToClientEvents, 'error'>] {
  switch (event.type) {
    case 'start':
      return { event: 'answer:start', payload: { id, mode: event.mode, regions: event.regions, query: event.query } };
    case 'sources':
      return { event: 'answer:sources', payload: { id, sources: event.sources } };
    case 'text-delta':
      return { event: 'answer:delta', payload: { id, text: event.text } };
    case 'notice':
      return { event: 'answer:notice', payload: { id, code: event.code, message: event.message } };
    case 'end': {
      const { type: _type, ...rest } = event;
      return { event: 'answer:end', payload: { id, ...rest } };
    }
    case 'error':
      return { event: 'answer:error', payload: { id, code: event.code, message: event.message } };
  }
}
