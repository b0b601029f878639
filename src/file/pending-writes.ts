import { EMPTY_SPLIT_STATE, LimitError, splitLines, type GroupedMessage } from '../core/index.js';

/** A change waiting to be stored. */
export type PendingOp =
  | { readonly kind: 'text'; text: string }
  | { readonly kind: 'newLine' }
  | { readonly kind: 'record'; readonly record: GroupedMessage }
  /** Items a `parseLines` override passed on outside a store step; stored as they are. */
  | { readonly kind: 'items'; readonly items: readonly string[] };

/** A batch taken from the queue, to be stored in one step under the locks. */
export interface PendingBatch {
  readonly ops: readonly PendingOp[];
  /** The characters of text in `ops`; they count against the limit until released. */
  readonly chars: number;
}

/**
 * Writes waiting for the disk, in order. Consecutive texts are joined, so a burst of
 * writes is stored in one step. The characters of text held, including a batch being
 * stored, are kept under a limit.
 */
export class PendingWrites {
  readonly #maxChars: number;
  #ops: PendingOp[] = [];
  #queuedChars = 0;
  #heldChars = 0;

  constructor(maxChars: number) {
    this.#maxChars = maxChars;
  }

  /** Whether nothing waits to be taken. */
  get empty(): boolean {
    return this.#ops.length === 0;
  }

  /** Queues `op`; a text that would pass the limit is refused whole. */
  push(op: PendingOp): void {
    if (op.kind === 'text') {
      const size = op.text.length;
      if (this.#heldChars + size > this.#maxChars) {
        throw new LimitError(
          `LineFileBuffer: ${this.#heldChars} characters already wait for the disk; a ` +
            `write of ${size} more would pass maxQueuedChars (${this.#maxChars})`,
        );
      }
      this.#heldChars += size;
      this.#queuedChars += size;
    }

    const last = this.#ops.at(-1);
    if (op.kind === 'text' && last?.kind === 'text') last.text += op.text;
    else this.#ops.push(op.kind === 'text' ? { kind: 'text', text: op.text } : op);
  }

  /** Takes every queued op as one batch. */
  take(): PendingBatch {
    const batch = { ops: this.#ops, chars: this.#queuedChars };
    this.#ops = [];
    this.#queuedChars = 0;
    return batch;
  }

  /** The batch was stored (or given up): its characters no longer count. */
  release(batch: PendingBatch): void {
    this.#heldChars -= batch.chars;
  }
}

/** About how many lines and records a batch held, to report when it could not be stored. */
export function countLines(ops: readonly PendingOp[]): number {
  let count = 0;
  for (const op of ops) {
    if (op.kind === 'record') count += 1;
    else if (op.kind === 'items') count += op.items.length;
    else if (op.kind === 'text') {
      const { lines, partial } = splitLines(EMPTY_SPLIT_STATE, op.text);
      count += lines.length + (partial === '' ? 0 : 1);
    }
  }
  return count;
}
