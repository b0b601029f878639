import {
  EMPTY_SPLIT_STATE,
  cutLongLine,
  LimitError,
  LineAssembler,
  splitLines,
  type SplitResult,
  type StreamName,
} from '../core/index.js';

/** The bounds on what the writers' partial lines may hold (see `LineHostBufferOptions`). */
export interface SourceLimits {
  readonly maxSources: number;
  readonly maxLineLength: number;
  readonly maxPartialChars: number;
}

/** A non-empty partial line and the source it belongs to (none for the shared writer). */
export interface PendingLine {
  readonly source?: string;
  readonly partial: string;
}

/** What the host remembers of one writer. */
export interface SourceState {
  readonly assembler: LineAssembler;
  /** The `seq` of the latest requests applied, to drop a retried one. */
  readonly recentSeqs: number[];
  /** The stream the partial line was written to, so it keeps it when committed later. */
  partialStream?: StreamName | undefined;
}

/** A source dropped to make room, with the partial line it still had. */
export interface EvictedSource {
  readonly source: string;
  readonly partial: string | undefined;
}

/**
 * The partial lines of the writers, one per source plus one shared by requests that name
 * no source (as the reference has). At most `maxSources` sources are remembered; past
 * that the least recently active one is dropped and its partial line stored, so a host
 * that outlives many crashed writers keeps bounded memory and loses no text.
 */
export class SourceTable {
  readonly #shared: SourceState = { assembler: new LineAssembler(), recentSeqs: [] };
  // A Map iterates in insertion order; re-inserting on use keeps it least-recent first.
  readonly #sources = new Map<string, SourceState>();
  readonly #limits: SourceLimits;
  #partialChars = 0;

  constructor(limits: SourceLimits) {
    this.#limits = limits;
  }

  /** The characters held in partial lines, all writers together. */
  get partialChars(): number {
    return this.#partialChars;
  }

  /** How many sources are remembered. */
  get size(): number {
    return this.#sources.size;
  }

  /** The state of `source` (the shared one when undefined), if it is remembered. */
  peek(source: string | undefined): SourceState | undefined {
    return source === undefined ? this.#shared : this.#sources.get(source);
  }

  /** Whether taking in a new `source` would first drop the least recently active one. */
  wouldEvict(source: string | undefined): EvictedSource | undefined {
    if (source === undefined || this.#sources.has(source)) return undefined;
    if (this.#sources.size < this.#limits.maxSources) return undefined;

    const [oldest, state] = this.#sources.entries().next().value as [string, SourceState];
    const partial = state.assembler.partial;
    return { source: oldest, partial: partial === '' ? undefined : partial };
  }

  /**
   * The lines and partial line that writing `text` as `source` would give, changing
   * nothing. A line longer than `maxLineLength` is cut into lines of that length
   * (`cut` counts the cuts); a {@link LimitError} when the partial lines would hold more
   * than `maxPartialChars`.
   */
  preview(source: string | undefined, text: string, evicted?: EvictedSource): CutResult {
    const state = this.peek(source);
    const split = state ? state.assembler.preview(text) : splitLines(EMPTY_SPLIT_STATE, text);
    const result = cutLongLines(split, this.#limits.maxLineLength);

    const freed = (state?.assembler.partial.length ?? 0) + (evicted?.partial?.length ?? 0);
    const total = this.#partialChars - freed + result.partial.length;
    if (total > this.#limits.maxPartialChars) {
      const who = source === undefined ? 'the shared writer' : `source "${source}"`;
      throw new LimitError(
        `partial lines would hold ${total} characters, over maxPartialChars ` +
          `${this.#limits.maxPartialChars}; the write of ${who} was refused`,
      );
    }
    return result;
  }

  /** The state of `source`, made and marked most recently active; drops `evict` first. */
  use(source: string | undefined, evict?: EvictedSource): SourceState {
    if (source === undefined) return this.#shared;
    if (evict) this.forget(evict.source);

    const state = this.#sources.get(source) ?? { assembler: new LineAssembler(), recentSeqs: [] };
    this.#sources.delete(source);
    this.#sources.set(source, state);
    return state;
  }

  /** Updates the count of partial-line characters after an assembler changed. */
  track(before: number, after: number): void {
    this.#partialChars += after - before;
  }

  /** Drops what is remembered of `source`. */
  forget(source: string): void {
    const state = this.#sources.get(source);
    if (!state) return;

    this.#partialChars -= state.assembler.partial.length;
    this.#sources.delete(source);
  }

  /** The non-empty partial lines, least recently active writer first. */
  partials(): string[] {
    return this.pending().map((line) => line.partial);
  }

  /** The non-empty partial lines with their sources, in {@link partials} order. */
  pending(): PendingLine[] {
    const out: PendingLine[] = [];
    if (this.#shared.assembler.partial !== '')
      out.push({ partial: this.#shared.assembler.partial });
    for (const [source, state] of this.#sources) {
      if (state.assembler.partial !== '') out.push({ source, partial: state.assembler.partial });
    }
    return out;
  }

  /** Empties every partial line; the sources' sequence numbers are kept. */
  clearPartials(): void {
    this.#shared.assembler.reset();
    for (const state of this.#sources.values()) state.assembler.reset();
    this.#partialChars = 0;
  }
}

/** A split write whose over-long lines were cut; `cut` says how many cuts were made. */
export interface CutResult extends SplitResult {
  readonly cut: number;
}

function cutLongLines(split: SplitResult, max: number): CutResult {
  // The common case, every line within the limit, costs one pass and no copy.
  if (split.partial.length <= max && split.lines.every((line) => line.length <= max)) {
    return { ...split, cut: 0 };
  }

  let cut = 0;
  const lines: string[] = [];
  // A loop, not a spread: one request may hold millions of lines.
  for (const line of split.lines) {
    if (line.length <= max) {
      lines.push(line);
      continue;
    }
    const pieces = cutLongLine(line, max);
    for (const piece of pieces) lines.push(piece);
    cut += pieces.length - 1;
  }

  let partial = split.partial;
  if (partial.length > max) {
    const pieces = cutLongLine(partial, max);
    partial = pieces.pop() ?? '';
    for (const piece of pieces) lines.push(piece);
    cut += pieces.length;
  }
  return { lines, partial, pendingCr: split.pendingCr, cut };
}
