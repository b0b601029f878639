/**
 * Line-break rules shared by every buffer and mirror (protocol.md section 2.1).
 * Pure functions, no I/O.
 */

/** Every sequence that ends a line. `\r\n` comes first so the pair is one break. */
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

/** A writer's unfinished text, carried from one write to the next. */
export interface SplitState {
  /** Text after the last break: not yet an item. */
  readonly partial: string;
  /**
   * The previous write ended with `\r`; a `\n` that starts the next write belongs to
   * that break and must not make an empty line.
   */
  readonly pendingCr: boolean;
}

/** What one write produces: the lines it completed and the state after it. */
export interface SplitResult extends SplitState {
  readonly lines: string[];
}

/** The state of a writer that has written nothing. */
export const EMPTY_SPLIT_STATE: SplitState = { partial: '', pendingCr: false };

/** `text` cut at every line break (the last part is what follows the last break). */
export function splitAtBreaks(text: string): string[] {
  return text.split(LINE_BREAK);
}

/** Whether `text` holds at least one line break. */
export function hasLineBreak(text: string): boolean {
  return LINE_BREAK.test(text);
}

/**
 * Appends `text` to the state's partial line and returns the completed lines.
 *
 * The partial line never holds a break, so only `text` is searched: a long line
 * written in many small pieces costs time in proportion to its length, not its square.
 */
export function splitLines(state: SplitState, text: string): SplitResult {
  if (text === '') return { lines: [], ...state };

  let rest = text;
  if (state.pendingCr && rest.charCodeAt(0) === 0x0a) rest = rest.slice(1);
  if (rest === '') return { lines: [], partial: state.partial, pendingCr: false };

  const parts = rest.split(LINE_BREAK);
  const partial = parts.pop() ?? '';
  const pendingCr = rest.charCodeAt(rest.length - 1) === 0x0d;
  if (parts.length === 0) return { lines: [], partial: state.partial + partial, pendingCr };

  parts[0] = state.partial + parts[0];
  return { lines: parts, partial, pendingCr };
}

/** Whether the UTF-16 code unit `code` ends a line on its own. */
function isBreakCode(code: number): boolean {
  return (
    (code >= 0x0a && code <= 0x0d) ||
    (code >= 0x1c && code <= 0x1e) ||
    code === 0x85 ||
    code === 0x2028 ||
    code === 0x2029
  );
}

/**
 * The index of the last line-break character in `text`, or -1. Searched from the end,
 * so it costs next to nothing for the common write that ends with its break.
 */
export function lastLineBreak(text: string): number {
  for (let i = text.length - 1; i >= 0; i -= 1) {
    if (isBreakCode(text.charCodeAt(i))) return i;
  }
  return -1;
}

/**
 * `text` cut into pieces of at most `max` characters, never between the two halves of a
 * surrogate pair: how a line longer than a limit is stored.
 */
export function cutLongLine(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const code = rest.charCodeAt(max - 1);
    const at = code >= 0xd800 && code <= 0xdbff && max > 1 ? max - 1 : max;
    pieces.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  pieces.push(rest);
  return pieces;
}
