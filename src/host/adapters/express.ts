/**
 * Mounts a host buffer on an Express app (or router). Only the buffer's routes are
 * added: no body parser, and an error handler that answers only requests to those
 * routes (a body parser the app runs first may fail on them). Express itself is not
 * imported; the app is used through its own methods.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HostHandler, type HostBody, type HostResponse, type RouteName } from '../handler.js';
import type { LineHostBuffer } from '../host-buffer.js';
import { readBody, sendResponse } from './node-http.js';

type Next = (error?: unknown) => void;
type ExpressHandler = (req: ExpressRequest, res: ServerResponse, next: Next) => void;
type ExpressErrorHandler = (
  error: unknown,
  req: ExpressRequest,
  res: ServerResponse,
  next: Next,
) => void;

/** The part of an Express request this adapter reads. */
interface ExpressRequest extends IncomingMessage {
  body?: unknown;
  /** The URL before any router stripped its mount path. */
  originalUrl?: string;
}

/** What a body parser (body-parser, as `express.json()` uses) puts on its errors. */
interface ParserError {
  status?: number;
  statusCode?: number;
  type?: string;
  limit?: number;
  message?: string;
}

/** The part of an Express app or router this adapter uses. */
export interface ExpressLike {
  // Any request handler: an app's takes IncomingMessage, a router's an Express Request.
  (...args: never[]): unknown;
  all(path: string, handler: ExpressHandler): unknown;
  use(path: string, handler: ExpressErrorHandler): unknown;
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
    // `use` also matches paths below `path`; those errors are left to the app.
    app.use(path, (error, req, res, next) => {
      const response = isExactRoute(req) ? parserFailure(handler, error) : undefined;
      if (response === undefined) return next(error);
      sendOrClose(req, res, response);
    });
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
    const url = new URL(req.originalUrl ?? req.url ?? '/', 'http://host');
    // A body the app's own parser read was already decoded by it.
    const contentEncoding = consumed(req) ? undefined : req.headers['content-encoding'];
    const body = await expressBody(req, hbuf.options.bodyLimit);
    if (body === 'too-large') return sendOrClose(req, res, handler.tooLarge());

    const request = {
      method: req.method ?? 'GET',
      route,
      path: url.pathname,
      query: url.searchParams,
      contentEncoding,
    };
    sendResponse(res, await handler.handle(body ? { ...request, body } : request));
  } catch (error) {
    if (!res.headersSent) res.destroy(error as Error);
  }
}

/** The body, read raw unless a parser the app installed has consumed it already. */
async function expressBody(
  req: ExpressRequest,
  limit: number,
): Promise<HostBody | 'too-large' | undefined> {
  if (req.method === 'GET' || req.method === 'HEAD') return undefined;
  if (consumed(req)) {
    const { body } = req;
    if (typeof body === 'string') return { kind: 'raw', bytes: Buffer.from(body) };
    if (body instanceof Uint8Array) return { kind: 'raw', bytes: body };
    return body === undefined ? undefined : { kind: 'parsed', value: body };
  }
  return (await readBody(req, limit)) ?? 'too-large';
}

/** Under `use(path)`, the request's own URL is `/` when it is exactly the route. */
function isExactRoute(req: IncomingMessage): boolean {
  return new URL(req.url ?? '/', 'http://host').pathname === '/';
}

/** The answer to an error of the app's body parser, or undefined for any other error. */
function parserFailure(handler: HostHandler, error: unknown): HostResponse | undefined {
  const e = (error ?? {}) as ParserError;
  const status = e.status ?? e.statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;

  if (e.type === 'entity.too.large' || status === 413) return handler.tooLarge(e.limit);
  const message =
    e.type === 'entity.parse.failed' ? `the body is not valid JSON: ${e.message}` : e.message;
  return { status, body: { message: message ?? `the request failed with status ${status}` } };
}

/** Answers, and for a 413 drops the connection rather than read the rest of the body. */
function sendOrClose(req: IncomingMessage, res: ServerResponse, response: HostResponse): void {
  const close = response.status === 413;
  sendResponse(res, response, close);
  if (close) res.on('finish', () => req.destroy());
}

/** Whether a body parser of the app has read the request already. */
function consumed(req: ExpressRequest): boolean {
  return req.readableEnded || (req as { _body?: boolean })._body === true;
}
