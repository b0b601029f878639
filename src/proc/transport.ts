import type { MirrorBatch } from './protocol.js';

/**
 * How a {@link LineProcMirror} reaches its buffer: a BroadcastChannel and shared memory
 * from a worker thread, or the IPC channel from a child process.
 */
export interface MirrorTransport {
  /** Whether {@link blockForAck} can hold the thread (worker threads only). */
  readonly canBlock: boolean;
  /** Why the buffer can no longer be reached, once it cannot. */
  readonly lostReason: Error | undefined;
  /** Hands a batch over; `false` when the buffer can no longer be reached. */
  send(batch: MirrorBatch): boolean;
  /** The seq of the newest batch the buffer has taken in. */
  acknowledged(): number;
  /** Whether the buffer's stop flag is known to be set. */
  stopped(): boolean;
  /** Holds the thread until the acknowledged seq is no longer `seen`, at most `ms`. */
  blockForAck(seen: number, ms: number): void;
  /** Resolves once the acknowledged seq is no longer `seen`, or after `ms`. */
  waitForAck(seen: number, ms: number): Promise<void>;
  /** Calls `listener` when the stop flag arrives or the buffer is lost. */
  onChange(listener: () => void): void;
  /** Lets go of the channel. */
  close(): void;
}

/** Resolves after `ms` with a timer that keeps the event loop alive meanwhile. */
export function delay(ms: number): { promise: Promise<void>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  let done: () => void = () => {};
  const promise = new Promise<void>((resolve) => {
    done = resolve;
    timer = setTimeout(resolve, ms);
  });
  return {
    promise,
    cancel() {
      clearTimeout(timer);
      done();
    },
  };
}
