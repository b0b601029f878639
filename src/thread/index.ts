/**
 * Thread mode: the standard output of a scope (the whole process, or one async task)
 * captured into a {@link LineBuffer}.
 */
export { captureToBuffer, startBufferCapture } from './buffer-capture.js';
export type { CaptureHandle, CaptureOptions } from '../capture/index.js';
export { LineBuffer, type LineBufferOptions } from '../core/index.js';
