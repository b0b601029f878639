import {
  BroadcastChannel,
  receiveMessageOnPort,
  type MessagePort,
  type Worker,
} from 'node:worker_threads';
import type { ProcLink } from './proc-link.js';
import { SHARED_ACK, SHARED_STOP, type MirrorHandle } from './protocol.js';

/**
 * Wires a worker thread to its link: takes in its mirror's batches from the channel,
 * answers in shared memory, and ends the link when the worker exits, after taking in
 * every batch the worker sent before it did.
 */
export function attachWorker(link: ProcLink, worker: Worker, handle: MirrorHandle): void {
  const shared = new Int32Array(handle.shared);
  const channel = new BroadcastChannel(handle.channel);
  // The Worker keeps the process alive while it runs; the channel need not.
  channel.unref();

  const take = (message: unknown): void => {
    const seq = link.applyBatch(message);
    if (seq === undefined) return;
    Atomics.store(shared, SHARED_ACK, seq);
    Atomics.notify(shared, SHARED_ACK);
  };
  // Messages a worker posted before it exited are already queued: take them in order.
  const drain = (): void => {
    const port = channel as unknown as MessagePort;
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) take(m.message);
  };
  channel.onmessage = (event) => take((event as MessageEvent).data);

  worker.on('error', (error) => {
    drain();
    link.failed(error);
  });
  worker.once('exit', (code) => {
    drain();
    channel.close();
    link.gone(code, null);
  });
  link.setControl({
    stop() {
      Atomics.store(shared, SHARED_STOP, 1);
      // Wakes a writer waiting for room, and reaches one that sleeps.
      Atomics.notify(shared, SHARED_ACK);
      channel.postMessage({ stop: true });
    },
    kill() {
      void worker.terminate();
    },
  });
}
