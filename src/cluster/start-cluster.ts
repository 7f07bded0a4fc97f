// A cluster on one machine, all on loopback: Redis (Debian's redis-server, private and without persistence,
// unless an existing REDIS_URL is given), N replicas of the server `npm start` runs (dist/server/main.js, each
// on its own port, sharing data/ and vectorstore/) and nginx in front of them with the repository's site
// config. `npm run cluster` runs it; the replica test and the bench drive it (kill a replica, restart
// Redis, serve through fewer replicas).
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NGINX_SITE, renderMainConfig, renderSite } from './nginx-config.ts';
import { existsSync } from 'node:fs';
import { launch, portInUse, startRedisServer, waitForOk, waitForPort, type ManagedProcess } from './processes.ts';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ClusterOptions {
  replicas: number;
  /** Where everything listens (loopback by default). */
  host?: string;
  /** nginx's port: the cluster's address. */
  proxyPort: number;
  /** The replicas' ports (default: firstReplicaPort, +1, …). */
  replicaPorts?: number[];
  firstReplicaPort?: number;
  /** An existing Redis; without it a private redis-server is started on redisPort. */
  redisUrl?: string;
  redisPort?: number;
  /** The replicas' environment (DATA_DIR, RATE_LIMIT_PER_MINUTE, …); default: this process's. */
  env?: Record<string, string | undefined>;
  nginxPath?: string;
  redisServerPath?: string;
  /** Every line the processes write, prefixed with their name. */
  log?: (line: string) => void;
  /** How long a replica may take to load the index and reach Redis. */
  startTimeoutMs?: number;
}

export interface Replica {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  process: ManagedProcess;
}

export interface Cluster {
  /** nginx: where clients connect. */
  readonly url: string;
  readonly redisUrl: string;
  readonly replicas: Replica[];
  /** Starts replica `index` again (after it was killed or stopped) and waits until it is ready. */
  startReplica(index: number): Promise<void>;
  /** Sends nginx the replicas it may use (for measuring 1, 2, 3 replicas) and reloads it. */
  route(indexes: readonly number[]): Promise<void>;
  /** The private Redis (absent with an existing REDIS_URL): stop it and start it again on the same port. */
  readonly redis?: { stop(signal?: NodeJS.Signals): Promise<void>; start(): Promise<void> };
  /** Stops everything: replicas first (they finish what they answer), then nginx and Redis. */
  stop(): Promise<void>;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  if (!Number.isInteger(options.replicas) || options.replicas < 1) throw new Error(`--replicas must be a whole number of at least 1 (got ${options.replicas})`);
  const host = options.host ?? '127.0.0.1';
  const env = options.env ?? process.env;
  const log = options.log ?? (() => {});
  const ports = options.replicaPorts ?? Array.from({ length: options.replicas }, (_, index) => (options.firstReplicaPort ?? 3001) + index);
  if (ports.length !== options.replicas) throw new Error(`${options.replicas} replicas need ${options.replicas} ports (got ${ports.length})`);
  const wanted = [options.proxyPort, ...ports, ...(options.redisUrl ? [] : [options.redisPort ?? 6379])];
  if (new Set(wanted).size !== wanted.length) throw new Error(`nginx, the replicas and Redis need a port each (got ${wanted.join(', ')})`);
  const nginxPath = options.nginxPath ?? '/usr/sbin/nginx';
  if (!existsSync(nginxPath)) throw new Error(`nginx is not at ${nginxPath}: install Debian's (apt-get install -y nginx) or pass --nginx PATH`);
  // A port already taken would be a confusing failure later (or, for Redis, someone else's server used unknowingly).
  for (const [port, what] of [
    [options.proxyPort, 'nginx (--port)'],
    ...ports.map((port, index) => [port, `replica-${index + 1} (--first-port)`] as const),
    ...(options.redisUrl ? [] : [[options.redisPort ?? 6379, 'the private Redis (--redis-port; or use a Redis already running with --redis-url redis://127.0.0.1:6379)'] as const]),
  ] as const) {
    if (await portInUse(port, host)) throw new Error(`port ${port} is in use; it is meant for ${what}`);
  }
  const runtimeDir = await mkdtemp(path.join(os.tmpdir(), 'gov-report-cluster-'));
  const started: ManagedProcess[] = [];
  let redisProcess: ManagedProcess | undefined;
  let nginx: ManagedProcess | undefined;
  const replicas: Replica[] = [];

