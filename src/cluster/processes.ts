// The processes of a local cluster: started with their output prefixed line by line, waited for (a port
// that accepts, a URL that answers 200) while noticing an early exit, and stopped politely then firmly.
import { spawn } from 'node:child_process';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number | undefined;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  /** The last lines it wrote (for a message when it fails). */
  tail(): string;
  kill(signal: NodeJS.Signals): void;
  /** Sends `signal` (SIGTERM by default), waits up to `timeoutMs`, then SIGKILL. */
  stop(options?: { signal?: NodeJS.Signals; timeoutMs?: number }): Promise<void>;
}

export function launch(name: string, command: string, args: string[], options: { cwd?: string; env?: Record<string, string | undefined>; log?: (line: string) => void }): ManagedProcess {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let running = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      resolve({ code, signal });
    });
    child.once('error', (error) => {
      running = false;
      lines.push(error.message);
      resolve({ code: null, signal: null });
    });
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      if (lines.length > 40) lines.shift();
      options.log?.(`[${name}] ${line}`);
    });
  }
  return {
    name,
    pid: child.pid,
    exited,
    alive: () => running,
    tail: () => lines.join('\n'),
    kill: (signal) => {
      if (running) child.kill(signal);
    },
    stop: async ({ signal = 'SIGTERM', timeoutMs = 10_000 } = {}) => {
      if (!running) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A free TCP port on 127.0.0.1 (closed again at once: the caller binds it next). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Whether something accepts connections on host:port now. */
export function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function failedEarly(process: ManagedProcess | undefined, what: string): Error | undefined {
  if (!process || process.alive()) return undefined;
  return new Error(`${process.name} exited before ${what}:\n${process.tail()}`);
}

/** Resolves once 127.0.0.1:`port` (or `host`) accepts a connection. */
export async function waitForPort(port: number, options: { host?: string; timeoutMs?: number; process?: ManagedProcess } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  for (;;) {
    if (await portInUse(port, options.host)) return;
    const failed = failedEarly(options.process, `listening on port ${port}`);
    if (failed) throw failed;
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port} after ${options.timeoutMs ?? 15_000} ms${options.process ? `:\n${options.process.tail()}` : ''}`);
    await pause(50);
  }
}

/** Resolves once `url` answers 200 (a replica's /readyz). */
export async function waitForOk(url: string, options: { timeoutMs?: number; process?: ManagedProcess } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    const status = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      async (response) => {
        await response.arrayBuffer();
        return response.status;
      },
      () => 0,
    );
    if (status === 200) return;
    const failed = failedEarly(options.process, `${url} answered 200`);
    if (failed) throw failed;
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${options.timeoutMs ?? 120_000} ms (last: ${status || 'no answer'})`);
    await pause(100);
  }
}

/** Debian's redis-server on loopback without persistence: what it holds (counters, leases) is rebuilt by the replicas. */
export async function startRedisServer(options: { port: number; dir: string; serverPath?: string; log?: (line: string) => void }): Promise<ManagedProcess> {
  const redis = launch('redis', options.serverPath ?? 'redis-server', ['--port', String(options.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', options.dir, '--loglevel', 'warning'], {
    ...(options.log ? { log: options.log } : {}),
  });
  await waitForPort(options.port, { process: redis });
  return redis;
}
