/**
 * Lock files as one process holds them.
 *
 * fcntl locks belong to the process, not to a file descriptor: two buffers of one
 * process never exclude each other through them, and closing any descriptor of a lock
 * file drops every lock the process holds on it. So each lock file is opened once per
 * process and shared by every buffer that uses it (closed when the last one is done),
 * and an in-process mutex orders the buffers of this process before the fcntl lock
 * orders the processes.
 */
import { closeSync, openSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

import { LimitError } from '../core/index.js';
import { tryLock, unlock } from './fcntl-lock.js';
import { Mutex } from './mutex.js';

/** A shared (read) or exclusive (write) lock. */
export type LockMode = 'shared' | 'exclusive';

/** The first wait between two tries of a busy lock, in milliseconds; it then doubles. */
const FIRST_RETRY_MS = 1;
/** The longest wait between two tries, in milliseconds. */
const MAX_RETRY_MS = 20;

/** One lock file of this process. */
interface LockFile {
  readonly mutex: Mutex;
  fd: number | undefined;
  /** Buffers holding or waiting for the lock; the file is closed when none is left. */
  users: number;
}

const lockFiles = new Map<string, LockFile>();

/**
 * Runs `fn` while this process holds the lock on `path` in `mode`, and no other buffer
 * of this process does. Gives up with a {@link LimitError} after `timeoutMs`.
 */
export async function withLock<T>(
  path: string,
  mode: LockMode,
  timeoutMs: number,
  fn: () => T | Promise<T>,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  const file = useLockFile(path);
  try {
    if (!(await file.mutex.acquire(deadline))) throw timeoutError(path, timeoutMs);
    try {
      const fd = openLockFile(file, path);
      await lockUntil(fd, mode, deadline, path, timeoutMs);
      try {
        return await fn();
      } finally {
        await unlock(fd);
      }
    } finally {
      file.mutex.release();
    }
  } finally {
    releaseLockFile(file, path);
  }
}

/** How many lock files this process has open (for tests: none once buffers are idle). */
export function openLockFiles(): number {
  return lockFiles.size;
}

function useLockFile(path: string): LockFile {
  let file = lockFiles.get(path);
  if (!file) {
    file = { mutex: new Mutex(), fd: undefined, users: 0 };
    lockFiles.set(path, file);
  }
  file.users += 1;
  return file;
}

function releaseLockFile(file: LockFile, path: string): void {
  file.users -= 1;
  if (file.users > 0) return;

  // Nobody of this process holds or waits for the lock, so closing drops nothing.
  lockFiles.delete(path);
  if (file.fd !== undefined) closeSync(file.fd);
  file.fd = undefined;
}

function openLockFile(file: LockFile, path: string): number {
  try {
    // 'a+' opens for reading and writing (a read lock needs the one, a write lock the
    // other), creates the file and never truncates it.
    file.fd ??= openSync(path, 'a+');
    return file.fd;
  } catch (error) {
    throw new Error(`LineFileBuffer: cannot open the lock file ${path}`, { cause: error });
  }
}

/** Tries the fcntl lock until it is granted, waiting longer between tries. */
async function lockUntil(
  fd: number,
  mode: LockMode,
  deadline: number,
  path: string,
  timeoutMs: number,
): Promise<void> {
  let wait = FIRST_RETRY_MS;
  while (!(await tryLock(fd, mode === 'exclusive'))) {
    const left = deadline - performance.now();
    if (left <= 0) throw timeoutError(path, timeoutMs);

    // Jitter keeps processes that wait for the same lock from retrying in step.
    await sleep(Math.min(left, wait * (0.5 + Math.random())));
    wait = Math.min(wait * 2, MAX_RETRY_MS);
  }
}

function timeoutError(path: string, timeoutMs: number): LimitError {
  return new LimitError(
    `LineFileBuffer: could not lock ${path} within ${timeoutMs} ms (lockTimeoutMs); ` +
      'another writer holds it',
  );
}
