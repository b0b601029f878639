import { captureStdio, type CaptureOptions } from '../capture/index.js';
import {
  ClosedError,
  DeliveryError,
  GroupedMessage,
  checkReadSize,
  readCount,
  withPartials,
  type Item,
  type RecordKind,
  type SplitState,
} from '../core/index.js';
import { assembleBatch } from './assemble-batch.js';
import { checkNativeLock } from './fcntl-lock.js';
import {
  resolveFileOptions,
  type LineFileBufferOptions,
  type ResolvedFileOptions,
} from './file-options.js';
import { ItemFiles } from './item-files.js';
import { checkFilePath, fileLayout, type FileLayout } from './layout.js';
import { countLines, PendingWrites, type PendingBatch, type PendingOp } from './pending-writes.js';
import { withLock, type LockMode } from './process-locks.js';

/**
 * A buffer of the newest `maxlen` items kept in files on a disk that many processes
 * share, even on different machines (NFS, a cluster file system). Every process opens
 * its own `LineFileBuffer` on the same path and all of them see one log. The files and
 * locks are those of the Python reference, so Node and Python writers can share a log
 * (see `docs/file.md`).
 *
 * `write` never waits for the disk: it queues, and the buffer stores what queued in one
 * step under the locks, in order. `flush` resolves once everything written is stored;
 * `read`, `length` and `clear` first store what was written before them.
 *
 * @example
 * const buf = new LineFileBuffer('/shared/run.log', { maxlen: 100, tmpId: `w${rank}` });
 * buf.write('step 1 done\n');
 * await buf.flush();
 * console.log(await buf.read()); // [..., 'step 1 done']
 */
export class LineFileBuffer {
  /** The resolved options. */
  readonly options: ResolvedFileOptions;
  /** The log's file names. */
  readonly layout: FileLayout;
  readonly #files: ItemFiles;
  readonly #pending: PendingWrites;
  #tail: Promise<unknown> = Promise.resolve();
  #drainQueued = false;
  /** A write ended with `\r`: a `\n` that starts the next one is part of that break. */
  #pendingCr = false;
  /** While a batch is being stored: where `parseLines` puts the items it keeps. */
  #collected: string[] | undefined;
  #failure: DeliveryError | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;

  /**
   * @param path - the log's path; its extension is dropped to name the files, and its
   *   folder must exist.
   */
  constructor(path: string, options?: LineFileBufferOptions) {
    this.options = resolveFileOptions(options);
    this.layout = fileLayout(checkFilePath(path), this.options.tmpId);
    checkNativeLock();
    this.#files = new ItemFiles(this.layout, this.options.maxlen);
    this.#pending = new PendingWrites(this.options.maxQueuedChars);
  }

  /** How many items the log keeps. */
  get maxlen(): number {
    return this.options.maxlen;
  }

  /** Whether {@link close} was called; writes are then refused. */
  get closed(): boolean {
    return this.#closed;
  }

