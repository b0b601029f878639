/** Host mode: a buffer served over HTTP, the mirrors that write to it and a reader. */
export { LineHostBuffer, type HostRoutes, type WriteOutcome } from './host-buffer.js';
export type { HostLogger, LineHostBufferOptions } from './host-options.js';
export { defaultEndpoint } from './host-options.js';
export {
  HostHandler,
  type HostBody,
  type HostRequest,
  type HostResponse,
  type RouteName,
} from './handler.js';
export type { MountTarget } from './serve.js';
export type { ExpressLike } from './adapters/express.js';
export type { FastifyLike } from './adapters/fastify.js';
export {
  createRequestListener,
  listen,
  type HostServer,
  type ListenOptions,
} from './adapters/node-http.js';
export { MemoryStore, type MemoryStoreOptions } from './store/memory-store.js';
export type { ItemStore, NewEntry, StoredEntry, StreamName } from './store/item-store.js';
export {
  MAX_SOURCE_LENGTH,
  STATE_NAMES,
  type StateName,
  type WriteCommand,
  type WriterInfo,
} from './protocol.js';
export { LineHostReader, type LineHostReaderOptions } from './reader.js';
export { LineHostMirror } from './mirror.js';
export type { LineHostMirrorOptions } from './mirror-options.js';
export type { MirrorWritableOptions } from './mirror-writable.js';
