import { LineAssembler } from '../core/index.js';

/** What the host remembers of one writer. */
export interface SourceState {
  readonly assembler: LineAssembler;
  /** The highest `seq` applied, to drop a retried request. */
  lastSeq?: number;
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
  readonly #shared: SourceState = { assembler: new LineAssembler() };
  // A Map iterates in insertion order; re-inserting on use keeps it least-recent first.
  readonly #sources = new Map<string, SourceState>();
  readonly #maxSources: number;
  #partialChars = 0;

  constructor(maxSources: number) {
    this.#maxSources = maxSources;
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
    if (this.#sources.size < this.#maxSources) return undefined;

    const [oldest, state] = this.#sources.entries().next().value as [string, SourceState];
    const partial = state.assembler.partial;
    return { source: oldest, partial: partial === '' ? undefined : partial };
  }

  /** The state of `source`, made and marked most recently active; drops `evict` first. */
  use(source: string | undefined, evict?: EvictedSource): SourceState {
    if (source === undefined) return this.#shared;
    if (evict) this.forget(evict.source);

    const state = this.#sources.get(source) ?? { assembler: new LineAssembler() };
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
    const out: string[] = [];
    if (this.#shared.assembler.partial !== '') out.push(this.#shared.assembler.partial);
    for (const state of this.#sources.values()) {
      if (state.assembler.partial !== '') out.push(state.assembler.partial);
    }
    return out;
  }

  /** Empties every partial line; the sources' sequence numbers are kept. */
  clearPartials(): void {
    this.#shared.assembler.reset();
    for (const state of this.#sources.values()) state.assembler.reset();
    this.#partialChars = 0;
  }

  /** Ends every partial line and returns them, as {@link partials} orders them. */
  takePartials(): string[] {
    const out = this.partials();
    this.clearPartials();
    return out;
  }
}
