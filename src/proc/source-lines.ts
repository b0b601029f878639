import { LineAssembler, type Item } from '../core/index.js';

/** Where a {@link SourceLines} puts what it completes. */
export interface LinesSink {
  /** Takes completed items of `source`. */
  take(items: Item[], source: string): void;
  /** Hears that the partial line of `lines` changed (it may now be empty). */
  partialChanged(lines: SourceLines): void;
  /** Counts lines cut at the length limit. */
  countCut(lines: number): void;
}

/**
 * One stream of one source in the buffer: its own partial line, so the text of
 * different mirrors, and of a mirror's stdout and stderr, never merges. A partial line
 * longer than `maxLineLength` is cut into items (and counted), so what a writer that
 * never breaks its line holds in the buffer stays bounded.
 */
export class SourceLines {
  readonly source: string;
  readonly #assembler = new LineAssembler();
  readonly #sink: LinesSink;
  readonly #maxLineLength: number;
  readonly #tag: ((line: string) => string) | undefined;

  /** @param tag - turns a line into its item (plain output is tagged by source). */
  constructor(
    source: string,
    sink: LinesSink,
    maxLineLength: number,
    tag?: (line: string) => string,
  ) {
    this.source = source;
    this.#sink = sink;
    this.#maxLineLength = maxLineLength;
    this.#tag = tag;
  }

  /** Whether the partial line is empty. */
  get empty(): boolean {
    return this.#assembler.partial === '';
  }

  /** The partial line as it reads ('' when empty). */
  get partial(): string {
    const { partial } = this.#assembler;
    return partial === '' || !this.#tag ? partial : this.#tag(partial);
  }

  /** Writes text; the lines it completes go to the sink. */
  push(text: string): void {
    const lines = this.#assembler.push(text);
    if (lines.length > 0) this.#emit(lines);
    if (this.#assembler.partial.length > this.#maxLineLength) this.#cut();
    this.#sink.partialChanged(this);
  }

  /** Ends the partial line: a non-empty one becomes an item. */
  commit(): void {
    const partial = this.#assembler.takePartial();
    if (partial === undefined) return;

    this.#emit([partial]);
    this.#sink.partialChanged(this);
  }

  /** Forgets the partial line. */
  clear(): void {
    this.#assembler.reset();
    this.#sink.partialChanged(this);
  }

  #emit(lines: string[]): void {
    const tag = this.#tag;
    this.#sink.take(tag ? lines.map((line) => tag(line)) : lines, this.source);
  }

  #cut(): void {
    const partial = this.#assembler.takePartial() ?? '';
    const max = this.#maxLineLength;
    const pieces: string[] = [];
    let at = 0;
    while (partial.length - at > max) {
      const end = safeEnd(partial, at, at + max);
      pieces.push(partial.slice(at, end));
      at = end;
    }
    this.#emit(pieces);
    this.#sink.countCut(pieces.length);
    // The rest has no break, so it only becomes the partial line again.
    this.#assembler.push(partial.slice(at));
  }
}

/** `at`, or one before it when `at` would split a surrogate pair (never `from`). */
function safeEnd(text: string, from: number, at: number): number {
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff && at - 1 > from ? at - 1 : at;
}
