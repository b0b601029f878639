import {
  checkMaxlen,
  checkPositiveInteger,
  describeValue,
  checkOptionNames,
} from '../core/index.js';
import type { ItemStore } from './store/item-store.js';

/** The few logging calls a host makes; a pino logger fits it. */
export interface HostLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Options of {@link LineHostBuffer}. */
export interface LineHostBufferOptions {
  /**
   * The route of the items; the states are at this route with `-state` appended.
   * @default '/sync-stream'
   */
  apiRoute?: string;
  /**
   * The name of the routes, in logs and in the OpenAPI document.
   * @default apiRoute without its leading slashes, other slashes turned into dots
   */
  endpoint?: string;
  /**
   * How many items the buffer keeps; the oldest is dropped past it.
   * @default 2
   */
  maxlen?: number;
  /**
   * Where items are kept. The caller owns a store it passes in and closes it.
   * @default a new in-memory store of `maxlen` items
   */
  store?: ItemStore;
  /**
   * The largest request body in bytes; a larger one is answered 413.
   * @default 4194304 (4 MiB)
   */
  bodyLimit?: number;
  /**
   * The longest line, in characters, a writer may build up; a write that would make a
   * longer one is answered 413 and changes nothing.
   * @default 4194304
   */
  maxLineLength?: number;
  /**
   * The characters all partial lines together may hold; past it a write is answered 413.
   * @default 67108864
   */
  maxPartialChars?: number;
  /**
   * How many sources the host remembers. Past it, the least recently active source's
   * partial line is stored and the source forgotten (logged as a warning).
   * @default 1024
   */
  maxSources?: number;
  /**
   * The most characters the default in-memory store keeps, all items together; past it
   * the oldest items go even before `maxlen` is reached (logged as a warning). Ignored
   * when a `store` is given.
   * @default 134217728 (128 Mi characters)
   */
  maxStoredChars?: number;
  /** Where notable events are logged (a pino logger, say). @default none: quiet */
  logger?: HostLogger;
}

/** The options with every default applied. */
export interface ResolvedHostOptions {
  apiRoute: string;
  endpoint: string;
  maxlen: number;
  store: ItemStore | undefined;
  bodyLimit: number;
  maxLineLength: number;
  maxPartialChars: number;
  maxSources: number;
  maxStoredChars: number;
  logger: HostLogger | undefined;
}

const HOST_DEFAULTS = {
  apiRoute: '/sync-stream',
  maxlen: 2,
  bodyLimit: 4 * 1024 * 1024,
  maxLineLength: 4 * 1024 * 1024,
  maxPartialChars: 64 * 1024 * 1024,
  maxSources: 1024,
  maxStoredChars: 128 * 1024 * 1024,
} as const;

const HOST_OPTION_NAMES = [
  'apiRoute',
  'endpoint',
  'maxlen',
  'store',
  'bodyLimit',
  'maxLineLength',
  'maxPartialChars',
  'maxSources',
  'maxStoredChars',
  'logger',
];

/** Checks the options and applies the defaults, in one place. */
export function resolveHostOptions(options: LineHostBufferOptions): ResolvedHostOptions {
  checkOptionNames(options, HOST_OPTION_NAMES, 'LineHostBuffer');
  const apiRoute = checkRoute(options.apiRoute ?? HOST_DEFAULTS.apiRoute);
  return {
    apiRoute,
    endpoint: checkEndpoint(options.endpoint ?? defaultEndpoint(apiRoute)),
    maxlen: resolveMaxlen(options),
    store: options.store,
    bodyLimit: checkPositiveInteger(options.bodyLimit ?? HOST_DEFAULTS.bodyLimit, 'bodyLimit'),
    maxLineLength: checkPositiveInteger(
      options.maxLineLength ?? HOST_DEFAULTS.maxLineLength,
      'maxLineLength',
    ),
    maxPartialChars: checkPositiveInteger(
      options.maxPartialChars ?? HOST_DEFAULTS.maxPartialChars,
      'maxPartialChars',
    ),
    maxSources: checkPositiveInteger(options.maxSources ?? HOST_DEFAULTS.maxSources, 'maxSources'),
    maxStoredChars: checkPositiveInteger(
      options.maxStoredChars ?? HOST_DEFAULTS.maxStoredChars,
      'maxStoredChars',
    ),
    logger: checkLogger(options.logger),
  };
}

/** `/sync-stream` gives `sync-stream`; `/api/v1/logs` gives `api.v1.logs`. */
export function defaultEndpoint(apiRoute: string): string {
  return apiRoute.replace(/^\/+/, '').replaceAll('/', '.');
}

/** A store brings its own capacity; `maxlen`, when also given, must agree with it. */
function resolveMaxlen(options: LineHostBufferOptions): number {
  const maxlen = checkMaxlen(options.store?.maxlen ?? options.maxlen ?? HOST_DEFAULTS.maxlen);
  if (options.store && options.maxlen !== undefined && options.maxlen !== maxlen) {
    throw new RangeError(`maxlen ${options.maxlen} differs from the store's maxlen ${maxlen}`);
  }
  return maxlen;
}

function checkRoute(route: unknown): string {
  if (typeof route !== 'string' || !/^\/[A-Za-z0-9._~\-/]*[A-Za-z0-9._~-]$/.test(route)) {
    throw new TypeError(
      `apiRoute must be a path such as "/sync-stream" (a leading slash, no trailing slash, ` +
        `no query), got ${describeValue(route)}`,
    );
  }
  return route;
}

function checkEndpoint(endpoint: unknown): string {
  if (typeof endpoint !== 'string' || endpoint === '') {
    throw new TypeError(`endpoint must be a non-empty string, got ${describeValue(endpoint)}`);
  }
  return endpoint;
}

function checkLogger(logger: unknown): HostLogger | undefined {
  if (logger === undefined) return undefined;

  const l = logger as Partial<HostLogger> | null;
  const methods = [l?.info, l?.warn, l?.error];
  if (!methods.every((method) => typeof method === 'function')) {
    throw new TypeError('logger must have info, warn and error methods (a pino logger has them)');
  }
  return logger as HostLogger;
}

/** A value as an option error shows it: JSON, but numbers as JavaScript writes them (NaN). */
