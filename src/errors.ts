// One error type for the whole app: a machine-readable code, a message a user can act on, and a cause.

export type ErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'gone'
  | 'region_not_in_corpus'
  | 'index_missing'
  | 'index_corrupt'
  | 'not_ready'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unreadable_document'
  | 'unsupported_format'
  | 'conflict'
  | 'forbidden'
  | 'unauthorized'
  | 'busy'
  | 'cancelled'
  | 'deadline_exceeded'
  | 'model_error'
  | 'config_invalid'
  | 'host_not_allowed'
  | 'unsupported_media_type'
  | 'headers_too_large'
  | 'request_timeout'
  | 'shutting_down'
  | 'unavailable'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  not_found: 404,
  gone: 410,
  region_not_in_corpus: 404,
  index_missing: 503,
  index_corrupt: 503,
  not_ready: 503,
  rate_limited: 429,
  payload_too_large: 413,
  unreadable_document: 422,
  unsupported_format: 415,
  conflict: 409,
  forbidden: 403,
  unauthorized: 401,
  busy: 409,
  cancelled: 499,
  deadline_exceeded: 504,
  model_error: 502,
  config_invalid: 500,
  host_not_allowed: 403,
  unsupported_media_type: 415,
  headers_too_large: 431,
  request_timeout: 408,
  shutting_down: 503,
  unavailable: 503,
  internal: 500,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }
  get status(): number {
    return STATUS[this.code];
  }
}

/** What a client may see of any thrown value: never a stack, never an internal message. */
export function toClientError(error: unknown): { status: number; code: ErrorCode; message: string } {
  if (error instanceof AppError) return { status: error.status, code: error.code, message: error.message };
  return { status: 500, code: 'internal', message: 'Internal error; the server logged the details.' };
}
