import {
  captureStdio,
  startCapture,
  type CaptureHandle,
  type CaptureOptions,
  type StdioStream,
} from '../capture/index.js';
import {
  ClosedError,
  GroupedMessage,
  lastLineBreak,
  LocalLines,
  StoppedError,
} from '../core/index.js';
import { MirrorOutlet } from './mirror-outlet.js';
import {
  resolveProcMirrorOptions,
  type LineProcMirrorOptions,
  type ResolvedProcMirrorOptions,
} from './mirror-options.js';
import type { MirrorTransport } from './transport.js';

const STREAMS: readonly StdioStream[] = ['stdout', 'stderr'];

/**
 * The writer's side of process mode: in a worker thread or a child process, forwards
 * text and records to the {@link LineProcBuffer} that started it. `write` never waits
 * for the buffer: it queues, and the mirror sends in batches once the writer yields.
 * Get one with {@link connectMirror}.
 *
 * @example
 * const mirror = connectMirror();
 * await mirror.capture(async () => console.log('hello from a worker'));
 * await mirror.close();
 */
export class LineProcMirror implements AsyncDisposable {
  /** The resolved options. */
  readonly options: Readonly<ResolvedProcMirrorOptions>;
  readonly #partials = new LocalLines();
  readonly #outlet: MirrorOutlet;
  /** Whether text sent raw may have left a partial line in the buffer, per stream. */
  readonly #bufferHoldsPartial: Record<StdioStream, boolean> = { stdout: false, stderr: false };
  #ended = false;
  #closing: Promise<void> | undefined;
  readonly #onWarning = (warning: Error): void => {
    if (this.#ended) return;
    try {
      this.sendWarning(warning);
    } catch {
      // Stopped: the warning is not forwarded, and Node prints it to stderr anyway.
    }
  };

