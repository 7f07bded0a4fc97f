// The writer lock as a file: one holder at a time, its holder and age readable by anyone, a wait that
// ends when the holder lets go, and a dead holder's lock taken over once — by exactly one of two writers
// racing for it — whether its pid is gone or reused by a process that started later.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../src/errors.ts';
import { FileWriterLock, LOCK_FILE_NAME } from '../../src/index/file-writer-lock.ts';

async function withFolder(run: (folder: string) => Promise<void>): Promise<void> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'gov-report-lock-'));
  try {
    await run(folder);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** The pid of a process that has exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!;

const isBusy = (error: unknown): boolean => error instanceof AppError && error.code === 'busy';

describe('the file writer lock', () => {
  test('one holder at a time: the next writer is told who holds it, and may wait for it', async () => {
    await withFolder(async (folder) => {
      const lock = new FileWriterLock(folder);
      const held = await lock.acquire('ingest');
      const status = await lock.status();
      assert.deepEqual([status?.purpose, status?.pid, status?.alive], ['ingest', process.pid, true]);
      assert.ok(status!.ageSeconds >= 0 && status!.ageSeconds < 60);
      await assert.rejects(new FileWriterLock(folder).acquire('reports add nantong.txt'), (error: unknown) => isBusy(error) && /ingest, pid \d+/.test((error as Error).message));
      let told = '';
      const waiting = new FileWriterLock(folder).acquire('reports add nantong.txt', { waitMs: 30_000, onWait: (holder) => (told = holder.purpose) });
      setTimeout(() => void held.release(), 300);
      const next = await waiting;
      assert.equal(told, 'ingest');
      assert.equal((await lock.status())?.purpose, 'reports add nantong.txt');
      await next.release();
      assert.equal(await lock.status(), undefined);
      assert.deepEqual(await readdir(folder), [], 'no drafts left');
    });
  });

  test('a dead writer’s lock is taken over; so is an older version’s bare pid, and a pid reused by a later process', async () => {
    await withFolder(async (folder) => {
      const file = path.join(folder, LOCK_FILE_NAME);
      const lock = new FileWriterLock(folder);
      await writeFile(file, JSON.stringify({ purpose: 'upload suzhou.docx', pid: deadPid(), host: os.hostname(), since: new Date().toISOString(), nonce: 'dead' }));
      assert.equal((await lock.status())?.alive, false);
      await (await lock.acquire('ingest')).release();

      await writeFile(file, String(deadPid()));
      await (await lock.acquire('ingest')).release();

      // This very process's pid, but a start time that is not this process's: the pid was reused
      // (told apart where /proc gives start times, as on Linux).
      await writeFile(file, JSON.stringify({ purpose: 'ingest', pid: process.pid, host: os.hostname(), since: new Date().toISOString(), nonce: 'old', startTicks: 1 }));
      if (process.platform === 'linux') {
        assert.equal((await lock.status())?.alive, false);
        await (await lock.acquire('ingest')).release();
        assert.deepEqual(await readdir(folder), []);
      }
    });
  });

  test('two writers racing for a dead lock: exactly one gets it, the other is told it is busy', async () => {
    await withFolder(async (folder) => {
      for (let round = 0; round < 5; round++) {
        await writeFile(path.join(folder, LOCK_FILE_NAME), JSON.stringify({ purpose: 'ingest', pid: deadPid(), host: os.hostname(), since: new Date().toISOString(), nonce: `dead-${round}` }));
        const outcomes = await Promise.allSettled([new FileWriterLock(folder).acquire('first'), new FileWriterLock(folder).acquire('second')]);
        const held = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        assert.equal(held.length, 1, `round ${round}: one holder`);
        assert.ok(outcomes.some((outcome) => outcome.status === 'rejected' && isBusy(outcome.reason)));
        const record = JSON.parse(await readFile(path.join(folder, LOCK_FILE_NAME), 'utf8')) as { purpose: string };
        assert.equal(record.purpose, (held[0] as PromiseFulfilledResult<{ holder: { purpose: string } }>).value.holder.purpose);
        await (held[0] as PromiseFulfilledResult<{ release(): Promise<void> }>).value.release();
      }
      assert.deepEqual(await readdir(folder), []);
    });
  });

  test('a holder whose lock was taken from it finds out before switching anything', async () => {
    await withFolder(async (folder) => {
      const held = await new FileWriterLock(folder).acquire('reports add nantong.txt');
      assert.equal(await held.stillHeld(), true);
      await writeFile(path.join(folder, LOCK_FILE_NAME), JSON.stringify({ purpose: 'ingest', pid: process.pid, host: os.hostname(), since: new Date().toISOString(), nonce: 'another' }));
      assert.equal(await held.stillHeld(), false);
      await held.release();
      assert.equal((await new FileWriterLock(folder).status())?.purpose, 'ingest', 'releasing leaves the other holder’s lock alone');
    });
  });
});
