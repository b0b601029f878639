import { Writable } from 'node:stream';
import { captureStdio, type CaptureOptions } from '../capture/index.js';
import {
  ClosedError,
  LocalLines,
  GroupedMessage,
  LimitError,
  StoppedError,
} from '../core/index.js';
import { JsonClient, parseHostAddress, type HostAddress } from './http-client.js';
import { countTextLines } from './mirror-outbox.js';
import { MirrorSender } from './mirror-sender.js';
import {
  resolveMirrorOptions,
  type LineHostMirrorOptions,
  type ResolvedMirrorOptions,
} from './mirror-options.js';
import { mirrorWritable, type MirrorWritableOptions } from './mirror-writable.js';
import type { StreamName } from './store/item-store.js';

/**
 * The writer's side of host mode: forwards text and records to a {@link LineHostBuffer}
 * over HTTP. `write` never waits for the network: it queues, and the mirror sends in the
 * background, in order, batching whatever queued meanwhile.
 *
 * @example
 * await using mirror = new LineHostMirror('http://127.0.0.1:5000/sync-stream');
 * await mirror.capture(async () => console.log('hello from a worker'));
 */
export class LineHostMirror implements AsyncDisposable {
  /** The resolved options. */
  readonly options: Readonly<ResolvedMirrorOptions>;
  /** Where the host buffer is. */
  readonly address: HostAddress;
  readonly #lines: LocalLines;
  readonly #sender: MirrorSender;
  readonly #client: JsonClient;
  #closing: Promise<void> | undefined;

  constructor(address: string | URL, options: LineHostMirrorOptions = {}) {
    this.options = Object.freeze(resolveMirrorOptions(options));
    this.address = parseHostAddress(address);
    this.#lines = new LocalLines(this.options.maxBatchChars);
    this.#client = new JsonClient(this.address.origin, { timeout: this.options.timeout });
    this.#sender = new MirrorSender(this.#client, this.address, this.options);
  }

  /** The source id this mirror sends. */
  get source(): string {
    return this.options.source;
  }

  /** Aborted once the host's stop flag is seen; its reason is a {@link StoppedError}. */
  get signal(): AbortSignal {
    return this.#sender.signal;
  }

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /**
   * How many times the host cut a line longer than its `maxLineLength` into pieces
   * (it says so in its answers; a host without that extension never does).
   */
  get cutLines(): number {
    return this.#sender.cutLines;
  }

  /** How many lines (and records) could not be delivered so far. */
  get undelivered(): number {
    return this.#sender.undelivered;
  }

  /**
   * Queues text. Only completed lines are sent (all text in aggressive mode); the
   * partial line waits for its break. Throws a {@link StoppedError} once the host's stop
   * flag is seen, and a {@link ClosedError} after {@link close}.
   *
   * @returns `false` when the queue is past its high-water mark: wait for
   * {@link drain} before writing much more.
   */
  write(text: string, stream: StreamName = 'stdout'): boolean {
    if (typeof text !== 'string') throw new TypeError(`write expects a string, got ${typeof text}`);
    this.#checkWritable();
    if (text === '') return true;

    const ready = this.options.aggressive ? text : this.#lines.cut(stream, text);
    return this.#queueText(ready, stream);
  }

  /** Sends `text` as it is, past the local partial line: the low-level send of `write`. */
  sendData(text: string, stream: StreamName = 'stdout'): boolean {
    if (typeof text !== 'string')
      throw new TypeError(`sendData expects a string, got ${typeof text}`);
    this.#checkWritable();
    return this.#queueText(text, stream);
  }

  /** Ends the partial line: it becomes an item even without a break. */
  newLine(): void {
    this.#checkOpen();
    this.#commitPartials();
    if (this.options.aggressive) this.#sender.push({ kind: 'close' });
  }

  /** Asks the host to end this writer's partial line (a `close` request); stays open. */
  sendEof(): void {
    this.#checkOpen();
    this.#commitPartials();
    this.#sender.push({ kind: 'close' });
  }