  const stopAll = async (): Promise<void> => {
    await Promise.all(replicas.map((replica) => replica.process.stop({ timeoutMs: 15_000 })));
    // SIGTERM: nginx's workers close their connections at once (the replicas behind them are gone already);
    // a graceful SIGQUIT would leave them holding idle websockets until their timeouts.
    await nginx?.stop({ signal: 'SIGTERM', timeoutMs: 5000 });
    await redisProcess?.stop({ timeoutMs: 5000 });
    await Promise.all(started.map((process) => process.stop({ timeoutMs: 2000 })));
    await rm(runtimeDir, { recursive: true, force: true });
  };

  try {
    // Redis first: replicas then start with their limits shared from the first question.
    let redisUrl = options.redisUrl;
    const redisPort = options.redisPort ?? 6379;
    const redisDir = path.join(runtimeDir, 'redis');
    await mkdir(redisDir);
    const startRedis = async (): Promise<void> => {
      redisProcess = await startRedisServer({ port: redisPort, dir: redisDir, log, ...(options.redisServerPath ? { serverPath: options.redisServerPath } : {}) });
    };
    if (!redisUrl) {
      await startRedis();
      redisUrl = `redis://127.0.0.1:${redisPort}`;
    }

    // The server as npm start builds it, and one build of the index for all (each replica would otherwise
    // build it at once on a fresh clone).
    for (const [name, args] of [
      ['build', ['scripts/build-server.mjs']],
      ['ingest', ['--import', 'tsx', 'src/cli/ingest.ts', '--if-stale']],
    ] as const) {
      const step = launch(name, process.execPath, [...args], { cwd: PROJECT_ROOT, env, log });
      started.push(step);
      if ((await step.exited).code !== 0) throw new Error(`${name === 'build' ? 'building the server' : 'building the index'} failed:\n${step.tail()}`);
    }

    const replicaEnvironment = (index: number): Record<string, string | undefined> => ({
      ...env,
      HOST: host,
      PORT: String(ports[index]),
      REPLICA_NAME: `replica-${index + 1}`,
      REDIS_URL: redisUrl,
      // nginx on this machine names the client; the replicas see only its connections.
      TRUST_PROXY: env.TRUST_PROXY ?? 'loopback',
      MAX_CONNECTIONS_PER_ADDRESS: env.MAX_CONNECTIONS_PER_ADDRESS ?? '0',
    });
    const startReplica = async (index: number): Promise<void> => {
      const name = `replica-${index + 1}`;
      const child = launch(name, process.execPath, ['dist/server/main.js'], { cwd: PROJECT_ROOT, env: replicaEnvironment(index), log });
      const url = `http://${host}:${ports[index]}`;
      const replica = { name, port: ports[index]!, url, process: child };
      replicas[index] = replica;
      await waitForOk(`${url}/readyz`, { process: child, timeoutMs: options.startTimeoutMs ?? 180_000 });
    };
    // Loading the index is CPU work: two at a time on a small machine is as fast as all at once.
    for (let index = 0; index < options.replicas; index += 2) {
      await Promise.all([startReplica(index), ...(index + 1 < options.replicas ? [startReplica(index + 1)] : [])]);
    }

    const sitePath = path.join(runtimeDir, 'gov-report.conf');
    const template = await readFile(NGINX_SITE, 'utf8');
    const writeSite = (indexes: readonly number[]): Promise<void> =>
      writeFile(sitePath, renderSite(template, { listen: `${host}:${options.proxyPort}`, replicas: indexes.map((index) => `${host}:${ports[index]}`) }));
    await writeSite(ports.map((_, index) => index));
    const confPath = path.join(runtimeDir, 'nginx.conf');
    await writeFile(confPath, renderMainConfig({ runtimeDir, sitePath }));
    nginx = launch('nginx', nginxPath, ['-p', runtimeDir, '-c', confPath, '-e', path.join(runtimeDir, 'nginx-error.log')], { log });
    await waitForPort(options.proxyPort, { host, process: nginx });
    const proxy = nginx;

    return {
      url: `http://${host}:${options.proxyPort}`,
      redisUrl,
      replicas,
      startReplica: async (index) => {
        if (replicas[index]?.process.alive()) throw new Error(`${replicas[index]!.name} is running`);
        await startReplica(index);
      },
      route: async (indexes) => {
        await writeSite(indexes);
        // SIGHUP: nginx re-reads its configuration; old workers finish their requests.
        proxy.kill('SIGHUP');
        await new Promise((resolve) => setTimeout(resolve, 500));
      },
      ...(options.redisUrl
        ? {}
        : {
            redis: {
              stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
                await redisProcess?.stop({ signal, timeoutMs: 5000 });
              },
              start: startRedis,
            },
          }),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
