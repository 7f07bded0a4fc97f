// Child processes the scripts measure: the server (server-child.mjs, talking over IPC) and the ingest
// CLI (with its peak memory). A child process gives honest RSS figures and can be killed midway.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from './project.ts';

export type ParentRequest = { type: 'probe'; requestId: string; gc: boolean } | { type: 'close' };

export interface Probe {
  memory: NodeJS.MemoryUsage;
  /** process.getActiveResourcesInfo() counted by kind (Timeout, TCPSocketWrap, …). */
  resources: Record<string, number>;
  /** Enumerable keys found on Object.prototype / Array.prototype (should be none). */
  polluted: string[];
}

export type ChildReport =
  | { type: 'listening'; url: string; port: number }
  | { type: 'ready' }
  | { type: 'failed'; message: string; code: string }
  | ({ type: 'probe'; requestId: string } & Probe);

export interface ServerProcess {
  url: string;
  pid: number;
  /** Resolves when the index is loaded; rejects with the server's own message when loading failed. */
  ready: Promise<void>;
  /** Memory and handles as the child sees them; `gc` collects garbage first (the child runs with --expose-gc). */
  probe(options?: { gc?: boolean }): Promise<Probe>;
  /** Resident set size read from /proc (bytes), or NaN where there is no /proc. */
  rss(): number;
  /** Peak resident set size so far (VmHWM from /proc), bytes, or NaN. */
  peakRss(): number;
  alive(): boolean;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last lines the child wrote to stderr (for diagnostics). */
  stderrTail(): string;
  close(): Promise<void>;
}

const builtRoots = new Set<string>();

/**
 * The server child of a checkout: the built server `npm start` runs (built here once per run), or, in an
 * older checkout without it, its TypeScript child run through tsx.
 */
function childCommand(root: string): string[] {
  const built = path.join(root, 'scripts/lib/server-child.mjs');
  if (!existsSync(built)) return ['--import', 'tsx', path.join(root, 'scripts/lib/server-child.ts')];
  if (!builtRoots.has(root)) {
    execFileSync(process.execPath, ['scripts/build-server.mjs'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    builtRoots.add(root);
  }
  return [built];
}

function keepTail(limit: number): { push: (chunk: Buffer) => void; text: () => string } {
  let text = '';
  return {
    push: (chunk) => {
      text = (text + chunk.toString('utf8')).slice(-limit);
    },
    text: () => text,
  };
}

/** Reads a field such as VmRSS or VmHWM from /proc/PID/status, in bytes. */
export function readProcStatus(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** `nodeArgs` are extra flags for the child's node (e.g. `--cpu-prof` to profile the server under load). */
/** `root` is the checkout to run (default: this one), so the stress probes can measure an older tree. */
export async function startServerProcess(options: { env: Record<string, string>; startTimeoutMs?: number; nodeArgs?: string[]; root?: string }): Promise<ServerProcess> {
  const root = options.root ?? PROJECT_ROOT;
  const child: ChildProcess = spawn(process.execPath, ['--expose-gc', ...(options.nodeArgs ?? []), ...childCommand(root)], {
    cwd: root,
    env: options.env,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const stderr = keepTail(8000);
  child.stderr?.on('data', stderr.push);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let running = true;
  void exited.then(() => (running = false));
  const pending = new Map<string, (probe: Probe) => void>();

  let markReady: () => void = () => {};
  let markFailed: (error: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    markFailed = reject;
  });
  ready.catch(() => {});

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start within ${options.startTimeoutMs ?? 60_000} ms: ${stderr.text()}`)), options.startTimeoutMs ?? 60_000);
    child.on('message', (report: ChildReport) => {
      if (report.type === 'listening') {
        clearTimeout(timer);
        resolve(report.url);
      } else if (report.type === 'ready') markReady();
      else if (report.type === 'failed') {
        clearTimeout(timer);
        const error = Object.assign(new Error(report.message), { code: report.code });
        markFailed(error);
        reject(error);
      } else if (report.type === 'probe') {
        const { requestId, type: _type, ...probe } = report;
        pending.get(requestId)?.(probe);
        pending.delete(requestId);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      const error = new Error(`the server exited (code ${code}, signal ${signal}): ${stderr.text().trim().split('\n').slice(-5).join(' / ')}`);
      markFailed(error);
      reject(error);
    });
  });

  return {
    url,
    pid: child.pid!,
    ready,
    probe: (probeOptions = {}) =>
      new Promise<Probe>((resolve, reject) => {
        if (!running) return reject(new Error('the server process is not running'));
        const requestId = randomUUID();
        const timer = setTimeout(() => {
          pending.delete(requestId);
          reject(new Error('the server did not answer a probe within 10 s'));
        }, 10_000);
        pending.set(requestId, (probe) => {
          clearTimeout(timer);
          resolve(probe);
        });
        child.send({ type: 'probe', requestId, gc: probeOptions.gc ?? false } satisfies ParentRequest);
      }),
    rss: () => readProcStatus(child.pid!, 'VmRSS'),
    peakRss: () => readProcStatus(child.pid!, 'VmHWM'),
    alive: () => running,
    exited,
    stderrTail: stderr.text,
    close: async () => {
      if (!running) return;
      child.send({ type: 'close' } satisfies ParentRequest);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface IngestOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  wallMs: number;
  /** Peak resident set size of the ingest process, bytes (NaN when it was killed). */
  maxRssBytes: number;
  stderr: string;
}

export interface IngestProcess {
  pid: number;
  /** Stages the ingest announced so far (its progress lines). */
  stages(): string[];
  kill(signal?: NodeJS.Signals): void;
  done: Promise<IngestOutcome>;
}

/** Runs `src/cli/ingest.ts` as a child with the given environment (INDEX_DIR, DATA_DIR, …). */
export function spawnIngest(options: { env: Record<string, string>; args?: string[] }): IngestProcess {
  const rssFile = path.join(tmpdir(), `ingest-max-rss-${randomUUID()}`);
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', './scripts/lib/report-max-rss.ts', 'src/cli/ingest.ts', ...(options.args ?? [])], {
    cwd: PROJECT_ROOT,
    env: { ...options.env, BENCH_MAX_RSS_FILE: rssFile },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stderr = keepTail(20_000);
  const stages: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => {
    stderr.push(chunk);
    for (const line of chunk.toString('utf8').split('\n')) if (line.endsWith('…')) stages.push(line.replace(/\s*…$/, ''));
  });
  const done = new Promise<IngestOutcome>((resolve) => {
    child.once('exit', (code, signal) => {
      const wallMs = performance.now() - started;
      void readFile(rssFile, 'utf8')
        .then((text) => Number(text), () => Number.NaN)
        .then(async (maxRssBytes) => {
          await rm(rssFile, { force: true });
          resolve({ code, signal, wallMs, maxRssBytes, stderr: stderr.text() });
        });
    });
  });
  return { pid: child.pid!, stages: () => [...stages], kill: (signal = 'SIGKILL') => child.kill(signal), done };
}
