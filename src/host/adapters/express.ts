/**
 * Mounts a host buffer on an Express app (or router). Only the buffer's routes are
 * added: no body parser or error handler that would reach the app's other routes.
 * Express itself is not imported; the app is used through its own methods.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HostHandler, type HostBody, type RouteName } from '../handler.js';
import type { LineHostBuffer } from '../host-buffer.js';
import { readBody, sendResponse } from './node-http.js';

type ExpressHandler = (req: ExpressRequest, res: ServerResponse) => void;

/** The part of an Express request this adapter reads. */
interface ExpressRequest extends IncomingMessage {
  body?: unknown;
}

/** The part of an Express app or router this adapter uses. */
export interface ExpressLike {
  (req: IncomingMessage, res: ServerResponse, next?: unknown): void;
  all(path: string, handler: ExpressHandler): unknown;
  use: (...args: never[]) => unknown;
}

/** Whether `app` looks like an Express app or router. */
export function isExpressLike(app: unknown): app is ExpressLike {
  const a = app as Partial<ExpressLike> | null;
  return typeof app === 'function' && typeof a?.all === 'function' && typeof a.use === 'function';
}

/** Adds the host buffer's routes to an Express app. */
export function mountExpress(app: ExpressLike, hbuf: LineHostBuffer): void {
  const handler = new HostHandler(hbuf);
  for (const [route, path] of Object.entries(hbuf.routes) as [RouteName, string][]) {
    app.all(path, (req, res) => void answer(handler, hbuf, req, res, route));
  }
}

async function answer(
  handler: HostHandler,
  hbuf: LineHostBuffer,
  req: ExpressRequest,
  res: ServerResponse,
  route: RouteName,
): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://host');
    const body = await expressBody(req, hbuf.options.bodyLimit);
    if (body === 'too-large') {
      sendResponse(res, handler.tooLarge(), true);
      res.on('finish', () => req.destroy());
      return;
    }
    const request = { method: req.method ?? 'GET', route, path: url.pathname, query: url.searchParams };
    sendResponse(res, await handler.handle(body ? { ...request, body } : request));
  } catch (error) {
    if (!res.headersSent) res.destroy(error as Error);
  }
}

/** The body, read raw unless a parser the app installed has consumed it already. */
async function expressBody(req: ExpressRequest, limit: number): Promise<HostBody | 'too-large' | undefined> {
  if (req.method === 'GET' || req.method === 'HEAD') return undefined;
  if (req.readableEnded || (req as { _body?: boolean })._body === true) {
    const { body } = req;
    if (typeof body === 'string') return { kind: 'raw', bytes: Buffer.from(body) };
    if (body instanceof Uint8Array) return { kind: 'raw', bytes: body };
    return body === undefined ? undefined : { kind: 'parsed', value: body };
  }
  return (await readBody(req, limit)) ?? 'too-large';
}
