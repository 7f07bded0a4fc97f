// Every answer running on the server (HTTP and Socket.IO), so that a shutdown can stop taking questions,
// let the running answers finish for a grace period, and then cancel the rest with a `shutting_down`
// error that the transports pass on (answer:error / an error body) before connections close.
import { AppError } from '../errors.ts';

export const shuttingDown = (): AppError => new AppError('shutting_down', 'The server is shutting down; ask again in a moment.');

export class AnswersInFlight {
  private readonly running = new Set<AbortController>();
  private draining = false;
  private readonly waiters = new Set<() => void>();

  get accepting(): boolean {
    return !this.draining;
  }

  get size(): number {
    return this.running.size;
  }

  /** Registers a running answer and returns its release; throws `shutting_down` once a shutdown began. */
  enter(controller: AbortController): () => void {
    if (this.draining) throw shuttingDown();
    this.running.add(controller);
    return () => {
      if (!this.running.delete(controller)) return;
      if (this.running.size === 0) for (const wake of this.waiters) wake();
    };
  }

  /** Resolves when no answer is running, or after `timeoutMs` (true when none is left). */
  async idle(timeoutMs: number): Promise<boolean> {
    if (this.running.size === 0) return true;
    let wake: () => void = () => {};
    const woken = new Promise<void>((resolve) => (wake = resolve));
    this.waiters.add(wake);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([woken, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    } finally {
      clearTimeout(timer);
      this.waiters.delete(wake);
    }
    return this.running.size === 0;
  }

  /**
   * Stops accepting, waits up to `graceMs` for running answers, then cancels the rest (their transports
   * report `shutting_down`) and waits briefly for them to say so. Returns how many finished and were cancelled.
   */
  async drain(graceMs: number): Promise<{ finished: number; cancelled: number }> {
    this.draining = true;
    const before = this.running.size;
    await this.idle(graceMs);
    const cancelled = this.running.size;
    const reason = shuttingDown();
    for (const controller of this.running) controller.abort(reason);
    await this.idle(1000);
    return { finished: before - cancelled, cancelled };
  }
}
