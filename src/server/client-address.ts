// The one key every per-client limit uses: the peer address of the TCP connection (proxy headers are not
// trusted), with IPv4-mapped IPv6 folded to IPv4 so that both spellings count as one client.

export function clientAddress(remoteAddress: string | undefined): string {
  if (!remoteAddress) return 'unknown';
  return remoteAddress.startsWith('::ffff:') && remoteAddress.includes('.') ? remoteAddress.slice(7) : remoteAddress;
}

/** The rate limiter's key for a client, shared by HTTP and Socket.IO. */
export const rateLimitKey = (remoteAddress: string | undefined): string => `ip:${clientAddress(remoteAddress)}`;
