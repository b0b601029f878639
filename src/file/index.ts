/**
 * Shared-disk mode: processes that share a disk, but not a network service, write to
 * one rotating log in files, interoperable with the Python reference's files and locks.
 */
export { LineFileBuffer } from './line-file-buffer.js';
export type { LineFileBufferOptions, ResolvedFileOptions } from './file-options.js';
export { dropExtension, itemPath, type FileLayout } from './layout.js';
