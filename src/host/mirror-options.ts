import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { checkNonNegativeInteger, checkPositiveInteger, checkOptionNames } from '../core/index.js';
import { MAX_SOURCE_LENGTH } from './protocol.js';

/** Options of {@link LineHostMirror}. */
export interface LineHostMirrorOptions {
  /**
   * Forward every write as it is, partial lines included, instead of only completed
   * lines (the partial line then lives on the host).
   * @default false
   */
  aggressive?: boolean;
  /**
   * How long one request may take, in milliseconds.
   * @default 10000
   */
  timeout?: number;
  /**
   * The writer's id sent with every request, so the host keeps this mirror's partial
   * line apart from other writers' (1 to 128 characters).
   * @default `<hostname>:<pid>:<random>`
   */
  source?: string;
  /**
   * The most text, in characters, sent in one request; a longer text goes in pieces
   * under the same source, so a line longer than a request still arrives whole.
   * @default 262144
   */
  maxBatchChars?: number;
  /**
   * The most text, in characters, queued while the host has not acknowledged it. Text
   * written past it is not queued; it is counted and reported by `flush` and `close`.
   * @default 67108864
   */
  maxQueueChars?: number;
  /**
   * How often, at most, the mirror asks the host for the stop flag when the host does
   * not tell it in its answers, and how often it asks while idle; in milliseconds.
   * @default 1000
   */
  stateIntervalMs?: number;
  /**
   * How many times a request that failed on the network or with a 5xx is tried again
   * (with the same `seq`, so the host applies it once).
   * @default 2
   */
  retries?: number;
}

/** The options with every default applied. */
export type ResolvedMirrorOptions = Required<LineHostMirrorOptions>;

const MIRROR_DEFAULTS = {
  aggressive: false,
  timeout: 10_000,
  maxBatchChars: 256 * 1024,
  maxQueueChars: 64 * 1024 * 1024,
  stateIntervalMs: 1000,
  retries: 2,
} as const;

/** Checks the options and applies the defaults, in one place. */
export function resolveMirrorOptions(options: LineHostMirrorOptions): ResolvedMirrorOptions {
  checkOptionNames(options, [...Object.keys(MIRROR_DEFAULTS), 'source'], 'LineHostMirror');
  const source = options.source ?? defaultSource();
  if (typeof source !== 'string' || source === '' || source.length > MAX_SOURCE_LENGTH) {
    throw new TypeError(`source must be a string of 1 to ${MAX_SOURCE_LENGTH} characters`);
  }
  return {
    aggressive: Boolean(options.aggressive ?? MIRROR_DEFAULTS.aggressive),
    source,
    timeout: checkPositiveInteger(options.timeout ?? MIRROR_DEFAULTS.timeout, 'timeout'),
    maxBatchChars: checkPositiveInteger(
      options.maxBatchChars ?? MIRROR_DEFAULTS.maxBatchChars,
      'maxBatchChars',
    ),
    maxQueueChars: checkPositiveInteger(
      options.maxQueueChars ?? MIRROR_DEFAULTS.maxQueueChars,
      'maxQueueChars',
    ),
    stateIntervalMs: checkPositiveInteger(
      options.stateIntervalMs ?? MIRROR_DEFAULTS.stateIntervalMs,
      'stateIntervalMs',
    ),
    retries: checkNonNegativeInteger(options.retries ?? MIRROR_DEFAULTS.retries, 'retries'),
  };
}

function defaultSource(): string {
  return `${hostname().slice(0, 64)}:${process.pid}:${randomBytes(4).toString('hex')}`;
}
