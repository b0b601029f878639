import { checkMaxlen, Ring } from '../../core/index.js';
import type { ItemStore, NewEntry, StoredEntry } from './item-store.js';

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** How many items it keeps. */
  maxlen: number;
}

/** The default store: a ring in this process's memory, lost when it exits. */
export class MemoryStore implements ItemStore {
  readonly #ring: Ring<StoredEntry>;
  #nextId = 1;
  #stopFlag = false;

  constructor(options: MemoryStoreOptions) {
    this.#ring = new Ring(checkMaxlen(options.maxlen));
  }

  get maxlen(): number {
    return this.#ring.capacity;
  }

  async append(entries: readonly NewEntry[]): Promise<void> {
    this.#ring.pushAll(entries.map((entry) => ({ ...entry, id: this.#nextId++ })));
  }

  async read(n: number): Promise<StoredEntry[]> {
    return this.#ring.last(n);
  }

  async length(): Promise<number> {
    return this.#ring.size;
  }

  async clear(): Promise<void> {
    this.#ring.clear();
  }

  async readStopFlag(): Promise<boolean> {
    return this.#stopFlag;
  }

  async writeStopFlag(value: boolean): Promise<void> {
    this.#stopFlag = value;
  }

  async close(): Promise<void> {}
}
