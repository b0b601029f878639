/** The core: line semantics, items and records. No I/O. */
export * from './checks.js';
export * from './errors.js';
export * from './grouped-message.js';
export * from './items.js';
export * from './line-assembler.js';
export * from './line-breaks.js';
export * from './line-buffer.js';
export * from './local-lines.js';
export * from './ring.js';
