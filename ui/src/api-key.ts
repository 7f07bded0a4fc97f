// The API key the page sends when the server requires one (API_KEYS): taken once from `?key=…` (then
// kept in localStorage and removed from the address bar), or asked for when the server answers 401.
const STORAGE_KEY = 'gov-report-assistant.apiKey';

function readStored(): string | undefined {
  try {
    return localStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function store(key: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, key);
  } catch {
    // Private mode: the key lasts for this page only.
  }
  current = key;
}

let current = readStored();
{
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('key');
  if (fromUrl) {
    store(fromUrl);
    url.searchParams.delete('key');
    history.replaceState(history.state, '', url);
  }
}

export function apiKey(): string | undefined {
  return current;
}

const CLIENT_KEY = 'gov-report-assistant.client-id';
let client: string | undefined;

/**
 * This browser's id for the conversations it keeps on the server (without API_KEYS they belong to it): made
 * once, random, kept in localStorage. Clearing the browser's storage starts an empty history.
 */
export function clientId(): string {
  if (client) return client;
  try {
    client = localStorage.getItem(CLIENT_KEY) ?? undefined;
  } catch {
    client = undefined;
  }
  if (!client || !/^[A-Za-z0-9_-]{16,128}$/.test(client)) {
    const bytes = crypto.getRandomValues(new Uint8Array(18));
    client = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    try {
      localStorage.setItem(CLIENT_KEY, client);
    } catch {
      // Private mode: the history lasts for this page only.
    }
  }
  return client;
}

export function authHeaders(): Record<string, string> {
  return { ...(current ? { authorization: `Bearer ${current}` } : {}), 'x-client-id': clientId() };
}

/**
 * After a refusal made with `usedKey`: true when there is a different key to try (another request already
 * asked for one, or the user just entered one), false when the user declined.
 */
export function renewApiKey(usedKey: string | undefined): boolean {
  if (current !== usedKey) return true;
  const entered = window.prompt('此服务器需要 API 密钥 / This server requires an API key:')?.trim();
  if (!entered) return false;
  store(entered);
  return true;
}
