// The Host header check (against DNS rebinding): only the configured host names may address this server.
// `*` allows any host. Names are compared without the port, case-insensitively; IPv6 literals keep brackets.

export type HostCheck = (hostHeader: string | undefined) => boolean;

/** `reports.example:3000` → `reports.example`; `[::1]:3000` → `[::1]`. */
export function hostName(hostHeader: string): string {
  const host = hostHeader.trim().toLowerCase();
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? host : host.slice(0, end + 1);
  }
  const colon = host.indexOf(':');
  return (colon === -1 ? host : host.slice(0, colon)).replace(/\.$/, '');
}

export function createHostCheck(allowedHosts: string[]): HostCheck {
  if (allowedHosts.includes('*')) return () => true;
  const allowed = new Set(allowedHosts.map((host) => hostName(host)));
  return (hostHeader) => hostHeader !== undefined && allowed.has(hostName(hostHeader));
}
