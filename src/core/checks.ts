/** Checks of numeric options, shared so every option fails with the same kind of message. */

/** `value` as a positive safe integer; a `RangeError` naming `option` otherwise. */
export function checkPositiveInteger(value: unknown, option: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${option} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** `value` as a non-negative safe integer; a `RangeError` naming `option` otherwise. */
export function checkNonNegativeInteger(value: unknown, option: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${option} must be a non-negative integer, got ${JSON.stringify(value)}`);
  }
  return value;
}
