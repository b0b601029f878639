/**
 * POSIX fcntl record locks on a whole file, the kind Python's `fcntl.lockf` takes, so a
 * Node writer and a Python writer of the same log exclude each other (flock would not).
 * The calls go through the native addon `os-lock`, loaded on first use so that the rest
 * of syncstream works where it could not be built.
 */
import { createRequire } from 'node:module';

import { UnsupportedError } from '../core/index.js';

type OsLock = typeof import('os-lock');

/** The `code`s of a lock refused because another process holds a conflicting one. */
const BUSY_CODES = new Set(['EAGAIN', 'EACCES', 'EBUSY']);

let osLock: OsLock | undefined;

function native(): OsLock {
  if (osLock) return osLock;

  try {
    osLock = createRequire(import.meta.url)('os-lock') as OsLock;
  } catch (error) {
    throw new UnsupportedError(
      'syncstream/file needs the native addon os-lock (an optional dependency) for fcntl ' +
        'locks, and it could not be loaded; install it where a C compiler is available ' +
        '(npm rebuild os-lock)',
      { cause: error },
    );
  }
  return osLock;
}

/**
 * Tries once to lock the whole file open at `fd`: shared (a read lock) or exclusive (a
 * write lock). Resolves `false` when another process holds a conflicting lock. It never
 * waits in the kernel, so no thread of libuv's small pool is held while another process
 * keeps the lock.
 */
export async function tryLock(fd: number, exclusive: boolean): Promise<boolean> {
  try {
    await native().lock(fd, 0, 0, { exclusive, immediate: true });
    return true;
  } catch (error) {
    if (BUSY_CODES.has((error as { code?: string }).code ?? '')) return false;
    throw error;
  }
}

/** Drops this process's lock on the whole file open at `fd`. */
export async function unlock(fd: number): Promise<void> {
  await native().unlock(fd, 0, 0);
}

/** Loads the addon now, so a missing one is reported where the buffer is made. */
export function checkNativeLock(): void {
  native();
}