  /** Sends an error (an `Error`, any thrown value, or a record) as an error record. */
  sendError(error: unknown): void {
    this.#sendRecord(
      error instanceof GroupedMessage ? error : GroupedMessage.fromError(error, 'error'),
    );
  }

  /** Sends a warning (an `Error`, a text, or a record) as a warning record. */
  sendWarning(warning: unknown): void {
    const record =
      warning instanceof GroupedMessage ? warning : GroupedMessage.fromError(warning, 'warning');
    this.#sendRecord(new GroupedMessage(record.data, 'warning'));
  }

  /** Asks the host for its stop flag now; resolves with it. */
  checkStates(): Promise<boolean> {
    return this.#sender.checkStates();
  }

  /** The partial line not sent yet (of `stream`). */
  read(stream: StreamName = 'stdout'): string {
    return this.#lines.partial(stream);
  }

  /** Resolves once the queue is below its high-water mark. */
  drain(): Promise<void> {
    return this.#sender.belowHighWater();
  }

  /**
   * Resolves once everything queued so far has been acknowledged by the host. Rejects
   * with a {@link DeliveryError} when some lines could not be delivered.
   */
  async flush(): Promise<void> {
    await this.#sender.idle();
    this.#sender.throwIfUndelivered();
  }

  /**
   * Sends what is queued, ends the partial line (with an error record instead of a plain
   * `close` when `error` is given), resolves once the host acknowledged everything, and
   * releases the connection. Rejects with a {@link DeliveryError} when some lines could
   * not be delivered. Later calls return the same promise.
   */
  close(error?: unknown): Promise<void> {
    this.#closing ??= this.#close(error);
    return this.#closing;
  }

  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Runs `fn` with `process.stdout` and `process.stderr` going to this mirror, and puts
   * them back after, even when it throws; a throw is sent as an error record and thrown
   * on. The mirror stays open.
   */
  async capture<T>(fn: () => T | Promise<T>, options: CaptureOptions = {}): Promise<T> {
    try {
      return await captureStdio((text, stream) => this.write(text, stream), fn, options);
    } catch (error) {
      if (!(error instanceof StoppedError) && !this.closed) this.sendError(error);
      throw error;
    }
  }

  /** A `Writable` that writes into this mirror (`child.stdout.pipe(mirror.writable())`). */
  writable(stream: StreamName = 'stdout', options: MirrorWritableOptions = {}): Writable {
    return mirrorWritable(this, stream, options);
  }

  async #close(error: unknown): Promise<void> {
    this.#commitPartials();
    if (error === undefined) this.#sender.push({ kind: 'close' });
    else this.#sender.push({ kind: 'record', record: GroupedMessage.fromError(error) });
    try {
      await this.#sender.idle();
    } finally {
      this.#sender.stopWatching();
      await this.#client.close();
    }
    this.#sender.throwIfUndelivered();
  }

  #sendRecord(record: GroupedMessage): void {
    this.#checkOpen();
    this.#commitPartials();
    this.#sender.push({ kind: 'record', record });
  }

  #queueText(text: string, stream: StreamName): boolean {
    if (text === '') return this.#sender.underHighWater();
    if (this.#sender.queuedChars + text.length > this.options.maxQueueChars) {
      const lost = countTextLines(text);
      this.#sender.countUndelivered(
        lost,
        new LimitError(`the queue reached maxQueueChars ${this.options.maxQueueChars}`),
      );
      return false;
    }
    this.#sender.push({ kind: 'text', text, stream });
    return this.#sender.underHighWater();
  }

  #commitPartials(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      this.#queueText(this.#lines.commit(stream), stream);
    }
  }

  #checkOpen(): void {
    if (this.#closing) throw new ClosedError(`the mirror to ${this.address.url} is closed`);
  }

  #checkWritable(): void {
    this.#checkOpen();
    if (this.#sender.signal.aborted) throw this.#sender.signal.reason as StoppedError;
  }
}
