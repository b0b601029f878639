/**
 * The messages between a {@link LineProcMirror} and its {@link LineProcBuffer}.
 *
 * A mirror sends batches: each holds, in order, the ops its writer made since the last
 * batch. Text travels as written, cut after its last line break in the default mode,
 * so the buffer's per-source line assembly stays the one authority on line breaks.
 * The buffer answers with acknowledgements (how far it has taken batches in) and the
 * stop flag. Over a child's IPC channel every message carries the {@link PROC_TAG} key,
 * so it can share the channel with the program's own messages.
 */
import type { SerializedGroupedMessage } from '../core/index.js';
import type { StdioStream } from '../capture/index.js';

/** The key that marks syncstream's messages on a shared channel. */
export const PROC_TAG = 'syncstream-proc';

/** The environment-data key under which a new worker finds its {@link MirrorHandle}. */
export const HANDLE_KEY = 'syncstream-proc:handle';

/** One step of a mirror's writer, as sent to the buffer. */
export type MirrorOp =
  | { op: 'text'; text: string; stream: StdioStream }
  | { op: 'newLine'; stream: StdioStream }
  | { op: 'record'; record: SerializedGroupedMessage }
  | { op: 'end'; error?: SerializedGroupedMessage };

/** The ops of one batch, numbered from 1 in the mirror's order. */
export interface MirrorBatch {
  seq: number;
  ops: MirrorOp[];
}

/** A message from a mirror. `hello` asks for the stop flag when a mirror connects. */
export type MirrorMessage = { [PROC_TAG]: 1 } & (MirrorBatch | { hello: true });

/** A message from the buffer to a mirror in a child process. */
export type BufferMessage = { [PROC_TAG]: 1 } & ({ ack: number } | { stop: true });

/**
 * What a worker needs to reach its buffer: a channel name and shared memory for the
 * stop flag and acknowledgements. A plain object, so it can be passed in `workerData`
 * or a message without a transfer list.
 */
export interface MirrorHandle {
  /** The name of the BroadcastChannel the mirror sends on. */
  readonly channel: string;
  /**
   * Int32 slots: the stop flag ({@link SHARED_STOP}) and the seq of the last batch the
   * buffer acknowledged ({@link SHARED_ACK}).
   */
  readonly shared: SharedArrayBuffer;
}

/** The slot of the stop flag in {@link MirrorHandle.shared}. */
export const SHARED_STOP = 0;
/** The slot of the last acknowledged batch seq in {@link MirrorHandle.shared}. */
export const SHARED_ACK = 1;

/** A new handle on a fresh channel name. */
export function createHandle(channel: string): MirrorHandle {
  return { channel, shared: new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT) };
}

/** Whether `value` is a handle made by {@link createHandle}. */
export function isMirrorHandle(value: unknown): value is MirrorHandle {
  if (typeof value !== 'object' || value === null) return false;

  const v = value as Partial<MirrorHandle>;
  return (
    typeof v.channel === 'string' &&
    v.shared instanceof SharedArrayBuffer &&
    v.shared.byteLength >= 2 * Int32Array.BYTES_PER_ELEMENT
  );
}

/** Whether `value` is a message of this protocol (any direction). */
export function isTagged(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  return (value as Record<string, unknown>)[PROC_TAG] === 1;
}

/** The batch in a mirror message, or undefined when it is not a well-formed one. */
export function batchOf(value: unknown): MirrorBatch | undefined {
  if (typeof value !== 'object' || value === null) return undefined;

  const { seq, ops } = value as Partial<MirrorBatch>;
  if (typeof seq !== 'number' || !Array.isArray(ops)) return undefined;
  return { seq, ops };
}

/**
 * The characters an op counts for in a mirror's queue limit: its text, or for the other
 * ops their lines and a little for the op itself, so a run of records is not free.
 */
export function opWeight(op: MirrorOp): number {
  if (op.op === 'text') return op.text.length;
  const record = op.op === 'record' ? op.record : op.op === 'end' ? op.error : undefined;
  return (record?.data ?? []).reduce((sum, line) => sum + line.length + 1, 16);
}