  readonly #onExit = (): void => {
    // The thread or process ends (an exit call, an uncaught error): hand over all that
    // was written, partial lines too, while a synchronous send still can.
    for (const stream of STREAMS) this.#sendRaw(stream, this.#partials.take(stream));
    this.#outlet.sendNow();
  };

  /**
   * Use {@link connectMirror}, which finds the buffer and makes the transport; this
   * constructor is for a transport of one's own.
   */
  constructor(transport: MirrorTransport, options: LineProcMirrorOptions = {}) {
    this.options = Object.freeze(resolveProcMirrorOptions(options));
    this.#outlet = new MirrorOutlet(transport, this.options);
    if (this.options.forwardWarnings) process.on('warning', this.#onWarning);
    process.once('exit', this.#onExit);
  }

  /** Aborted once the buffer's stop flag is seen; its reason is a {@link StoppedError}. */
  get signal(): AbortSignal {
    return this.#outlet.signal;
  }

  /** Whether the mirror has ended (`sendEof`, `sendError` or `close`). */
  get closed(): boolean {
    return this.#ended;
  }

  /** How many lines (and records) could not be delivered so far. */
  get undelivered(): number {
    return this.#outlet.undelivered;
  }

  /**
   * Queues text. Only completed lines are sent (all text in aggressive mode); the
   * partial line waits for its break. Throws a {@link StoppedError} once the stop flag
   * is set, and a {@link ClosedError} after the mirror ended.
   *
   * @returns `false` when the mirror holds more than half of `maxQueueChars`, or the
   * write was refused: await {@link drain} before writing much more.
   */
  write(text: string, stream: StdioStream = 'stdout'): boolean {
    checkText(text, 'write');
    this.#checkWritable();
    if (text === '') return true;
    if (!this.#outlet.admit(text, this.#partials.chars)) return false;

    if (this.options.aggressive) this.#sendRaw(stream, text);
    else this.#outlet.pushText(stream, this.#partials.cut(stream, text));
    return this.#outlet.underHighWater(this.#partials.chars);
  }

  /**
   * Sends a record, or text as it is, past the local partial line (which goes first):
   * the buffer then builds the line up. The low-level send of `write`.
   */
  sendData(data: string | GroupedMessage, stream: StdioStream = 'stdout'): boolean {
    if (data instanceof GroupedMessage) {
      this.#checkWritable();
      return this.#sendRecord(data);
    }
    checkText(data, 'sendData');
    this.#checkWritable();
    if (!this.#outlet.admit(data, this.#partials.chars)) return false;

    this.#sendRaw(stream, this.#partials.take(stream) + data);
    return this.#outlet.underHighWater(this.#partials.chars);
  }

  /** Ends the partial line of `stream`: it becomes an item even without a break. */
  newLine(stream: StdioStream = 'stdout'): void {
    this.#checkOpen();
    const partial = this.#partials.take(stream);
    if (partial !== '') {
      this.#outlet.pushText(stream, `${partial}\n`);
    } else if (this.#bufferHoldsPartial[stream]) {
      this.#outlet.push({ op: 'newLine', stream });
    }
    this.#bufferHoldsPartial[stream] = false;
  }

  /** Sends a warning (an `Error`, a text, or a record) as a warning record. */
  sendWarning(warning: unknown): void {
    this.#checkWritable();
    this.#sendRecord(asRecord(warning, 'warning'));
  }

  /**
   * Ends the mirror: its partial lines become items, and the buffer counts it as ended
   * (as `wait()` expects). Later writes throw a {@link ClosedError}. Unlike `close`, it
   * does not wait for the buffer.
   */
  sendEof(): void {
    this.#end(undefined);
  }

  /**
   * Ends the mirror with an error record (an `Error`, any thrown value, or a record):
   * the buffer stores it after the partial lines and counts the mirror as ended.
   */
  sendError(error: unknown): void {
    this.#end(asRecord(error, 'error'));
  }

  /** Resolves once the mirror holds less than half of `maxQueueChars` (or after `timeout`). */
  drain(): Promise<void> {
    return this.#outlet.drain(() => this.#partials.chars);
  }

  /**
   * Sends what is queued and resolves once the buffer acknowledged it. Rejects with a
   * {@link DeliveryError} when some lines could not be delivered.
   */
  flush(): Promise<void> {
    return this.#outlet.flush();
  }

  /**
   * Ends the mirror (with an error record when `error` is given), resolves once the
   * buffer acknowledged everything, and lets go of the channel. Rejects with a
   * {@link DeliveryError} when some lines could not be delivered. Later calls return
   * the same promise.
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
   * them back after, even when it throws. A throw ends the mirror with an error record
   * (as leaving the reference's `with` block does) and is thrown on.
   */
  async capture<T>(fn: () => T | Promise<T>, options: CaptureOptions = {}): Promise<T> {
    try {
      return await captureStdio((text, stream) => this.write(text, stream), fn, options);
    } catch (error) {
      // The scope's error is what the caller must see; a delivery failure stays counted
      // in `undelivered` and is reported by the next flush or close.
      if (!(error instanceof StoppedError) && !this.#ended) await this.close(error).catch(() => {});
      throw error;
    }
  }

  /** Sends the process's stdout and stderr to this mirror until the handle is stopped. */
  startCapture(options: Omit<CaptureOptions, 'scope'> = {}): CaptureHandle {
    return startCapture((text, stream) => this.write(text, stream), options);
  }

  async #close(error: unknown): Promise<void> {
    if (!this.#ended) {
      if (error === undefined) this.sendEof();
      else this.sendError(error);
    }
    try {
      await this.#outlet.flush();
    } finally {
      this.#outlet.close();
    }
  }

  #end(error: GroupedMessage | undefined): void {
    this.#checkOpen();
    this.#commitAll();
    this.#outlet.push(error ? { op: 'end', error: error.serialize() } : { op: 'end' });
    this.#ended = true;
    process.off('warning', this.#onWarning);
    process.off('exit', this.#onExit);
    // The end goes out at once: a writer may exit right after.
    this.#outlet.sendNow();
  }

  #sendRecord(record: GroupedMessage): boolean {
    if (!this.#outlet.admit(record.toString(), this.#partials.chars)) return false;

    this.#commitAll();
    this.#outlet.push({ op: 'record', record: record.serialize() });
    return this.#outlet.underHighWater(this.#partials.chars);
  }

  #sendRaw(stream: StdioStream, text: string): void {
    if (text === '') return;

    this.#outlet.pushText(stream, text);
    this.#bufferHoldsPartial[stream] = lastLineBreak(text.slice(-1)) !== 0;
  }

  #commitAll(): void {
    for (const stream of STREAMS) this.newLine(stream);
  }

  #checkOpen(): void {
    if (this.#ended) throw new ClosedError('cannot write to a LineProcMirror that has ended');
  }

  #checkWritable(): void {
    this.#checkOpen();
    this.#outlet.checkNotStopped();
  }
}

function checkText(text: unknown, method: string): asserts text is string {
  if (typeof text !== 'string') {
    throw new TypeError(`${method} expects a string, got ${typeof text}`);
  }
}

/** A record of `kind` from an `Error`, any thrown value, a text or a record. */
function asRecord(value: unknown, kind: 'warning' | 'error'): GroupedMessage {
  if (value instanceof GroupedMessage) return new GroupedMessage(value.data, kind);
  return GroupedMessage.fromError(value, kind);
}
