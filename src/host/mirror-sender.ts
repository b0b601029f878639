import { setTimeout as sleep } from 'node:timers/promises';
import { DeliveryError, HttpStatusError, RequestFailedError, StoppedError } from '../core/index.js';
import type { HostAddress, JsonClient } from './http-client.js';
import type { ResolvedMirrorOptions } from './mirror-options.js';
import { countLines, Outbox, type OutboxOp } from './mirror-outbox.js';

/** The queue is "full" for backpressure past this many batches of text. */
const HIGH_WATER_BATCHES = 4;

/**
 * The background half of a mirror: sends the outbox in order, one request at a time,
 * retries what failed on the way, learns the stop flag, and counts what it could not
 * deliver.
 */
export class MirrorSender {
  readonly #outbox = new Outbox();
  readonly #abort = new AbortController();
  readonly #client: JsonClient;
  readonly #address: HostAddress;
  readonly #options: ResolvedMirrorOptions;
  readonly #timer: NodeJS.Timeout;
  #running = false;
  #idleWaiters: (() => void)[] = [];
  #drainWaiters: (() => void)[] = [];
  // Starts from the clock (microseconds), so a writer restarted under the same source
  // never reuses a recent seq of its earlier run.
  #seq = Date.now() * 1000 + Math.floor(Math.random() * 1000);
  #undelivered = 0;
  #cutLines = 0;
  #lastError: Error | undefined;
  #broken = false;
  #lastContact = 0;
  #lastStateCheck = 0;

  constructor(client: JsonClient, address: HostAddress, options: ResolvedMirrorOptions) {
    this.#client = client;
    this.#address = address;
    this.#options = options;
    // Asks for the stop flag while the writer is quiet, so `signal` also reaches a
    // worker that sleeps; unref'd so it never keeps the process alive.
    this.#timer = setInterval(() => this.#poll(), options.stateIntervalMs).unref();
  }

  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  get undelivered(): number {
    return this.#undelivered;
  }

  get cutLines(): number {
    return this.#cutLines;
  }

  get queuedChars(): number {
    return this.#outbox.chars;
  }

  push(op: OutboxOp): void {
    if (op.kind === 'text') this.#outbox.pushText(op.text, op.stream);
    else this.#outbox.push(op);
    this.#kick();
  }

  underHighWater(): boolean {
    return this.#outbox.chars < this.#options.maxBatchChars * HIGH_WATER_BATCHES;
  }

  belowHighWater(): Promise<void> {
    if (this.underHighWater()) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  idle(): Promise<void> {
    if (!this.#running && this.#outbox.empty) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async checkStates(): Promise<boolean> {
    const { body } = await this.#client.request('GET', `${this.#address.statePath}?state=closed`);
    this.#lastStateCheck = Date.now();
    this.#lastContact = this.#lastStateCheck;
    const closed = body.data === true;
    if (closed) this.#stop();
    return closed;
  }

  countUndelivered(lines: number, error: Error): void {
    this.#undelivered += lines;
    this.#lastError = error;
  }

  throwIfUndelivered(): void {
    if (this.#undelivered === 0) return;

    throw DeliveryError.forLines(this.#undelivered, this.#address.url, this.#lastError);
  }

  stopWatching(): void {
    clearInterval(this.#timer);
  }

  #kick(): void {
    if (this.#running) return;
    this.#running = true;
    // Wait for the writer's current burst of writes, so they go out as one request.
    setImmediate(() => void this.#run());
  }

  async #run(): Promise<void> {
    for (let op = this.#outbox.take(this.#options.maxBatchChars); op; ) {
      await this.#deliver(op);
      if (this.underHighWater()) wake(this.#drainWaiters);
      op = this.#outbox.take(this.#options.maxBatchChars);
    }
    this.#running = false;
    wake(this.#drainWaiters);
    wake(this.#idleWaiters);
  }

  async #deliver(op: OutboxOp): Promise<void> {
    const body = this.#body(op);
    // While the host is unreachable, each request is tried once so the queue keeps moving.
    const attempts = this.#broken ? 1 : this.#options.retries + 1;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const answer = await this.#client.request('POST', this.#address.itemsPath, body);
        this.#broken = false;
        this.#lastContact = Date.now();
        if (typeof answer.body.cut === 'number') this.#cutLines += answer.body.cut;
        await this.#learn(answer.body.closed);
        return;
      } catch (error) {
        const retryable = isRetryable(error);
        if (attempt >= attempts || !retryable) {
          this.#broken = retryable;
          this.countUndelivered(countLines(op), error as Error);
          return;
        }
        await sleep(100 * 4 ** (attempt - 1));
      }
    }
  }

  #body(op: OutboxOp): Record<string, unknown> {
    this.#seq += 1;
    const writer = { source: this.#options.source, seq: this.#seq };
    if (op.kind === 'close') return { type: 'close', ...writer };
    if (op.kind === 'record') {
      const type = op.record.type === 'warning' ? 'warning' : 'error';
      return { type, data: op.record.serialize(), ...writer };
    }
    const stream = op.stream === undefined ? {} : { stream: op.stream };
    return { type: 'str', data: { value: op.text }, ...writer, ...stream };
  }

  /** Takes the stop flag from an answer; asks for it, at a bounded rate, when absent. */
  async #learn(closed: unknown): Promise<void> {
    if (closed === true) return this.#stop();
    if (typeof closed === 'boolean') return;
    if (Date.now() - this.#lastStateCheck < this.#options.stateIntervalMs) return;

    // A host without the `closed` extension (the reference): ask the state route.
    await this.checkStates().catch(() => undefined);
  }

  #poll(): void {
    if (this.#running || this.#abort.signal.aborted) return;
    if (Date.now() - this.#lastContact < this.#options.stateIntervalMs) return;

    // A failed poll changes nothing: delivery errors are reported by the requests that carry lines.
    this.checkStates().catch(() => undefined);
  }

  #stop(): void {
    if (this.#abort.signal.aborted) return;

    this.stopWatching();
    this.#abort.abort(
      new StoppedError(
        `the host at ${this.#address.url} set the stop flag; the mirror takes no more writes`,
      ),
    );
  }
}

function isRetryable(error: unknown): boolean {
  if (error instanceof RequestFailedError) return true;
  return error instanceof HttpStatusError && error.status >= 500;
}

function wake(waiters: (() => void)[]): void {
  for (const resolve of waiters.splice(0)) resolve();
}
