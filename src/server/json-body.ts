// Request bodies of the API: JSON only (`application/json` or `+json`), so that a foreign page cannot post
// a question as text/plain (a "simple" request that skips the CORS preflight). Multipart bodies are left
// to the routes that take uploads.
import express, { type NextFunction, type Request, type Response } from 'express';
import { AppError } from '../errors.ts';
import { sendError } from './http-routes.ts';

/** Room for a 2,000-character question with 20,000 characters of history (about 66 kB of UTF-8 Chinese). */
export const BODY_LIMIT = '256kb';

const mediaType = (contentType: string): string => (contentType.split(';')[0] ?? '').trim().toLowerCase();
const isJson = (type: string): boolean => type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
const hasBody = (request: Request): boolean => request.headers['transfer-encoding'] !== undefined || (request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0');

/** `limit` is larger for a whole conversation saved at once (its answers and their sources). */
export function jsonBody(limit: string = BODY_LIMIT): (request: Request, response: Response, next: NextFunction) => void {
  // Not strict: a JSON string or null parses, and validation then says an object is required.
  const parse = express.json({ limit, strict: false, type: (request) => isJson(mediaType(String(request.headers['content-type'] ?? ''))) });
  return (request, response, next) => {
    // Without a body there is nothing to refuse: the parser leaves an empty object for validation to name what is missing.
    if (!hasBody(request)) return parse(request, response, next);
    const type = mediaType(request.headers['content-type'] ?? '');
    if (type === 'multipart/form-data') return next();
    if (!isJson(type)) {
      return sendError(response, new AppError('unsupported_media_type', `Send the body as JSON with Content-Type: application/json${type ? ` (got ${type.slice(0, 60)})` : ' (none was given)'}.`));
    }
    parse(request, response, next);
  };
}
