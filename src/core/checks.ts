/** Checks of options, shared so every option fails with the same kind of message. */

/** The largest `maxlen` any buffer takes (2^30 items). */
export const MAX_MAXLEN = 2 ** 30;

/** A value as an error message shows it: numbers as they are, the rest as JSON. */
export function describeValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value) ?? String(value);
}

/**
 * `value` as a positive safe integer of at most `max`: a `TypeError` naming `option`
 * when it is not a number, a `RangeError` when it is out of range.
 */
export function checkPositiveInteger(
  value: unknown,
  option: string,
  max = Number.MAX_SAFE_INTEGER,
): number {
  return checkInteger(value, option, 1, max, 'a positive integer');
}

/** `value` as a non-negative safe integer; errors as {@link checkPositiveInteger}. */
export function checkNonNegativeInteger(value: unknown, option: string): number {
  return checkInteger(value, option, 0, Number.MAX_SAFE_INTEGER, 'a non-negative integer');
}

function checkInteger(value: unknown, option: string, min: number, max: number, what: string) {
  const message = `${option} must be ${what}, got ${describeValue(value)}`;
  if (typeof value !== 'number') throw new TypeError(message);
  if (!Number.isSafeInteger(value) || value < min) throw new RangeError(message);
  if (value > max) {
    throw new RangeError(`${option} must be at most ${max}, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * Checks that `options` is an object (or undefined) whose keys are all in `known`, so a
 * misspelt option fails at once instead of being ignored.
 */
export function checkOptionNames(options: unknown, known: readonly string[], owner: string): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${owner} options must be an object, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(`${owner} has no option "${key}"; it has ${known.join(', ')}`);
    }
  }
}
