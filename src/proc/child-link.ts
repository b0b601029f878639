import type { ChildProcess } from 'node:child_process';
import type { ProcLink } from './proc-link.js';
import { isTagged, PROC_TAG } from './protocol.js';

/** How long after a child's exit its IPC channel and output may take to close. */
const CLOSE_GRACE_MS = 2000;

/**
 * Wires a child process to its link: takes in its mirror's batches from the IPC
 * channel and acknowledges them there, and ends the link once the child has exited and
 * its channel and output have closed, or a little after the exit when they do not
 * (a grandchild may hold them open).
 */
export function attachChild(link: ProcLink, child: ChildProcess): void {
  const send = (message: object): void => {
    // A child that is gone cannot be told anything; its exit ends the link.
    if (child.connected) child.send({ [PROC_TAG]: 1, ...message }, () => {});
  };

  child.on('message', (message: unknown) => {
    if (!isTagged(message)) return;
    const seq = link.applyBatch(message);
    if (seq !== undefined) send({ ack: seq });
  });

  let exit: [number | null, string | null] = [null, null];
  let timer: NodeJS.Timeout | undefined;
  child.once('exit', (code, signal) => {
    exit = [code, signal];
    timer = setTimeout(() => {
      link.gone(...exit);
      link.endOutputs();
    }, CLOSE_GRACE_MS);
  });
  child.once('close', (code: number | null, signal: string | null) => {
    clearTimeout(timer);
    link.gone(code ?? exit[0], signal ?? exit[1]);
  });
  child.on('error', (error) => {
    link.failed(error);
    // A child that could not be started sends no exit.
    if (child.pid === undefined) link.gone(null, null);
  });
  link.setControl({
    stop: () => send({ stop: true }),
    kill: () => child.kill('SIGKILL'),
  });
}
