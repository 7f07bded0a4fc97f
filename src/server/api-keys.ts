// Optional bearer keys (API_KEYS) for the programmatic surfaces: /api, /v1, /mcp and Socket.IO. With no
// keys configured everything stays open, which is safe only on a loopback host (see exposureWarning).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export class ApiKeys {
  private readonly digests: Buffer[];

  constructor(keys: readonly string[]) {
    this.digests = keys.map(digest);
  }

  get required(): boolean {
    return this.digests.length > 0;
  }

  /** True when no keys are configured, or the key is one of them (compared in constant time). */
  accepts(key: string | undefined): boolean {
    if (!this.required) return true;
    if (!key) return false;
    let match = false;
    for (const known of this.digests) match = secretMatches(key, known) || match;
    return match;
  }

  /** `Authorization: Bearer <key>`, or `x-api-key: <key>` for clients that cannot set Authorization. */
  acceptsHeaders(headers: IncomingHttpHeaders): boolean {
    return this.accepts(keyFromHeaders(headers));
  }
}

export function keyFromHeaders(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match) return match[1];
  }
  const header = headers['x-api-key'];
  return typeof header === 'string' && header.trim() !== '' ? header.trim() : undefined;
}

/** The sha256 of a secret: what is kept and compared, so a comparison never depends on the secret's length. */
export function digestSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}
const digest = digestSecret;

/** Whether `candidate` is the secret whose digest is `known`: digests of equal length, compared in constant time. */
export function secretMatches(candidate: string | undefined, known: Buffer): boolean {
  return timingSafeEqual(digestSecret(candidate ?? ''), known) && candidate !== undefined && candidate !== '';
}

const LOOPBACK = /^(127(?:\.\d{1,3}){3}|::1|localhost|::ffff:127(?:\.\d{1,3}){3})$/i;

/** The warning to log when the server listens beyond this machine with no keys, else undefined. */
export function exposureWarning(host: string, keys: ApiKeys): string | undefined {
  if (keys.required || LOOPBACK.test(host.replace(/^\[|\]$/g, ''))) return undefined;
  return `Warning: listening on ${host} (reachable from other machines) with no API_KEYS set — /api, /v1, /mcp and Socket.IO are open to anyone who can reach this port. Set API_KEYS=key1,key2 to require "Authorization: Bearer <key>".`;
}

export const UNAUTHORIZED_MESSAGE = 'A valid API key is required: send "Authorization: Bearer <key>" (one of API_KEYS).';
