import { checkMaxlen, checkPositiveInteger, checkOptionNames } from '../core/index.js';
import type { StdioStream } from '../capture/index.js';

/** Where a line of plain output came from, for {@link LineProcBufferOptions.tagLine}. */
export interface OutputOrigin {
  /** The source of the worker or child that printed it. */
  source: string;
  /** The stream it printed it to. */
  stream: StdioStream;
}

/** Options of {@link LineProcBuffer}. */
export interface LineProcBufferOptions {
  /**
   * How many items the buffer keeps; the oldest is dropped past it.
   * @default 20
   */
  maxlen?: number;
  /**
   * The longest partial line, in characters, the buffer holds for one source (one
   * stream of an aggressive mirror, or of plain output). A longer one is cut: its first
   * `maxLineLength` characters become an item, counted in `cutLines`.
   * @default 1048576
   */
  maxLineLength?: number;
  /**
   * Store an error record when a worker or child ends abnormally before its mirror
   * ended (an uncaught error, a non-zero exit code, a signal); not for those ended by
   * `forceStop()`.
   * @default true
   */
  recordCrashes?: boolean;
  /**
   * The item a line of collected plain output becomes.
   * @default `[source] line` for stdout, `[source:stderr] line` for stderr
   */
  tagLine?: (line: string, origin: OutputOrigin) => string;
}

/** The options with every default applied. */
export type ResolvedProcBufferOptions = Required<LineProcBufferOptions>;

const PROC_BUFFER_DEFAULTS = {
  maxlen: 20,
  maxLineLength: 1024 * 1024,
  recordCrashes: true,
  tagLine: defaultTag,
} as const satisfies ResolvedProcBufferOptions;

/** Checks the options and applies the defaults, in one place. */
export function resolveProcBufferOptions(
  options: LineProcBufferOptions,
): ResolvedProcBufferOptions {
  checkOptionNames(options, Object.keys(PROC_BUFFER_DEFAULTS), 'LineProcBuffer');
  const d = PROC_BUFFER_DEFAULTS;
  const tagLine = options.tagLine ?? d.tagLine;
  if (typeof tagLine !== 'function') throw new TypeError('tagLine must be a function');
  const recordCrashes = options.recordCrashes ?? d.recordCrashes;
  if (typeof recordCrashes !== 'boolean') throw new TypeError('recordCrashes must be a boolean');

  return {
    maxlen: checkMaxlen(options.maxlen ?? d.maxlen),
    maxLineLength: checkPositiveInteger(options.maxLineLength ?? d.maxLineLength, 'maxLineLength'),
    recordCrashes,
    tagLine,
  };
}

function defaultTag(line: string, { source, stream }: OutputOrigin): string {
  return stream === 'stdout' ? `[${source}] ${line}` : `[${source}:stderr] ${line}`;
}

/** Options of the link made by `fork`, `worker` and `adopt`. */
export interface LinkOptions {
  /**
   * The name of this worker or child in crash records and tagged output.
   * @default `worker-<threadId>` or `child-<pid>`
   */
  source?: string;
  /**
   * Collect the worker's or child's plain stdout and stderr into the buffer, line by
   * line, tagged by source (see `tagLine`). `fork` and `worker` then pipe them instead
   * of letting them through to the parent's.
   * @default false
   */
  collectOutput?: boolean;
}

/** Our keys taken off options that also hold Node's own. */
export function splitLinkOptions<T extends LinkOptions>(
  options: T,
): [LinkOptions, Omit<T, keyof LinkOptions>] {
  const { source, collectOutput, ...rest } = options;
  if (source !== undefined && (typeof source !== 'string' || source === '')) {
    throw new TypeError('source must be a non-empty string');
  }
  if (collectOutput !== undefined && typeof collectOutput !== 'boolean') {
    throw new TypeError('collectOutput must be a boolean');
  }
  return [{ source, collectOutput }, rest];
}
