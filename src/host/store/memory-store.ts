import { checkMaxlen, checkPositiveInteger, Ring, type Item } from '../../core/index.js';
import type { ItemStore, NewEntry, StoredEntry } from './item-store.js';

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** How many items it keeps. */
  maxlen: number;
  /**
   * The most characters its items may hold together. Past it the oldest items are
   * dropped even before `maxlen` is reached (the newest item always stays), and
   * `onDrop` is told how many.
   * @default 134217728 (128 Mi characters)
   */
  maxChars?: number;
  /** Told how many items were dropped to keep within `maxChars`. */
  onDrop?: (count: number) => void;
}

const MEMORY_STORE_DEFAULTS = { maxChars: 128 * 1024 * 1024 } as const;

/** The default store: a ring in this process's memory, lost when it exits. */
export class MemoryStore implements ItemStore {
  readonly #ring: Ring<StoredEntry>;
  readonly #maxChars: number;
  readonly #onDrop: ((count: number) => void) | undefined;
  #chars = 0;
  #nextId = 1;
  #stopFlag = false;

  constructor(options: MemoryStoreOptions) {
    this.#ring = new Ring(checkMaxlen(options.maxlen));
    this.#maxChars = checkPositiveInteger(
      options.maxChars ?? MEMORY_STORE_DEFAULTS.maxChars,
      'maxChars',
    );
    this.#onDrop = options.onDrop;
  }

  get maxlen(): number {
    return this.#ring.capacity;
  }

  /** The characters its items hold together. */
  get chars(): number {
    return this.#chars;
  }

  async append(entries: readonly NewEntry[]): Promise<void> {
    for (const { item, source, stream, time } of entries) {
      if (this.#ring.size === this.#ring.capacity) this.#dropOldest();
      // A literal of one fixed shape: cheaper than a spread, for every stored line.
      this.#ring.push({ id: this.#nextId++, item, source, stream, time });
      this.#chars += itemChars(item);
    }

    let dropped = 0;
    while (this.#chars > this.#maxChars && this.#ring.size > 1) {
      this.#dropOldest();
      dropped += 1;
    }
    if (dropped > 0) this.#onDrop?.(dropped);
  }

  async read(n: number): Promise<StoredEntry[]> {
    return this.#ring.last(n);
  }

  async length(): Promise<number> {
    return this.#ring.size;
  }

  async clear(): Promise<void> {
    this.#ring.clear();
    this.#chars = 0;
  }

  async readStopFlag(): Promise<boolean> {
    return this.#stopFlag;
  }

  async writeStopFlag(value: boolean): Promise<void> {
    this.#stopFlag = value;
  }

  async close(): Promise<void> {}

  #dropOldest(): void {
    const oldest = this.#ring.shift();
    if (oldest) this.#chars -= itemChars(oldest.item);
  }
}

function itemChars(item: Item): number {
  if (typeof item === 'string') return item.length;
  return item.data.reduce((sum, line) => sum + line.length, 0);
}
