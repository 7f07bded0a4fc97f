// The writer lock as a file in the index folder (`.update.lock`), for writers on one machine. It is
// created whole by a hard link, so a reader never sees it half written. A lock whose holder died (its pid
// gone, or reused by a process that started later) is taken over by renaming it away and checking that
// the file renamed is the very one judged dead; a live lock renamed by mistake in a race is put back.
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { busyError, type AcquireOptions, type HeldLock, type LockHolder, type LockStatus, type WriterLock } from './writer-lock.ts';

export const LOCK_FILE_NAME = '.update.lock';
/** How often a waiting writer looks again. */
const POLL_MS = 200;
/** A lock file that cannot be read (a copy from an older version, damaged) is taken over after this long. */
const UNREADABLE_GRACE_MS = 10_000;

const recordSchema = z.object({
  purpose: z.string(),
  pid: z.number().int().positive(),
  host: z.string(),
  since: z.string(),
  nonce: z.string(),
  /** The holder's start time in clock ticks since boot (/proc/<pid>/stat), to tell a reused pid apart. */
  startTicks: z.number().optional(),
});
type LockRecord = z.infer<typeof recordSchema>;

/** A process's start time in clock ticks since boot (Linux), or undefined where /proc is not there. */
async function startTicksOf(pid: number): Promise<number | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  // Fields after the command name (which may hold spaces) start at field 3; starttime is field 22.
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields?.[19]);
  return Number.isFinite(ticks) ? ticks : undefined;
}

async function isAlive(record: Pick<LockRecord, 'pid' | 'host' | 'startTicks'>): Promise<boolean> {
  if (record.host !== os.hostname()) return true; // another machine's process cannot be seen from here
  try {
    process.kill(record.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (record.startTicks === undefined) return true;
  const ticks = await startTicksOf(record.pid);
  return ticks === undefined || ticks === record.startTicks;
}

const sleep = (milliseconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, milliseconds));

export class FileWriterLock implements WriterLock {
  readonly file: string;

  constructor(readonly indexDir: string) {
    this.file = path.join(indexDir, LOCK_FILE_NAME);
  }

  async acquire(purpose: string, options: AcquireOptions = {}): Promise<HeldLock> {
    await mkdir(this.indexDir, { recursive: true });
    const record: LockRecord = {
      purpose,
      pid: process.pid,
      host: os.hostname(),
      since: new Date().toISOString(),
      nonce: randomBytes(12).toString('hex'),
      ...(await startTicksOf(process.pid).then((ticks) => (ticks === undefined ? {} : { startTicks: ticks }))),
    };
    const draft = `${this.file}.${record.nonce}.tmp`;
    await writeFile(draft, JSON.stringify(record));
    const deadline = Date.now() + (options.waitMs ?? 0);
    let told = false;
    try {
      for (;;) {
        if (await this.create(draft, record)) return this.lease(record);
        const found = await this.read();
        if (found === 'missing') continue;
        if (found === 'unreadable' || !(await isAlive(found))) {
          await this.takeOver(found);
          continue;
        }
        const status = this.statusOf(found, true);
        if (Date.now() >= deadline) throw busyError(status);
        if (!told) options.onWait?.(status);
        told = true;
        await sleep(POLL_MS);
      }
    } finally {
      await rm(draft, { force: true });
    }
  }

  /** Links the draft as the lock file: true when this writer now holds the lock, false when another does. */
  private async create(draft: string, record: LockRecord): Promise<boolean> {
    for (;;) {
      try {
        await link(draft, this.file);
        return true;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') return false;
        if (code !== 'ENOENT') throw error;
        // The draft was removed meanwhile (another writer clearing leftovers of dead ones): write it again.
        await writeFile(draft, JSON.stringify(record));
      }
    }
  }

  async status(): Promise<LockStatus | undefined> {
    const found = await this.read();
    if (found === 'missing') return undefined;
    if (found === 'unreadable') return { purpose: 'unknown (unreadable lock file)', pid: 0, host: '', since: '', ageSeconds: 0, alive: false };
    return this.statusOf(found, await isAlive(found));
  }

  private statusOf(record: LockRecord, alive: boolean): LockStatus {
    const { purpose, pid, host, since } = record;
    return { purpose, pid, host, since, ageSeconds: Math.max(0, Math.round((Date.now() - Date.parse(since)) / 1000)), alive };
  }

  private async read(): Promise<LockRecord | 'missing' | 'unreadable'> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
      throw error;
    }
    // An older version wrote the bare pid.
    if (/^\d+$/.test(text.trim())) return { purpose: 'update', pid: Number(text.trim()), host: os.hostname(), since: new Date(0).toISOString(), nonce: `pid-${text.trim()}` };
    try {
      return recordSchema.parse(JSON.parse(text));
    } catch {
      return 'unreadable';
    }
  }

  /** Removes a dead holder's lock, making sure the file removed is the one judged dead. */
  private async takeOver(dead: LockRecord | 'unreadable'): Promise<void> {
    if (dead === 'unreadable') {
      const age = await stat(this.file).then((stats) => Date.now() - stats.mtimeMs, () => 0);
      if (age < UNREADABLE_GRACE_MS) return void (await sleep(POLL_MS));
    }
    const grave = `${this.file}.${randomBytes(6).toString('hex')}.dead`;
    try {
      await rename(this.file, grave);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // another writer took it over first
      throw error;
    }
    const moved = await readFile(grave, 'utf8').catch(() => '');
    const movedNonce = /"nonce":"([^"]+)"/.exec(moved)?.[1];
    if (dead !== 'unreadable' && movedNonce !== undefined && movedNonce !== dead.nonce) {
      // Between reading and renaming, another writer took the dead lock over and took the lock: give it back.
      await link(grave, this.file).catch(() => {});
    }
    await rm(grave, { force: true });
  }

  private lease(record: LockRecord): HeldLock {
    const holder: LockHolder = { purpose: record.purpose, pid: record.pid, host: record.host, since: record.since };
    const stillHeld = async (): Promise<boolean> => {
      const found = await this.read();
      return typeof found === 'object' && found.nonce === record.nonce;
    };
    return {
      holder,
      stillHeld,
      release: async () => {
        if (await stillHeld()) await rm(this.file, { force: true });
      },
    };
  }
}
