/**
 * A fixed-capacity queue that drops its oldest entry when full (a `deque(maxlen=N)`).
 * Its array grows to the capacity as entries come and is then reused in a circle, so a
 * large capacity costs nothing until it is filled.
 */
export class Ring<T> {
  readonly capacity: number;
  #slots: (T | undefined)[];
  #start = 0;
  #size = 0;

  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`Ring capacity must be a positive integer, got ${String(capacity)}`);
    }
    this.capacity = capacity;
    this.#slots = [];
  }

  /** How many entries are held. */
  get size(): number {
    return this.#size;
  }

  /** Appends one entry, dropping the oldest past the capacity. */
  push(entry: T): void {
    this.#pushOne(entry);
  }

  /** Appends every entry of `entries` in order, dropping the oldest past the capacity. */
  pushAll(entries: readonly T[]): void {
    // Only the newest `capacity` entries of a large batch can survive it.
    const from = Math.max(0, entries.length - this.capacity);
    for (let i = from; i < entries.length; i += 1) this.#pushOne(entries[i] as T);
  }

  /** The newest `n` entries (all when `n` is undefined), oldest first. */
  last(n?: number): T[] {
    const count = n === undefined ? this.#size : Math.max(0, Math.min(n, this.#size));
    const out = new Array<T>(count);
    const first = this.#start + this.#size - count;
    for (let i = 0; i < count; i += 1) out[i] = this.#slots[(first + i) % this.capacity] as T;
    return out;
  }

  /** Removes and returns the oldest entry. */
  shift(): T | undefined {
    if (this.#size === 0) return undefined;

    const entry = this.#slots[this.#start];
    this.#slots[this.#start] = undefined;
    this.#start = (this.#start + 1) % this.capacity;
    this.#size -= 1;
    return entry;
  }

  /** Removes every entry. */
  clear(): void {
    this.#slots = [];
    this.#start = 0;
    this.#size = 0;
  }

  #pushOne(entry: T): void {
    if (this.#size < this.capacity) {
      // Until the array first reaches the capacity nothing has wrapped around, so the
      // next slot is at most one past its end.
      const at = (this.#start + this.#size) % this.capacity;
      if (at === this.#slots.length) this.#slots.push(entry);
      else this.#slots[at] = entry;
      this.#size += 1;
      return;
    }

    this.#slots[this.#start] = entry;
    this.#start = (this.#start + 1) % this.capacity;
  }
}
