/**
 * syncstream: gather the lines of many writers into one bounded buffer.
 *
 * The root export is the in-process buffer, grouped records and the errors. Each way to
 * sync has its own subpath (`syncstream/host`, `syncstream/proc`, `syncstream/thread`,
 * `syncstream/file`), so loading one never loads another's dependencies.
 */
export { LineBuffer, type LineBufferOptions } from './core/line-buffer.js';
export {
  GroupedMessage,
  isRecordKind,
  RECORD_KINDS,
  type RecordKind,
  type SerializedGroupedMessage,
} from './core/grouped-message.js';
export { deserializeItem, serializeItem, type Item, type SerializedItem } from './core/items.js';
export { MAX_MAXLEN } from './core/checks.js';
export type { StreamName } from './core/local-lines.js';
export * from './core/errors.js';
