// The server as a child process for the benchmarks and the stress suite (run by server-process.ts):
// starts it with startServer() on 127.0.0.1:0 and reports over IPC — its URL, readiness, memory,
// active handles and whether Object.prototype was polluted. Exits when the parent goes away.
import { startServer } from '../../src/main.ts';
import type { ChildReport, ParentRequest } from './server-process.ts';

const send = (report: ChildReport): void => {
  process.send?.(report);
};

/** Any enumerable key on the shared prototypes means some input polluted them. */
function pollutedKeys(): string[] {
  const keys: string[] = [];
  for (const key in {}) keys.push(`Object.prototype.${key}`);
  for (const key in []) keys.push(`Array.prototype.${key}`);
  return keys;
}

function countResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

const server = await startServer({ port: 0, host: '127.0.0.1', env: process.env }).catch((error: unknown) => {
  send({ type: 'failed', message: (error as Error).message, code: (error as { code?: string }).code ?? 'unknown' });
  process.exit(1);
});
send({ type: 'listening', url: server.url, port: server.port });
server.ready.then(
  () => send({ type: 'ready' }),
  (error: unknown) => send({ type: 'failed', message: (error as Error).message, code: (error as { code?: string }).code ?? 'unknown' }),
);

process.on('message', (request: ParentRequest) => {
  if (request.type === 'probe') {
    if (request.gc) {
      const collect = (globalThis as { gc?: () => void }).gc;
      collect?.();
      collect?.();
    }
    send({ type: 'probe', requestId: request.requestId, memory: process.memoryUsage(), resources: countResources(), polluted: pollutedKeys() });
  } else if (request.type === 'close') {
    void server.close().finally(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
