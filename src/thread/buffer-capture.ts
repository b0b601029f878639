import {
  captureStdio,
  startCapture,
  type CaptureHandle,
  type CaptureOptions,
} from '../capture/index.js';
import type { LineBuffer } from '../core/index.js';

/**
 * Runs `fn` with `process.stdout` and `process.stderr` writes (so `console.*` too) going
 * into `buffer` as lines, and puts the real writers back after, even when `fn` throws.
 *
 * With `scope: 'async'`, only writes made in `fn`'s async context are taken, so
 * concurrent tasks, each capturing into its own buffer, never mix; with the default
 * `scope: 'process'`, every write of the process is, while the scope lasts. The
 * buffer's partial line stays as it is after the scope, and reads show it.
 *
 * @example
 * const buf = new LineBuffer({ maxlen: 10 });
 * await captureToBuffer(buf, async () => console.log('hello'));
 * buf.read(); // ['hello']
 */
export function captureToBuffer<T>(
  buffer: LineBuffer,
  fn: () => T | Promise<T>,
  options: CaptureOptions = {},
): Promise<T> {
  return captureStdio((text) => buffer.write(text), fn, options);
}

/**
 * Starts sending every `process.stdout` and `process.stderr` write of the process into
 * `buffer`, until the handle is stopped (or disposed, with `using`).
 *
 * @example
 * using _capture = startBufferCapture(buf);
 * console.log('into the buffer');
 */
export function startBufferCapture(
  buffer: LineBuffer,
  options: Omit<CaptureOptions, 'scope'> = {},
): CaptureHandle {
  return startCapture((text) => buffer.write(text), options);
}
