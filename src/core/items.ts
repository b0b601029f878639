import { checkPositiveInteger, MAX_MAXLEN } from './checks.js';
import { GroupedMessage, type SerializedGroupedMessage } from './grouped-message.js';

/** One entry of a buffer: a line of text or a grouped record. */
export type Item = string | GroupedMessage;

/** An item as it travels in JSON: a string or a serialized record. */
export type SerializedItem = string | SerializedGroupedMessage;

/** The wire form of an item. */
export function serializeItem(item: Item): SerializedItem {
  return typeof item === 'string' ? item : item.serialize();
}

/** The item of a wire form; a `TypeError` when it is neither a string nor a record. */
export function deserializeItem(value: unknown): Item {
  return typeof value === 'string' ? value : GroupedMessage.deserialize(value);
}

/**
 * How many entries `read(n)` returns from a buffer of capacity `maxlen`: all of them
 * (up to `maxlen`) when `n` is undefined, none when `n <= 0`.
 */
export function readCount(n: number | undefined, maxlen: number): number {
  if (n === undefined) return maxlen;
  return Math.max(0, Math.min(n, maxlen));
}

/**
 * How a read of `count` entries splits between stored items and partial lines, which
 * read as the newest items (protocol.md section 2.3): the newest `storedCount` stored
 * items come first, then `partials`.
 */
export function readWindow<T>(
  partials: readonly T[],
  count: number,
): { storedCount: number; partials: T[] } {
  if (count <= 0) return { storedCount: 0, partials: [] };
  if (partials.length >= count) {
    return { storedCount: 0, partials: partials.slice(partials.length - count) };
  }
  return { storedCount: count - partials.length, partials: [...partials] };
}

/**
 * The newest `count` entries of the stored items followed by the partial lines.
 *
 * @param readStored - returns the newest `k` stored items, oldest first.
 */
export function withPartials<T>(
  readStored: (k: number) => T[],
  partials: readonly T[],
  count: number,
): T[] {
  const window = readWindow(partials, count);
  return [...readStored(window.storedCount), ...window.partials];
}

/** Checks a `maxlen` option: a positive integer of at most {@link MAX_MAXLEN}. */
export function checkMaxlen(value: unknown, option = 'maxlen'): number {
  return checkPositiveInteger(value, option, MAX_MAXLEN);
}

/** Checks an `n` argument of `read`: undefined or an integer. */
export function checkReadSize(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`read size must be an integer, got ${JSON.stringify(value)}`);
  }
  return value;
}
