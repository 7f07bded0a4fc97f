// The Socket.IO event contract, shared by the server, the tests and the web page (type-only imports).
import type { AnswerMode, Source, Turn } from '../types.ts';

export interface AskPayload {
  question: string;
  history?: Turn[];
  region?: string;
  k?: number;
}

export interface ClientError {
  code: string;
  message: string;
}

export type AskAck = { ok: true; id: string } | { ok: false; error: ClientError };

export interface ClientToServerEvents {
  ask: (payload: AskPayload, ack?: (response: AskAck) => void) => void;
  cancel: (payload: { id: string }, ack?: (response: { ok: boolean; error?: ClientError }) => void) => void;
}

export interface ServerToClientEvents {
  'answer:start': (payload: { id: string; mode: AnswerMode; regions: string[]; query: string }) => void;
  'answer:sources': (payload: { id: string; sources: Source[] }) => void;
  'answer:delta': (payload: { id: string; text: string }) => void;
  'answer:notice': (payload: { id: string; code: string; message: string }) => void;
  'answer:end': (payload: {
    id: string;
    answer: string;
    citations: number[];
    grounded: boolean;
    mode: AnswerMode;
    flagged: { sentence: string; numbers: string[] }[];
    /** Why the reports cannot answer, when `grounded` is false. */
    refusal?: { reason: string; message?: string };
  }) => void;
  'answer:error': (payload: { id: string; code: string; message: string }) => void;
  /**
   * Sent for what the server cannot attach to a request: unknown events, an ask without an
   * acknowledgement that fails validation. A frame up to 1 MB is read, so an over-long question or history
   * gets `invalid_input`; a frame Socket.IO cannot decode, or one over 1 MB, closes the connection instead
   * (Socket.IO gives no hook to answer it), as does output piling up for a client that stopped reading.
   */
  error: (payload: ClientError) => void;
}
