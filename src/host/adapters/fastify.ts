/**
 * Mounts a host buffer on a Fastify instance, inside an encapsulated plugin: its body
 * parser and error handler apply to the buffer's routes only, never to the instance's
 * other routes. Fastify itself is not imported; the instance is used through its API.
 */
import { HostHandler, type HostResponse, type RouteName } from '../handler.js';
import type { LineHostBuffer } from '../host-buffer.js';

/** The part of a Fastify request this adapter reads. */
interface FastifyRequestLike {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}

/** The part of a Fastify error this adapter reads. */
type FastifyErrorLike = Error & { statusCode?: number; code?: string };

/** The part of a Fastify reply this adapter uses. */
interface FastifyReplyLike {
  code(status: number): FastifyReplyLike;
  headers(values: Record<string, string>): FastifyReplyLike;
  send(payload: unknown): unknown;
}

type Done = (error: Error | null, body?: unknown) => void;

/** The part of a Fastify instance this adapter uses. */
export interface FastifyLike {
  /** The HTTP methods the instance can route (Fastify 5). */
  readonly supportedMethods?: readonly string[];
  register(plugin: (instance: FastifyLike) => Promise<void>): unknown;
  removeAllContentTypeParsers(): void;
  addContentTypeParser(
    type: string,
    options: { parseAs: 'buffer'; bodyLimit: number },
    parser: (req: unknown, body: Buffer, done: Done) => void,
  ): void;
  setErrorHandler(
    handler: (error: FastifyErrorLike, req: FastifyRequestLike, reply: FastifyReplyLike) => unknown,
  ): void;
  route(options: {
    method: string[];
    url: string;
    handler: (req: FastifyRequestLike, reply: FastifyReplyLike) => Promise<unknown>;
  }): unknown;
}

/** Whether `app` looks like a Fastify instance. */
export function isFastifyLike(app: unknown): app is FastifyLike {
  const a = app as Partial<FastifyLike> | null;
  return (
    typeof a === 'object' &&
    a !== null &&
    typeof a.register === 'function' &&
    typeof a.addContentTypeParser === 'function' &&
    typeof a.route === 'function'
  );
}

// Used when the instance does not list the methods it supports (Fastify before 5).
const METHODS = ['GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS'];

/** Adds the host buffer's routes to a Fastify instance. */
export function mountFastify(app: FastifyLike, hbuf: LineHostBuffer): void {
  const handler = new HostHandler(hbuf);
  app.register(async (instance) => {
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: hbuf.options.bodyLimit },
      (_req, body, done) => done(null, body),
    );
    instance.setErrorHandler((error, req, reply) => send(reply, failure(handler, error, req)));
    // Every method reaches the handler, which answers 405 with Allow; Fastify makes HEAD
    // from GET itself.
    const methods = (instance.supportedMethods ?? METHODS).filter((method) => method !== 'HEAD');
    for (const [route, url] of Object.entries(hbuf.routes) as [RouteName, string][]) {
      instance.route({
        method: methods,
        url,
        handler: (req, reply) => answer(handler, req, reply, route),
      });
    }
  });
}

/** The JSON answer to an error Fastify raised before the handler ran. */
function failure(
  handler: HostHandler,
  error: FastifyErrorLike,
  req: FastifyRequestLike,
): HostResponse {
  if (error.statusCode === 413) return handler.tooLarge();
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    const type = JSON.stringify(req.headers['content-type'] ?? '');
    return {
      status: 415,
      body: {
        message: `the content-type header ${type} is not a valid media type; send application/json`,
      },
    };
  }
  const status = error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 500;
  return { status, body: { message: error.message } };
}

async function answer(
  handler: HostHandler,
  req: FastifyRequestLike,
  reply: FastifyReplyLike,
  route: RouteName,
) {
  const url = new URL(req.url, 'http://host');
  const request = {
    method: req.method,
    route,
    path: url.pathname,
    query: url.searchParams,
    contentEncoding: req.headers['content-encoding'] as string | undefined,
  };
  const body =
    req.body instanceof Uint8Array ? { kind: 'raw' as const, bytes: req.body } : undefined;
  return send(reply, await handler.handle(body ? { ...request, body } : request));
}

function send(reply: FastifyReplyLike, response: HostResponse) {
  return reply
    .code(response.status)
    .headers({ ...response.headers, 'content-type': 'application/json; charset=utf-8' })
    .send(JSON.stringify(response.body));
}
