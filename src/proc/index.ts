/**
 * Process mode: worker threads and child processes write, through their mirrors, to
 * one {@link LineProcBuffer} in the parent.
 */
export { LineProcBuffer } from './line-proc-buffer.js';
export type { LineProcBufferOptions, LinkOptions, OutputOrigin } from './buffer-options.js';
export { LineProcMirror } from './line-proc-mirror.js';
export type { LineProcMirrorOptions } from './mirror-options.js';
export { connectMirror, type ConnectMirrorOptions } from './connect-mirror.js';
export type { MirrorBatch, MirrorHandle, MirrorOp } from './protocol.js';
export type { MirrorTransport } from './transport.js';
