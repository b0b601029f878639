import { isExpressLike, mountExpress, type ExpressLike } from './adapters/express.js';
import { isFastifyLike, mountFastify, type FastifyLike } from './adapters/fastify.js';
import type { LineHostBuffer } from './host-buffer.js';

/** An app a host buffer can be mounted on. */
export type MountTarget = ExpressLike | FastifyLike;

/** Adds the host buffer's routes to an Express app or a Fastify instance. */
export function mount(app: MountTarget, hbuf: LineHostBuffer): void {
  if (isFastifyLike(app)) return mountFastify(app, hbuf);
  if (isExpressLike(app)) return mountExpress(app, hbuf);
  throw new TypeError(
    'serve() takes an Express app (or router) or a Fastify instance; for a server of ' +
      'its own use listen() from syncstream/host',
  );
}
