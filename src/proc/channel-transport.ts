import { BroadcastChannel } from 'node:worker_threads';
import { SHARED_ACK, SHARED_STOP, type MirrorBatch, type MirrorHandle } from './protocol.js';
import { delay, type MirrorTransport } from './transport.js';

/** `Atomics.waitAsync` (Node 16+), which the ES2023 lib the project builds with lacks. */
interface AtomicsWithWaitAsync {
  waitAsync(
    array: Int32Array,
    index: number,
    value: number,
    timeout: number,
  ): { async: false; value: string } | { async: true; value: Promise<string> };
}

/**
 * A mirror's link from a worker thread: batches go over a BroadcastChannel, and the
 * buffer answers in shared memory, which a writer can read (and wait on) without
 * yielding to its event loop. A stop message on the channel also reaches a worker that
 * sleeps.
 */
export class ChannelTransport implements MirrorTransport {
  readonly canBlock = true;
  readonly lostReason = undefined;
  readonly #channel: BroadcastChannel;
  readonly #shared: Int32Array;
  #listener: (() => void) | undefined;

  constructor(handle: MirrorHandle) {
    this.#shared = new Int32Array(handle.shared);
    this.#channel = new BroadcastChannel(handle.channel);
    // The mirror must not keep its worker alive: work that is done ends the worker.
    this.#channel.unref();
    this.#channel.onmessage = () => this.#listener?.();
  }

  send(batch: MirrorBatch): boolean {
    this.#channel.postMessage(batch);
    return true;
  }

  acknowledged(): number {
    return Atomics.load(this.#shared, SHARED_ACK);
  }

  stopped(): boolean {
    return Atomics.load(this.#shared, SHARED_STOP) !== 0;
  }

  blockForAck(seen: number, ms: number): void {
    Atomics.wait(this.#shared, SHARED_ACK, seen, ms);
  }

  async waitForAck(seen: number, ms: number): Promise<void> {
    const atomics = Atomics as unknown as AtomicsWithWaitAsync;
    const result = atomics.waitAsync(this.#shared, SHARED_ACK, seen, ms);
    if (!result.async) return;

    // waitAsync alone does not keep a worker alive; the timer does, until the answer.
    const timer = delay(ms);
    await Promise.race([result.value, timer.promise]);
    timer.cancel();
  }

  onChange(listener: () => void): void {
    this.#listener = listener;
  }

  close(): void {
    this.#channel.close();
  }
}
