// A real redis-server (Debian's package) on a free loopback port, for the tests of shared state: started
// without persistence in a folder of its own, stopped and started again on the same port to play an outage.
// Whether those tests run: in CI its absence is an error (.ci/run installs it); elsewhere they skip.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort, startRedisServer, type ManagedProcess } from '../../src/cluster/processes.ts';

export { freePort };

export const REDIS_SERVER_PATH = '/usr/bin/redis-server';
const missing = !existsSync(REDIS_SERVER_PATH);
if (missing && process.env.CI) throw new Error(`${REDIS_SERVER_PATH} is missing: install it with apt-get install -y redis-server`);
/** Why the tests that need Redis skip (outside CI, without it), or false when they run. */
export const redisSkip: string | false = missing ? `${REDIS_SERVER_PATH} is missing (apt-get install -y redis-server); Redis tests skipped` : false;


export interface TestRedis {
  url: string;
  port: number;
  /** Stops the server (SIGKILL: an outage, not a shutdown) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gov-report-redis-'));
  let server: ManagedProcess | undefined;
  const start = async (): Promise<void> => {
    server = await startRedisServer({ port, dir, serverPath: REDIS_SERVER_PATH });
  };
  const stop = async (): Promise<void> => {
    await server?.stop({ signal: 'SIGKILL' });
    server = undefined;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    start,
    close: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
