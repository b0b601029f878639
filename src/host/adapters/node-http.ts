/**
 * The plain `node:http` adapter: a request listener for an existing server, and
 * `listen` to run a host buffer as a server of its own (what `syncstream serve` does).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkOptionNames } from '../../core/index.js';
import { HostHandler, type HostBody, type HostResponse, type RouteName } from '../handler.js';
import type { LineHostBuffer } from '../host-buffer.js';

/** Reads a request body up to `limit` bytes; `undefined` when it is larger. */
export async function readBody(req: IncomingMessage, limit: number): Promise<HostBody | undefined> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return undefined;

  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return { kind: 'raw', bytes: Buffer.concat(chunks, size) };
}

/** Writes a {@link HostResponse} as JSON. */
export function sendResponse(res: ServerResponse, response: HostResponse, close = false): void {
  const payload = JSON.stringify(response.body);
  res.writeHead(response.status, {
    ...response.headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(payload);
}

/**
 * A listener that answers the host buffer's routes and passes other requests to `next`
 * (or answers them 404 with a JSON message when there is none).
 */
export function createRequestListener(
  hbuf: LineHostBuffer,
  next?: (req: IncomingMessage, res: ServerResponse) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  const handler = new HostHandler(hbuf);
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://host');
    const route = handler.route(url.pathname);
    if (route !== undefined) return void answer(handler, hbuf, req, res, url, route);
    if (next) return next(req, res);
    sendResponse(res, handler.notFound(url.pathname));
  };
}

async function answer(
  handler: HostHandler,
  hbuf: LineHostBuffer,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  route: RouteName,
): Promise<void> {
  try {
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const body = hasBody ? await readBody(req, hbuf.options.bodyLimit) : undefined;
    if (hasBody && body === undefined) {
      // Stop reading a body that is over the limit; the connection cannot be reused.
      sendResponse(res, handler.tooLarge(), true);
      res.on('finish', () => req.destroy());
      return;
    }
    const request = {
      method: req.method ?? 'GET',
      route,
      path: url.pathname,
      query: url.searchParams,
      contentEncoding: req.headers['content-encoding'],
    };
    sendResponse(res, await handler.handle(body ? { ...request, body } : request));
  } catch (error) {
    // The client went away mid-body; there is no one to answer.
    if (!res.headersSent) res.destroy(error as Error);
  }
}

/** Options of {@link listen}. */
export interface ListenOptions {
  /**
   * The TCP port; 0 picks a free one.
   * @default 5000
   */
  port?: number;
  /**
   * The address to bind. Only this machine can connect unless told otherwise.
   * @default '127.0.0.1'
   */
  host?: string;
  /** Closes the server when aborted. */
  signal?: AbortSignal;
}

/** A running host server. */
export interface HostServer extends AsyncDisposable {
  readonly server: Server;
  /** The items route's full URL, e.g. `http://127.0.0.1:5000/sync-stream`. */
  readonly url: string;
  readonly port: number;
  /** Stops taking connections, ends idle ones, and resolves once closed. */
  close(): Promise<void>;
}

/** Serves a host buffer on a server of its own. */
export async function listen(
  hbuf: LineHostBuffer,
  options: ListenOptions = {},
): Promise<HostServer> {
  checkOptionNames(options, ['port', 'host', 'signal'], 'listen');
  const port = options.port ?? 5000;
  const host = options.host ?? '127.0.0.1';
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`port must be an integer from 0 to 65535, got ${JSON.stringify(port)}`);
  }
  const listener = createRequestListener(hbuf);
  const unanswered = new Set<ServerResponse>();
  let closing = false;
  const server = createServer({ keepAliveTimeout: 5000 }, (req, res) => {
    if (closing) res.setHeader('connection', 'close');
    unanswered.add(res);
    res.on('close', () => unanswered.delete(res));
    res.on('finish', () => {
      unanswered.delete(res);
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
    listener(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const close = () =>
    new Promise<void>((resolve) => {
      closing = true;
      // A connection busy with a request is ended after its answer, instead of being
      // kept alive until its timeout.
      for (const res of unanswered) if (!res.headersSent) res.setHeader('connection', 'close');
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  options.signal?.addEventListener('abort', () => void close(), { once: true });
  return {
    server,
    url: `http://${shownHost}:${address.port}${hbuf.routes.items}`,
    port: address.port,
    close,
    [Symbol.asyncDispose]: close,
  };
}
