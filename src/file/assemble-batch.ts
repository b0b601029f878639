import {
  EMPTY_SPLIT_STATE,
  LimitError,
  hasLineBreak,
  splitLines,
  type Item,
  type SplitState,
} from '../core/index.js';
import type { PendingOp } from './pending-writes.js';

/** What {@link assembleBatch} works on. */
export interface BatchInput {
  /** The partial line on disk before the batch. */
  readonly before: string;
  /** This writer's last write ended with `\r` (it holds when `before` is still empty). */
  readonly pendingCr: boolean;
  readonly ops: readonly PendingOp[];
  readonly maxLineLength: number;
  /** Receives the items the batch completes, in order (the buffer's `parseLines`). */
  readonly parseLines: (items: Item[]) => void;
  /** Receives items that skip `parseLines` (those it passed on outside a store step). */
  readonly keep: (items: readonly string[]) => void;
}

/**
 * Applies a batch of writes to the partial line read from disk, exactly as the writes
 * one by one would (protocol.md section 2.2), and returns the new partial-line state.
 * Throws a `LimitError`, having applied nothing on disk, when the partial line would
 * pass `maxLineLength`.
 */
export function assembleBatch(input: BatchInput): SplitState {
  const { before, ops } = input;
  // A partial line another writer left with a break in it is cut into lines first.
  let state: SplitState = hasLineBreak(before)
    ? split(input, EMPTY_SPLIT_STATE, before)
    : { partial: before, pendingCr: input.pendingCr && before === '' };
  for (const op of ops) state = apply(input, state, op);
  return state;
}

function apply(input: BatchInput, state: SplitState, op: PendingOp): SplitState {
  if (op.kind === 'text') return split(input, state, op.text);
  if (op.kind === 'items') {
    input.keep(op.items);
    return state;
  }

  // newLine, and a record, first end a non-empty partial line.
  const ended = state.partial === '' ? state : EMPTY_SPLIT_STATE;
  if (state.partial !== '') input.parseLines([state.partial]);
  if (op.kind === 'record') input.parseLines([op.record]);
  return ended;
}

function split(input: BatchInput, state: SplitState, text: string): SplitState {
  const result = splitLines(state, text);
  if (result.partial.length > input.maxLineLength) {
    throw new LimitError(
      `LineFileBuffer: a write would leave a partial line of ${result.partial.length} ` +
        `characters, over maxLineLength (${input.maxLineLength})`,
    );
  }
  if (result.lines.length > 0) input.parseLines(result.lines);
  return result;
}
