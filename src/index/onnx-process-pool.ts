// Child processes each running a single-threaded session of an ONNX embedding model, for a command that
// embeds many texts at once (an ingest, reports added). One text a run in each child uses both cores of a
// two-core machine with less overhead than one session with two intra-op threads, whose threads meet after
// every operator: when another process holds one core, those threads wait for each other, the children do
// not. Children rather than worker threads: a crash stays in the child, and its memory (some 110–180 MB) goes
// back to the system when it exits. They start on the first run (or when warmed) and exit when idle.
import { fork, type ChildProcess, type ForkOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A text's last hidden state: row-major tokens × `width`. */
export interface HiddenState {
  data: Float32Array;
  width: number;
}

interface Job {
  id: number;
  ids: Int32Array;
  /** Children that died running it (it is run once more in a new one, then fails). */
  failures: number;
  resolve(state: HiddenState): void;
  reject(error: Error): void;
}

interface Slot {
  child: ChildProcess;
  ready: boolean;
  job?: Job;
}

type Reply = { type: 'ready' } | { type: 'failed'; message: string } | { type: 'done'; job: number; data: Float32Array; width: number } | { type: 'error'; job: number; message: string };

export interface ProcessPoolOptions {
  /** The ONNX file each child loads. */
  modelFile: string;
  /** Children at most. */
  size: number;
  /** How long the children stay after the last run before they exit. */
  idleMs?: number;
  /** Told when a child died or failed to start (the model's restart count). */
  onChildLost?: (reason: string) => void;
  /** Starts a child (a test keeps a handle to kill one mid-run). */
  forkChild?: (file: string, args: readonly string[], options: ForkOptions) => ChildProcess;
}

const CHILD_FILE = fileURLToPath(new URL('./onnx-child.mjs', import.meta.url));
/** One thread a child: the children are the parallelism. */
const SESSION_OPTIONS = { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential' };

export class OnnxProcessPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private nextJob = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: ProcessPoolOptions) {}

  /** The hidden state of one text's token ids, from the first child free. */
  run(ids: readonly number[]): Promise<HiddenState> {
    if (this.closed) return Promise.reject(new Error('The embedding processes were stopped'));
    clearTimeout(this.idleTimer);
    return new Promise<HiddenState>((resolve, reject) => {
      this.queue.push({ id: this.nextJob++, ids: Int32Array.from(ids), failures: 0, resolve, reject });
      this.dispatch();
    });
  }

  /** Starts the children ahead of runs a caller knows will come (they exit when idle if none does). */
  warm(): void {
    if (this.closed) return;
    clearTimeout(this.idleTimer);
    for (let started = this.slots.size; started < this.options.size; started++) this.startChild();
    // Children already there and idle: their idle time starts again.
    this.dispatch();
  }

  /** Children running now. */
  get size(): number {
    return this.slots.size;
  }

  /** Their process ids. */
  get pids(): number[] {
    return [...this.slots].flatMap((slot) => (slot.child.pid === undefined ? [] : [slot.child.pid]));
  }

  /** Stops every child; runs waiting or in flight fail. */
  async close(): Promise<void> {
    this.closed = true;
    await this.stopChildren(new Error('The embedding processes were stopped'));
  }

  private async stopChildren(reason: Error): Promise<void> {
    clearTimeout(this.idleTimer);
    for (const job of this.queue.splice(0)) job.reject(reason);
    const slots = [...this.slots];
    this.slots.clear();
    await Promise.all(
      slots.map((slot) => {
        slot.job?.reject(reason);
        if (slot.child.exitCode !== null || slot.child.signalCode !== null) return undefined;
        return new Promise<void>((resolve) => {
          slot.child.once('exit', () => resolve());
          // Held open until it is gone, so that its exit is seen.
          holdOpen(slot.child, true);
          slot.child.kill('SIGKILL');
        });
      }),
    );
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) break;
      if (slot.ready && !slot.job) this.send(slot, this.queue.shift()!);
    }
    // Runs still waiting go to children being started, and to new ones up to the pool's size.
    const starting = [...this.slots].filter((slot) => !slot.ready).length;
    const wanted = Math.min(this.options.size - this.slots.size, this.queue.length - starting);
    for (let started = 0; started < wanted; started++) this.startChild();
    if (this.queue.length === 0 && [...this.slots].every((slot) => slot.ready && !slot.job)) this.armIdleTimer();
  }

  private send(slot: Slot, job: Job): void {
    slot.job = job;
    holdOpen(slot.child, true);
    slot.child.send({ job: job.id, ids: job.ids });
  }

  private startChild(): void {
    const spawn = this.options.forkChild ?? fork;
    // No flags of this process (a TypeScript loader, a test runner's): the child is plain JavaScript.
    const child = spawn(CHILD_FILE, [this.options.modelFile, JSON.stringify(SESSION_OPTIONS)], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const slot: Slot = { child, ready: false };
    this.slots.add(slot);
    /** What went wrong in the child, for the reason it is gone. */
    let problem: string | undefined;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-1000)));
    child.on('message', (reply: Reply) => {
      if (reply.type === 'ready') {
        slot.ready = true;
        holdOpen(child, false);
      } else if (reply.type === 'failed') {
        problem = reply.message;
        return;
      } else if (slot.job?.id === reply.job) {
        const job = slot.job;
        slot.job = undefined;
        holdOpen(child, false);
        if (reply.type === 'done') job.resolve({ data: reply.data, width: reply.width });
        else job.reject(new Error(reply.message));
      }
      this.dispatch();
    });
    child.on('error', (error) => (problem ??= error.message));
    child.on('exit', (code, signal) => {
      if (!this.slots.delete(slot)) return;
      const reason = problem ?? `an embedding process exited (${signal ?? `code ${code}`})${stderr.trim() ? `: ${stderr.trim().split('\n').at(-1)}` : ''}`;
      this.options.onChildLost?.(reason);
      if (!slot.ready) {
        // A child that cannot load the model will not do better the next time: the runs waiting fail.
        const error = new Error(`An embedding process did not start: ${reason}`);
        for (const job of this.queue.splice(0)) job.reject(error);
        return;
      }
      const job = slot.job;
      if (job) {
        job.failures++;
        if (job.failures > 1) job.reject(new Error(`${reason}, twice on the same text`));
        else this.queue.unshift(job);
      }
      this.dispatch();
    });
  }

  private armIdleTimer(): void {
    clearTimeout(this.idleTimer);
    if (this.slots.size === 0) return;
    this.idleTimer = setTimeout(() => void this.stopChildren(new Error('The embedding processes stopped while idle')), this.options.idleMs ?? 10_000);
    this.idleTimer.unref();
  }
}

/**
 * Whether a child keeps this process alive (the child, its channel and its stderr pipe): while it runs a text,
 * not while it waits for one, so that a command exits when its work is done.
 */
function holdOpen(child: ChildProcess, hold: boolean): void {
  const handles = [child, (child as ChildProcess & { channel?: { ref(): void; unref(): void } }).channel, child.stderr as (NodeJS.ReadableStream & { ref?(): void; unref?(): void }) | null];
  for (const handle of handles) {
    if (hold) handle?.ref?.();
    else handle?.unref?.();
  }
}
