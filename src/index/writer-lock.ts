// One writer of the index at a time, whoever it is: `npm run ingest`, `npm run reports -- add/remove`,
// a server adding or removing an upload, a server rebuilding at start-up. A writer takes the lock before
// it reads what it will change and holds it until CURRENT is switched and the catalogue written. The
// interface is small so that a lock kept elsewhere can stand beside the file lock (file-writer-lock.ts).
import { AppError } from '../errors.ts';

export interface LockHolder {
  /** What the holder is doing: `ingest`, `reports add nantong.docx`, `upload suzhou.docx` … */
  purpose: string;
  pid: number;
  host: string;
  /** When the lock was taken (ISO time). */
  since: string;
}

export interface LockStatus extends LockHolder {
  ageSeconds: number;
  /** False when the holder is known to be dead: the next writer takes the lock over. */
  alive: boolean;
}

export interface HeldLock {
  readonly holder: LockHolder;
  /** Whether this holder still has the lock (checked right before CURRENT is switched). */
  stillHeld(): Promise<boolean>;
  release(): Promise<void>;
}

export interface AcquireOptions {
  /** How long to wait for a live holder to finish; 0 (the default) refuses at once with `busy`. */
  waitMs?: number;
  /** Told once when the lock is held by another writer and this one waits. */
  onWait?: (holder: LockStatus) => void;
}

export interface WriterLock {
  /** Takes the lock, taking over one whose holder died; throws AppError `busy` naming a live holder. */
  acquire(purpose: string, options?: AcquireOptions): Promise<HeldLock>;
  /** Who holds the lock now, or undefined. */
  status(): Promise<LockStatus | undefined>;
}

export function busyError(holder: LockStatus): AppError {
  return new AppError(
    'busy',
    `The index is being changed by another writer (${holder.purpose}, pid ${holder.pid}${holder.host ? ` on ${holder.host}` : ''}, for ${holder.ageSeconds} s); try again when it is done.`,
  );
}

export async function withWriterLock<T>(lock: WriterLock, purpose: string, work: (held: HeldLock) => Promise<T>, options: AcquireOptions = {}): Promise<T> {
  const held = await lock.acquire(purpose, options);
  try {
    return await work(held);
  } finally {
    await held.release();
  }
}
