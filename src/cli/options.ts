/**
 * Parsers of the CLI's option and argument values. Each turns text into a checked value
 * or throws commander's `InvalidArgumentError` with a message that says what is expected.
 */
import { InvalidArgumentError } from 'commander';

import { MAX_MAXLEN } from '../core/index.js';
import { parseHostAddress } from '../host/http-client.js';

/** The CLI's defaults, declared once. */
export const CLI_DEFAULTS = {
  host: '127.0.0.1',
  port: 5000,
  route: '/sync-stream',
  /**
   * A person watching many workers wants a screenful of each, not the class default of
   * 2; 10,000 lines of 100 bytes is about 1 MB.
   */
  maxlen: 10_000,
  timeoutMs: 10_000,
  /** How long `run` waits after the stop flag's SIGTERM before SIGKILL. */
  killAfterMs: 10_000,
} as const;

/** A TCP port: an integer from 0 (any free port) to 65535. */
export function parsePort(text: string): number {
  const port = parseInteger(text);
  if (port === undefined || port < 0 || port > 65535) {
    throw new InvalidArgumentError('The port must be an integer from 0 to 65535.');
  }
  return port;
}

/** How many items the buffer keeps: a positive integer up to {@link MAX_MAXLEN}. */
export function parseMaxlen(text: string): number {
  const value = parsePositive(text, 'maxlen');
  if (value > MAX_MAXLEN) {
    throw new InvalidArgumentError(`The maxlen must be at most ${MAX_MAXLEN}.`);
  }
  return value;
}

/** A size in bytes: a positive integer, with an optional `k`, `m` or `g` (binary) suffix. */
export function parseBytes(text: string): number {
  const match = /^\s*(\d+)\s*([kmg]?)i?b?\s*$/i.exec(text);
  const scale = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[match?.[2]?.toLowerCase() ?? ''];
  const value = match && scale ? Number(match[1]) * scale : 0;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(
      'The size must be a positive number of bytes, such as 4194304 or 4m.',
    );
  }
  return value;
}

/** A timeout in milliseconds: a positive integer. */
export function parseTimeout(text: string): number {
  return parsePositive(text, 'timeout (in milliseconds)');
}

/** How many items to read: an integer, 0 or more. */
export function parseCount(text: string): number {
  const count = parseInteger(text);
  if (count === undefined || count < 0) {
    throw new InvalidArgumentError('The count must be an integer, 0 or more.');
  }
  return count;
}

/** A route such as `/sync-stream`: a leading slash, no trailing slash, no query. */
export function parseRoute(text: string): string {
  if (!/^\/[A-Za-z0-9._~\-/]*[A-Za-z0-9._~-]$/.test(text)) {
    throw new InvalidArgumentError(
      'The route must be a path such as /sync-stream (a leading slash, no trailing slash).',
    );
  }
  return text;
}

/** The items URL of a host buffer, e.g. `http://127.0.0.1:5000/sync-stream`. */
export function parseUrl(text: string): string {
  try {
    return parseHostAddress(text).url;
  } catch (error) {
    throw new InvalidArgumentError(`${sentence((error as Error).message)}.`);
  }
}

/** A source id: 1 to 128 characters. */
export function parseSource(text: string): string {
  if (text.length < 1 || text.length > 128) {
    throw new InvalidArgumentError('The source must be 1 to 128 characters long.');
  }
  return text;
}

function parsePositive(text: string, what: string): number {
  const value = parseInteger(text);
  if (value === undefined || value < 1) {
    throw new InvalidArgumentError(`The ${what} must be a positive integer.`);
  }
  return value;
}

function parseInteger(text: string): number | undefined {
  if (!/^\s*[+-]?\d+\s*$/.test(text)) return undefined;

  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** `address must be ...` becomes `The address must be ...`. */
function sentence(message: string): string {
  return `The ${message}`;
}
