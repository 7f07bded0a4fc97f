// The server the UI tests run against: the real one on port 0, or an already running one named by UI_E2E_URL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/** `env` adds settings (DATA_DIR, INDEX_DIR of a corpus of its own); such a server is always started here. */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const external = process.env.UI_E2E_URL;
  if (external && Object.keys(env).length === 0) return { url: external.replace(/\/$/, ''), close: async () => undefined };
  // Imported lazily so that a missing browser skips the tests without loading the server and its index.
  const { startServer } = await import('../../src/main.ts');
  // Conversations go to a database of the test's own, not to conversations.sqlite beside the project's index.
  const folder = mkdtempSync(path.join(tmpdir(), 'e2e-conversations-'));
  const server = await startServer({ port: 0, host: '127.0.0.1', env: { RATE_LIMIT_PER_MINUTE: '0', CONVERSATIONS_DB: path.join(folder, 'conversations.sqlite'), ...env } });
  // The server listens before its index is loaded; questions need the index.
  await server.ready;
  return {
    url: server.url,
    close: async () => {
      await server.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
