import { PROC_TAG, isTagged, type MirrorBatch } from './protocol.js';
import { delay, type MirrorTransport } from './transport.js';

/**
 * A mirror's link from a child process, over the IPC channel that `fork` opens. The
 * buffer's acknowledgements and stop flag arrive as messages, so a child learns them
 * when its event loop runs; it cannot wait for room inside a write.
 */
export class IpcTransport implements MirrorTransport {
  readonly canBlock = false;
  #lostReason: Error | undefined;
  #acked = 0;
  #stopped = false;
  #listener: (() => void) | undefined;
  #ackWaiters = new Set<() => void>();

  readonly #onMessage = (message: unknown): void => {
    if (!isTagged(message)) return;
    if (typeof message['ack'] === 'number') this.#acked = message['ack'];
    if (message['stop'] === true) this.#stopped = true;
    this.#wake();
  };

  readonly #onDisconnect = (): void => {
    this.#lostReason ??= new Error('the IPC channel to the parent process was closed');
    this.#wake();
  };

  constructor() {
    if (typeof process.send !== 'function' || !process.connected) {
      throw new TypeError('this process has no IPC channel: start it with fork() or stdio "ipc"');
    }
    process.on('message', this.#onMessage);
    process.on('disconnect', this.#onDisconnect);
    keepChannelRefForOthers();
  }

  get lostReason(): Error | undefined {
    return this.#lostReason;
  }

  send(batch: MirrorBatch): boolean {
    if (this.#lostReason || !process.connected) return false;

    process.send?.({ [PROC_TAG]: 1, ...batch }, undefined, {}, (error: Error | null) => {
      if (error) {
        this.#lostReason ??= error;
        this.#wake();
      }
    });
    return true;
  }

  acknowledged(): number {
    return this.#acked;
  }

  stopped(): boolean {
    return this.#stopped;
  }

  blockForAck(): void {
    // A child's acknowledgements arrive through its event loop, which a write cannot run.
  }

  async waitForAck(seen: number, ms: number): Promise<void> {
    if (this.#acked !== seen || this.#lostReason) return;

    // The timer keeps the child alive until the answer comes (the channel is unref'd).
    const timer = delay(ms);
    this.#ackWaiters.add(timer.cancel);
    await timer.promise;
    this.#ackWaiters.delete(timer.cancel);
  }

  onChange(listener: () => void): void {
    this.#listener = listener;
  }

  close(): void {
    process.off('message', this.#onMessage);
    process.off('disconnect', this.#onDisconnect);
    ourListeners -= 2;
    updateRef();
  }

  #wake(): void {
    for (const cancel of this.#ackWaiters) cancel();
    this.#listener?.();
  }
}

/** How many 'message' and 'disconnect' listeners on `process` are the mirrors'. */
let ourListeners = 0;
let watching = false;

/**
 * Node keeps a child alive while it has 'message' or 'disconnect' listeners; a mirror's
 * own must not, so that a child whose work is done ends. From the first mirror on, the
 * channel is ref'd exactly while the program itself has such listeners, as Node would.
 */
function keepChannelRefForOthers(): void {
  ourListeners += 2;
  if (!watching) {
    watching = true;
    const onChange = (event: string | symbol): void => {
      // 'newListener' comes before the listener is added: count once it is.
      if (event === 'message' || event === 'disconnect') queueMicrotask(updateRef);
    };
    process.on('newListener', onChange).on('removeListener', onChange);
  }
  updateRef();
}

function updateRef(): void {
  const listeners = process.listenerCount('message') + process.listenerCount('disconnect');
  const theirs = listeners - ourListeners;
  if (theirs > 0) process.channel?.ref();
  else process.channel?.unref();
}
