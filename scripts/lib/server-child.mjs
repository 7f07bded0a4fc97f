// The server as a child process for the benchmarks and the stress suite (run by server-process.ts): the
// server `npm start` runs (dist/server/, built by scripts/build-server.mjs; no TypeScript loader, so its
// memory is what users get), started with startServer() on 127.0.0.1:0, reporting over IPC — its URL,
// readiness, memory, active handles and whether Object.prototype was polluted. Exits when the parent goes away.
// Plain JavaScript for that reason; the messages are typed in server-process.ts (ChildReport, ParentRequest).
import { startServer } from '../../dist/server/main.js';

/** @param {import('./server-process.ts').ChildReport} report */
const send = (report) => {
  process.send?.(report);
};

/** Any enumerable key on the shared prototypes means some input polluted them. */
function pollutedKeys() {
  const keys = [];
  for (const key in {}) keys.push(`Object.prototype.${key}`);
  for (const key in []) keys.push(`Array.prototype.${key}`);
  return keys;
}

function countResources() {
  /** @type {Record<string, number>} */
  const counts = {};
  for (const name of process.getActiveResourcesInfo()) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

const server = await startServer({ port: 0, host: '127.0.0.1', env: process.env }).catch((error) => {
  send({ type: 'failed', message: error.message, code: error.code ?? 'unknown' });
  process.exit(1);
});
send({ type: 'listening', url: server.url, port: server.port });
server.ready.then(
  () => send({ type: 'ready' }),
  (error) => send({ type: 'failed', message: error.message, code: error.code ?? 'unknown' }),
);

process.on('message', (/** @type {import('./server-process.ts').ParentRequest} */ request) => {
  if (request.type === 'probe') {
    if (request.gc) {
      globalThis.gc?.();
      globalThis.gc?.();
    }
    send({ type: 'probe', requestId: request.requestId, memory: process.memoryUsage(), resources: countResources(), polluted: pollutedKeys() });
  } else if (request.type === 'close') {
    void server.close().finally(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
