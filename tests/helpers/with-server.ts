// A real server on port 0 for one test: started with the given settings, ready (index loaded), closed after.
// `beforeReady` runs once it listens, while the index is still being opened.
import { startServer, type RunningServer } from '../../src/main.ts';

export async function withServer(env: Record<string, string>, run: (server: RunningServer) => Promise<void>, beforeReady?: (server: RunningServer) => Promise<void>): Promise<void> {
  const server = await startServer({ port: 0, host: '127.0.0.1', env });
  try {
    await beforeReady?.(server);
    await server.ready;
    await run(server);
  } finally {
    await server.close();
  }
}
