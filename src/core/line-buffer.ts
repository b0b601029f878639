import { checkOptionNames } from './checks.js';
import { ClosedError } from './errors.js';
import { GroupedMessage } from './grouped-message.js';
import {
  checkMaxlen,
  checkReadSize,
  readCount,
  serializeItem,
  withPartials,
  type Item,
  type SerializedItem,
} from './items.js';
import { LineAssembler } from './line-assembler.js';
import { Ring } from './ring.js';

/** Options of {@link LineBuffer}. */
export interface LineBufferOptions {
  /**
   * How many items the buffer keeps; the oldest is dropped past it.
   * @default 20
   */
  maxlen?: number;
}

const LINE_BUFFER_DEFAULTS = { maxlen: 20 } as const satisfies Required<LineBufferOptions>;

/**
 * An in-memory buffer of the newest `maxlen` items written to it. Text written to it
 * is cut into lines (protocol.md section 2); errors and warnings go in whole as
 * grouped records.
 *
 * @example
 * const buf = new LineBuffer({ maxlen: 3 });
 * buf.write('a\nb\nc\nd');
 * buf.read(); // ['b', 'c', 'd']
 */
export class LineBuffer {
  readonly #ring: Ring<Item>;
  readonly #assembler = new LineAssembler();
  #closed = false;

  constructor(options: LineBufferOptions = {}) {
    checkOptionNames(options, ['maxlen'], 'LineBuffer');
    const maxlen = checkMaxlen(options.maxlen ?? LINE_BUFFER_DEFAULTS.maxlen);
    this.#ring = new Ring(maxlen);
  }

  /** How many items the buffer keeps. */
  get maxlen(): number {
    return this.#ring.capacity;
  }

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** How many entries {@link read} returns: the stored items and a non-empty partial line. */
  get length(): number {
    const partial = this.#assembler.partial === '' ? 0 : 1;
    return Math.min(this.maxlen, this.#ring.size + partial);
  }

  /** Writes text; every line it completes becomes an item. */
  write(text: string): void {
    if (typeof text !== 'string') {
      throw new TypeError(`write expects a string, got ${typeof text}`);
    }
    this.#checkOpen('write to');

    const lines = this.#assembler.push(text);
    if (lines.length > 0) this.parseLines(lines);
  }

  /** Ends the partial line, then stores `record` as one item. */
  writeRecord(record: GroupedMessage): void {
    if (!(record instanceof GroupedMessage)) {
      throw new TypeError('writeRecord expects a GroupedMessage');
    }
    this.#checkOpen('write to');

    this.newLine();
    this.parseLines([record]);
  }

  /** Stores a non-empty partial line as an item; does nothing when it is empty. */
  newLine(): void {
    const partial = this.#assembler.takePartial();
    if (partial !== undefined) this.parseLines([partial]);
  }

  /**
   * Receives completed items and stores them. Override it to consume some items (a
   * progress pattern, say) and pass the rest to `super.parseLines`.
   */
  protected parseLines(items: Item[]): void {
    this.#ring.pushAll(items);
  }

  /** The newest `n` entries (all when `n` is omitted), oldest first. */
  read(n?: number): Item[] {
    const count = readCount(checkReadSize(n), this.maxlen);
    const { partial } = this.#assembler;
    return withPartials((k) => this.#ring.last(k), partial === '' ? [] : [partial], count);
  }

  /** As {@link read}, with records in their JSON wire form. */
  readSerialized(n?: number): SerializedItem[] {
    return this.read(n).map(serializeItem);
  }

  /** Removes every item and the partial line. */
  clear(): void {
    this.#ring.clear();
    this.#assembler.reset();
  }

  /** Nothing is held back in memory; present so the buffer can stand in for a stream. */
  flush(): void {}

  /** Stores the partial line and refuses further writes. A second call does nothing. */
  close(): void {
    if (this.#closed) return;

    this.newLine();
    this.#closed = true;
  }

  #checkOpen(action: string): void {
    if (this.#closed) throw new ClosedError(`cannot ${action} a closed LineBuffer`);
  }
}
