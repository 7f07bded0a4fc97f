// One update of the index at a time, across processes (the server and the CLI): a lock file created
// exclusively in the index folder, holding the owner's pid; a lock whose owner died is taken over.
import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.ts';

const lockFile = (indexDir: string): string => path.join(indexDir, '.update.lock');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function withUpdateLock<T>(indexDir: string, work: () => Promise<T>): Promise<T> {
  const file = lockFile(indexDir);
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) {
        throw new AppError('busy', 'Another report is being added or removed right now; try again when it is done.', { cause: error });
      }
      const owner = Number(await readFile(file, 'utf8').catch(() => ''));
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner) && owner !== process.pid) {
        throw new AppError('busy', `Another process (pid ${owner}) is adding or removing a report; try again when it is done.`);
      }
      if (owner === process.pid) throw new AppError('busy', 'A report is being added or removed right now; try again when it is done.');
      await rm(file, { force: true }); // its owner died mid-update: the previous index is still the current one
    }
  }
  try {
    return await work();
  } finally {
    await rm(file, { force: true });
  }
}
