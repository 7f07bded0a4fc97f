// The one key every per-client limit uses: the peer address of the TCP connection (proxy headers are
// trusted only from the proxies TRUST_PROXY names), with IPv4-mapped IPv6 folded to IPv4 so that both
// spellings count as one client.
import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

export function clientAddress(remoteAddress: string | undefined): string {
  if (!remoteAddress) return 'unknown';
  return remoteAddress.startsWith('::ffff:') && remoteAddress.includes('.') ? remoteAddress.slice(7) : remoteAddress;
}

/** The rate limiter's key for a client, shared by HTTP and Socket.IO. */
export const rateLimitKey = (address: string | undefined): string => `ip:${clientAddress(address)}`;

/** Reads a request's client address. */
export type AddressOf = (request: IncomingMessage) => string;

/**
 * The client of a request: the TCP peer, or, when the peer is a trusted proxy (TRUST_PROXY: `loopback`,
 * addresses, CIDR ranges), the address it put in X-Forwarded-For — the same rule Express applies to request.ip.
 */
export function createAddressReader(trustedProxies: readonly string[]): AddressOf {
  if (trustedProxies.length === 0) return (request) => clientAddress(request.socket.remoteAddress);
  const trust = proxyAddr.compile([...trustedProxies]);
  return (request) => clientAddress(proxyAddr(request, trust));
}
