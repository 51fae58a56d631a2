import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** Whether a process with this id is still running (signal 0 only checks). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock file if it is free or its owner has died; false while a live process holds it. */
async function tryTake(lockFile: string): Promise<boolean> {
  try {
    await writeFile(lockFile, String(process.pid), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const owner = Number.parseInt(await readFile(lockFile, 'utf8').catch(() => ''), 10);
  // An empty file is a lock being written right now; a dead owner's lock is taken over.
  if (Number.isNaN(owner) || isAlive(owner)) return false;
  await rm(lockFile, { force: true });
  return false;
}

/**
 * Runs `work` while holding `lockFile`, so that test files running in parallel install a shared
 * tool once: the others wait for the lock, then find the tool installed. Waits on the lock's
 * release (polling), never on a fixed time; gives up after `timeoutMs`.
 */
export async function withInstallLock<T>(
  lockFile: string,
  work: () => Promise<T>,
  timeoutMs = 10 * 60_000,
): Promise<T> {
  await mkdir(dirname(lockFile), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  while (!(await tryTake(lockFile))) {
    if (Date.now() > deadline) throw new Error(`${lockFile} is still held after ${timeoutMs} ms`);
    await delay(250);
  }
  try {
    return await work();
  } finally {
    await rm(lockFile, { force: true });
  }
}