  /** How many entries {@link read} returns: stored items and this writer's partial line. */
  get length(): Promise<number> {
    return this.#serial(async () => {
      const partial = await this.#locked('partial', 'shared', () => this.#files.readPartial());
      const stored = await this.#locked('items', 'shared', () => this.#files.count());
      return Math.min(this.maxlen, stored + (partial === '' ? 0 : 1));
    });
  }

  /** Writes text; every line it completes becomes an item. Returns at once. */
  write(text: string): void {
    if (typeof text !== 'string') {
      throw new TypeError(`write expects a string, got ${typeof text}`);
    }
    this.#checkOpen();
    if (text !== '') this.#queue({ kind: 'text', text });
  }

  /** Ends the partial line, then stores `record` as one item (its text, as the reference). */
  writeRecord(record: GroupedMessage): void {
    if (!(record instanceof GroupedMessage)) {
      throw new TypeError('writeRecord expects a GroupedMessage');
    }
    this.#checkOpen();
    this.#queue({ kind: 'record', record });
  }

  /** Stores a thrown value as an error record (or a warning), with its stack and causes. */
  writeError(error: unknown, type: RecordKind = 'error'): void {
    this.writeRecord(GroupedMessage.fromError(error, type));
  }

  /** Stores a non-empty partial line as an item; does nothing when it is empty. */
  newLine(): void {
    this.#checkOpen();
    this.#queue({ kind: 'newLine' });
  }

  /**
   * Resolves once everything written before it is stored. Rejects with a
   * `DeliveryError` (saying how many lines) when something could not be stored since
   * the last call.
   */
  flush(): Promise<void> {
    return this.#serial(async () => this.#takeFailure());
  }

  /** The newest `n` entries (all when `n` is omitted), oldest first. */
  read(n?: number): Promise<string[]> {
    let count: number;
    try {
      count = readCount(checkReadSize(n), this.maxlen);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#serial(() => this.#read(count));
  }

  /** Removes every item of the log and this writer's partial line. */
  clear(): Promise<void> {
    return this.#serial(async () => {
      await this.#locked('partial', 'exclusive', () =>
        this.#locked('items', 'exclusive', () => this.#files.clear()),
      );
      this.#pendingCr = false;
    });
  }

  /**
   * Stores the partial line (or, given an error, the error as a record) and refuses
   * further writes; resolves once all is stored. Reads keep working. Only the first
   * call does anything.
   */
  close(error?: unknown): Promise<void> {
    this.#closing ??= this.#close(error);
    return this.#closing;
  }

  /** Closes the buffer at the end of an `await using` block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Runs `fn` with `process.stdout` and `process.stderr` written to this buffer, and
   * restores them after, even when `fn` throws; a throw is stored as an error record.
   * Resolves once the scope's lines are stored.
   */
  async capture<T>(fn: () => T | Promise<T>, options?: CaptureOptions): Promise<T> {
    let result: T;
    try {
      result = await captureStdio((text) => this.write(text), fn, options);
    } catch (error) {
      if (!this.#closed) this.writeError(error);
      await this.#serial(async () => undefined);
      throw error;
    }
    await this.flush();
    return result;
  }

  /**
   * Receives completed items and stores them (records as their text). Override it to
   * consume some items (a progress pattern, say) and pass the rest to
   * `super.parseLines`. It runs while this writer holds the log's locks, so keep it short.
   */
  protected parseLines(items: Item[]): void {
    const texts = items.map(String);
    if (this.#collected) {
      for (const text of texts) this.#collected.push(text);
      return;
    }

    this.#checkOpen();
    this.#queue({ kind: 'items', items: texts });
  }

  #queue(op: PendingOp): void {
    this.#pending.push(op);
    if (this.#drainQueued) return;

    this.#drainQueued = true;
    void this.#serial(() => this.#drain());
  }

  /** Stores what queued so far. Never rejects: a failure is kept for `flush`. */
  async #drain(): Promise<void> {
    this.#drainQueued = false;
    if (this.#pending.empty) return;

    const batch = this.#pending.take();
    try {
      await this.#store(batch);
    } catch (error) {
      this.#fail(error, countLines(batch.ops));
    } finally {
      this.#pending.release(batch);
    }
  }

  async #store(batch: PendingBatch): Promise<void> {
    await this.#locked('partial', 'exclusive', async () => {
      const before = this.#files.readPartial();
      const { items, state } = this.#assemble(before, batch.ops);
      if (items.length > 0) await this.#locked('items', 'exclusive', () => this.#files.push(items));
      if (state.partial !== before) this.#files.writePartial(state.partial);
      this.#pendingCr = state.pendingCr;
    });
  }

  /** Applies `ops` to the partial line `before`; returns the items and the new state. */
  #assemble(before: string, ops: readonly PendingOp[]): { items: string[]; state: SplitState } {
    const items: string[] = [];
    const keep = (texts: readonly string[]): void => {
      for (const text of texts) items.push(text);
    };
    this.#collected = items;
    try {
      const state = assembleBatch({
        before,
        pendingCr: this.#pendingCr,
        ops,
        maxLineLength: this.options.maxLineLength,
        parseLines: (completed) => this.parseLines(completed),
        keep,
      });
      return { items, state };
    } finally {
      this.#collected = undefined;
    }
  }

  async #read(count: number): Promise<string[]> {
    if (count <= 0) return [];

    const partial = await this.#locked('partial', 'shared', () => this.#files.readPartial());
    const partials = partial === '' ? [] : [partial];
    const stored =
      partials.length >= count
        ? []
        : await this.#locked('items', 'shared', () =>
            this.#files.readNewest(count - partials.length),
          );
    return withPartials((k) => stored.slice(-k), partials, count);
  }

  async #close(error: unknown): Promise<void> {
    this.#queue(
      error === undefined
        ? { kind: 'newLine' }
        : { kind: 'record', record: GroupedMessage.fromError(error) },
    );
    this.#closed = true;
    await this.flush();
  }

  /** Runs `fn` holding the items lock or this writer's partial-line lock. */
  #locked<T>(which: 'items' | 'partial', mode: LockMode, fn: () => T | Promise<T>): Promise<T> {
    const path = which === 'items' ? this.layout.itemsLock : this.layout.partialLock;
    return withLock(path, mode, this.options.lockTimeoutMs, fn);
  }

  /** Runs `task` after every operation started before it, in order. */
  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(task);
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Adds a batch that could not be stored to the failure the next `flush` reports. */
  #fail(error: unknown, lines: number): void {
    const total = lines + (this.#failure?.undeliveredLines ?? 0);
    const cause = error instanceof Error ? error : new Error(String(error));
    this.#failure = DeliveryError.forLines(total, `the log ${this.layout.stem}`, cause);
  }

  #takeFailure(): void {
    const failure = this.#failure;
    this.#failure = undefined;
    if (failure) throw failure;
  }

  #checkOpen(): void {
    if (this.#closed) {
      throw new ClosedError(`cannot write to a closed LineFileBuffer (${this.layout.stem})`);
    }
  }
}
