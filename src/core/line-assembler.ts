import { EMPTY_SPLIT_STATE, splitLines, type SplitResult, type SplitState } from './line-breaks.js';

/**
 * One writer's partial line. Turns a stream of writes into completed lines.
 *
 * `preview` and `apply` are separate so a caller can check a write's result (its
 * size, say) and refuse it without having changed anything.
 */
export class LineAssembler {
  #state: SplitState = EMPTY_SPLIT_STATE;

  /** The text written after the last line break. */
  get partial(): string {
    return this.#state.partial;
  }

  /** The completed lines and the new state that `text` would give, without applying it. */
  preview(text: string): SplitResult {
    return splitLines(this.#state, text);
  }

  /** Makes a result of {@link preview} the current state. */
  apply(result: SplitState): void {
    this.#state = { partial: result.partial, pendingCr: result.pendingCr };
  }

  /** Writes `text` and returns the lines it completed. */
  push(text: string): string[] {
    const result = this.preview(text);
    this.apply(result);
    return result.lines;
  }

  /** Ends the partial line: returns it when non-empty and leaves the partial line empty. */
  takePartial(): string | undefined {
    const { partial } = this.#state;
    if (partial === '') return undefined;

    this.#state = { partial: '', pendingCr: false };
    return partial;
  }

  /** Forgets the partial line. */
  reset(): void {
    this.#state = EMPTY_SPLIT_STATE;
  }
}
