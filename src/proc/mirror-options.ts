import { checkOptionNames, checkPositiveInteger } from '../core/index.js';

/** Options of {@link LineProcMirror}. */
export interface LineProcMirrorOptions {
  /**
   * Forward every write as it is, partial lines included, instead of only completed
   * lines (the partial line then lives in the buffer, where reads show it).
   * @default false
   */
  aggressive?: boolean;
  /**
   * In milliseconds: how long `flush` and `close` wait for the buffer to acknowledge
   * what was sent, and how long a write in a worker thread may wait for room in a full
   * queue. Past it, what is unacknowledged (or the write) is counted as undelivered.
   * @default 10000
   */
  timeout?: number;
  /**
   * The most text, in characters, sent in one message; more goes in several.
   * @default 65536
   */
  maxBatchChars?: number;
  /**
   * The most text, in characters, the mirror holds: queued, in its partial lines, or
   * sent but not yet acknowledged by the buffer. A write past it waits for room in a
   * worker thread (up to `timeout`); in a child process, which cannot wait inside a
   * write, it is refused at once. A refused write is counted, reported by `undelivered`,
   * `flush` and `close`. `write` returns `false` past half of it: await `drain()`.
   * @default 8388608
   */
  maxQueueChars?: number;
  /**
   * Send the process's warnings (`process.on('warning')`) as warning records.
   * @default false
   */
  forwardWarnings?: boolean;
}

/** The options with every default applied. */
export type ResolvedProcMirrorOptions = Required<LineProcMirrorOptions>;

const PROC_MIRROR_DEFAULTS = {
  aggressive: false,
  timeout: 10_000,
  maxBatchChars: 64 * 1024,
  maxQueueChars: 8 * 1024 * 1024,
  forwardWarnings: false,
} as const satisfies ResolvedProcMirrorOptions;

/** The longest timer Node keeps (a longer one would fire at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Checks the options and applies the defaults, in one place. */
export function resolveProcMirrorOptions(
  options: LineProcMirrorOptions,
): ResolvedProcMirrorOptions {
  checkOptionNames(options, [...Object.keys(PROC_MIRROR_DEFAULTS), 'handle'], 'connectMirror');
  const d = PROC_MIRROR_DEFAULTS;
  const timeout = checkPositiveInteger(options.timeout ?? d.timeout, 'timeout');
  if (timeout > MAX_TIMER_MS) {
    throw new RangeError(`timeout must be at most ${MAX_TIMER_MS}, got ${timeout}`);
  }

  return {
    aggressive: checkBoolean(options.aggressive ?? d.aggressive, 'aggressive'),
    timeout,
    maxBatchChars: checkPositiveInteger(options.maxBatchChars ?? d.maxBatchChars, 'maxBatchChars'),
    maxQueueChars: checkPositiveInteger(options.maxQueueChars ?? d.maxQueueChars, 'maxQueueChars'),
    forwardWarnings: checkBoolean(options.forwardWarnings ?? d.forwardWarnings, 'forwardWarnings'),
  };
}

function checkBoolean(value: unknown, option: string): boolean {
  if (typeof value !== 'boolean') {
    throw new TypeError(`${option} must be a boolean, got ${JSON.stringify(value)}`);
  }
  return value;
}
