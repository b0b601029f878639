import { DeliveryError, LimitError, StoppedError } from '../core/index.js';
import type { StdioStream } from '../capture/index.js';
import { countTextLines, MirrorQueue } from './mirror-queue.js';
import type { ResolvedProcMirrorOptions } from './mirror-options.js';
import type { MirrorOp } from './protocol.js';
import type { MirrorTransport } from './transport.js';

/**
 * The sending half of a mirror: queues ops, sends them in batches once the writer
 * yields (or at once past a batch's size), keeps what is unacknowledged within the
 * queue limit, and counts what it could not deliver.
 */
export class MirrorOutlet {
  readonly #transport: MirrorTransport;
  readonly #options: ResolvedProcMirrorOptions;
  readonly #abort = new AbortController();
  #queue = new MirrorQueue();
  #scheduled = false;
  #undelivered = 0;
  #lastError: Error | undefined;

  constructor(transport: MirrorTransport, options: ResolvedProcMirrorOptions) {
    this.#transport = transport;
    this.#options = options;
    transport.onChange(() => this.#checkStop());
    this.#checkStop();
  }

  /** Aborted once the buffer's stop flag is seen. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** How many lines (and records) could not be delivered so far. */
  get undelivered(): number {
    return this.#undelivered;
  }

  /** Whether the mirror holds less than half its limit (`heldChars` held locally besides). */
  underHighWater(heldChars: number): boolean {
    return this.#queue.chars + heldChars < this.#options.maxQueueChars / 2;
  }

  /** Throws a {@link StoppedError} once the stop flag is set. */
  checkNotStopped(): void {
    this.#checkStop();
    const { reason } = this.#abort.signal;
    if (this.#abort.signal.aborted) throw reason;
  }

  /**
   * Whether `chars` more fit within the queue limit, `heldChars` being held locally.
   * A worker thread waits for the buffer to make room, up to `timeout`; a write that
   * still does not fit is counted as undelivered.
   */
  admit(text: string, heldChars: number): boolean {
    const limit = this.#options.maxQueueChars;
    const fits = (): boolean => this.#queue.chars + heldChars + text.length <= limit;
    if (fits()) return true;

    this.sendNow();
    if (!fits() && this.#transport.canBlock && heldChars + text.length <= limit) {
      this.#block(fits);
    }
    if (fits()) return true;

    const held = this.#queue.chars + heldChars;
    this.#refuse(
      countTextLines(text),
      new LimitError(
        `mirror queue full: ${held} characters held, maxQueueChars is ${limit}; a write of ` +
          `${text.length} characters was dropped (await drain() when write returns false)`,
      ),
    );
    return false;
  }

  /** Queues text of a stream. */
  pushText(stream: StdioStream, text: string): void {
    if (text === '') return;

    this.#queue.pushText(stream, text);
    if (this.#queue.queuedChars >= this.#options.maxBatchChars) this.sendNow();
    else this.#schedule();
  }

  /** Queues an op other than text. */
  push(op: MirrorOp): void {
    this.#queue.push(op);
    this.#schedule();
  }

  /** Hands everything queued to the transport now. */
  sendNow(): void {
    for (let batch = this.#queue.take(this.#options.maxBatchChars); batch; ) {
      if (!this.#transport.send(batch)) return this.#lose();
      batch = this.#queue.take(this.#options.maxBatchChars);
    }
    this.#collectAcks();
  }

  /** Resolves once the mirror holds less than half its limit (or after `timeout`). */
  async drain(heldChars: () => number): Promise<void> {
    this.sendNow();
    await this.#until(() => this.underHighWater(heldChars()));
  }

  /**
   * Sends what is queued and resolves once the buffer acknowledged all of it. What is
   * unacknowledged after `timeout` is counted as undelivered. Rejects with a
   * {@link DeliveryError} when anything was undelivered so far.
   */
  async flush(): Promise<void> {
    this.sendNow();
    const settled = await this.#until(() => this.#queue.settled);
    if (!settled && !this.#transport.lostReason) {
      const ms = this.#options.timeout;
      this.#refuse(this.#queue.countLines(), new Error(`not acknowledged within ${ms} ms`));
      this.#queue = new MirrorQueue();
    }
    this.#throwIfUndelivered();
  }

  /** Lets go of the transport. */
  close(): void {
    this.#transport.close();
  }

  /** Waits for acknowledgements until `done()` or the timeout; whether `done()` came true. */
  async #until(done: () => boolean): Promise<boolean> {
    const deadline = Date.now() + this.#options.timeout;
    for (;;) {
      this.#collectAcks();
      if (done()) return true;
      if (this.#transport.lostReason) {
        this.#lose();
        return done();
      }
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await this.#transport.waitForAck(this.#transport.acknowledged(), left);
    }
  }

  #block(fits: () => boolean): void {
    const deadline = Date.now() + this.#options.timeout;
    for (let left = this.#options.timeout; !fits() && left > 0; left = deadline - Date.now()) {
      this.#transport.blockForAck(this.#transport.acknowledged(), left);
      this.#collectAcks();
    }
  }

  #schedule(): void {
    if (this.#scheduled) return;

    this.#scheduled = true;
    // Waits for the writer's current burst, so its writes go out as one message.
    setImmediate(() => {
      this.#scheduled = false;
      this.sendNow();
    });
  }

  #collectAcks(): void {
    this.#queue.acknowledge(this.#transport.acknowledged());
  }

  #checkStop(): void {
    if (this.#abort.signal.aborted || !this.#transport.stopped()) return;

    const message = 'the LineProcBuffer set the stop flag; the mirror takes no more writes';
    this.#abort.abort(new StoppedError(message));
  }

  #lose(): void {
    const lines = this.#queue.countLines();
    this.#queue = new MirrorQueue();
    const reason = this.#transport.lostReason ?? new Error('the buffer cannot be reached');
    if (lines > 0) this.#refuse(lines, reason);
  }

  #refuse(lines: number, error: Error): void {
    this.#undelivered += lines;
    this.#lastError = error;
  }

  #throwIfUndelivered(): void {
    if (this.#undelivered === 0) return;

    throw DeliveryError.forLines(this.#undelivered, 'the LineProcBuffer', this.#lastError);
  }
}
