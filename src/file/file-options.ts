import { checkMaxlen, checkOptionNames, checkPositiveInteger } from '../core/index.js';
import { checkTmpId } from './layout.js';

/** Options of {@link LineFileBuffer}. */
export interface LineFileBufferOptions {
  /**
   * How many items the log keeps; the oldest is dropped past it. Every writer of one
   * log should use the same value. Each write renames up to `maxlen` files, so keep it
   * in the hundreds at most.
   * @default 20
   */
  maxlen?: number;
  /**
   * Names this writer's partial line (`P-<tmpId>.tmp`). Writers with the same `tmpId`
   * share one partial line, as the reference's writers do by default; give each writer
   * its own to keep their unfinished lines apart.
   * @default 'tmp'
   */
  tmpId?: string;
  /**
   * How long, in milliseconds, to wait for a lock another writer holds before the
   * operation fails with a `LimitError` (code `SYNCSTREAM_LIMIT`). `Infinity` waits for
   * ever, as the reference does. A writer that dies drops its locks at once.
   * @default 30000
   */
  lockTimeoutMs?: number;
  /**
   * How many characters of writes may wait in memory for the disk; a write past it is
   * refused with a `LimitError` and nothing of it is kept.
   * @default 16777216
   */
  maxQueuedChars?: number;
  /**
   * The longest partial line, in characters, a write may leave; a batch of writes that
   * would leave a longer one is refused whole and reported by the next `flush`.
   * @default 4194304
   */
  maxLineLength?: number;
}

/** The options with every default applied. */
export type ResolvedFileOptions = Readonly<Required<LineFileBufferOptions>>;

const FILE_DEFAULTS = {
  maxlen: 20,
  tmpId: 'tmp',
  lockTimeoutMs: 30_000,
  maxQueuedChars: 16 * 1024 * 1024,
  maxLineLength: 4 * 1024 * 1024,
} as const satisfies ResolvedFileOptions;

/** Checks the options and applies the defaults, in one place. */
export function resolveFileOptions(options: unknown): ResolvedFileOptions {
  if (options === undefined) return FILE_DEFAULTS;
  checkOptionNames(options, Object.keys(FILE_DEFAULTS), 'LineFileBuffer');

  const o = options as LineFileBufferOptions;
  return Object.freeze({
    maxlen: checkMaxlen(o.maxlen ?? FILE_DEFAULTS.maxlen),
    tmpId: checkTmpId(o.tmpId ?? FILE_DEFAULTS.tmpId),
    lockTimeoutMs: checkTimeout(o.lockTimeoutMs ?? FILE_DEFAULTS.lockTimeoutMs),
    maxQueuedChars: checkPositiveInteger(
      o.maxQueuedChars ?? FILE_DEFAULTS.maxQueuedChars,
      'maxQueuedChars',
    ),
    maxLineLength: checkPositiveInteger(
      o.maxLineLength ?? FILE_DEFAULTS.maxLineLength,
      'maxLineLength',
    ),
  });
}

function checkTimeout(value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new RangeError(
      `lockTimeoutMs must be a number of milliseconds >= 0 (or Infinity), got ${String(value)}`,
    );
  }
  return value;
}
