import { getEnvironmentData, isMainThread, setEnvironmentData } from 'node:worker_threads';
import { ChannelTransport } from './channel-transport.js';
import { IpcTransport } from './ipc-transport.js';
import { LineProcMirror } from './line-proc-mirror.js';
import { resolveProcMirrorOptions, type LineProcMirrorOptions } from './mirror-options.js';
import { HANDLE_KEY, isMirrorHandle, type MirrorHandle } from './protocol.js';
import type { MirrorTransport } from './transport.js';

/** Options of {@link connectMirror}. */
export interface ConnectMirrorOptions extends LineProcMirrorOptions {
  /**
   * The handle of a buffer to connect to, from `LineProcBuffer.adopt(worker)`.
   * @default the buffer that started this worker or child process
   */
  handle?: MirrorHandle;
}

/** The mirrors of this thread, by channel ('ipc' for the IPC channel). */
const mirrors = new Map<string, LineProcMirror>();

/**
 * The mirror of this worker thread or child process, connected to the
 * {@link LineProcBuffer} that started it (`pbuf.worker`, `pbuf.fork`), or to the one
 * whose `handle` is given. The first call connects; later calls return the same mirror
 * (their options are not used). A mirror that is left open is closed when the thread or
 * process runs out of work (not on `process.exit()`: await `close()` first).
 *
 * @example
 * const mirror = connectMirror();
 * mirror.write('Progress: 50%\n');
 * await mirror.close();
 */
export function connectMirror(options: ConnectMirrorOptions = {}): LineProcMirror {
  const { handle, ...rest } = options;
  // Bad options fail the same way wherever the mirror runs, before anything connects.
  const mirrorOptions = resolveProcMirrorOptions(rest);
  const found = findHandle(handle);
  const key = found?.channel ?? 'ipc';
  const known = mirrors.get(key);
  if (known) return known;

  const transport: MirrorTransport = found ? new ChannelTransport(found) : new IpcTransport();
  const mirror = new LineProcMirror(transport, mirrorOptions);
  mirrors.set(key, mirror);
  process.once('beforeExit', () => closeLeftOpen(mirror));
  return mirror;
}

function findHandle(handle: unknown): MirrorHandle | undefined {
  if (handle !== undefined) {
    if (isMirrorHandle(handle)) return handle;
    throw new TypeError('handle must be a handle from LineProcBuffer.adopt()');
  }
  if (isMainThread) return undefined;

  const inherited = getEnvironmentData(HANDLE_KEY);
  if (!isMirrorHandle(inherited)) {
    throw new TypeError(
      'this worker was not started by LineProcBuffer.worker(): pass the handle from adopt()',
    );
  }
  // A worker this one starts must not connect to our buffer as if it were us.
  setEnvironmentData(HANDLE_KEY, undefined);
  return inherited;
}

function closeLeftOpen(mirror: LineProcMirror): void {
  if (mirror.closed) return;

  // Nobody awaits this close: a failure is reported the way Node reports warnings.
  mirror.close().catch((error: Error) => process.emitWarning(error));
}
