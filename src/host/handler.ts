/**
 * The one place that knows the HTTP protocol of a host buffer (protocol.md section 4).
 * Framework adapters only translate their requests into a {@link HostRequest} and a
 * {@link HostResponse} back; every status, message and check lives here.
 */
import { BadRequestError, ClosedError, LimitError, SyncStreamError } from '../core/index.js';
import type { LineHostBuffer } from './host-buffer.js';
import { openApiDocument } from './openapi.js';
import {
  parseJsonBody,
  parseReadSize,
  parseStateCommand,
  parseStateName,
  parseWriteCommand,
} from './protocol.js';

/** A request body as an adapter has it: raw bytes, or a value a framework already parsed. */
export type HostBody = { kind: 'raw'; bytes: Uint8Array } | { kind: 'parsed'; value: unknown };

/** The routes of a host buffer. */
export type RouteName = 'items' | 'state' | 'openapi';

/** A request, in the adapters' common form. */
export interface HostRequest {
  method: string;
  /** Which of the buffer's routes it came in on. */
  route: RouteName;
  /** The path without the query, as the client sent it (for messages). */
  path: string;
  query: URLSearchParams;
  body?: HostBody;
  /** The request's `content-encoding` header, if any. */
  contentEncoding?: string | undefined;
}

/** An answer: always a JSON object with a `message`. */
export interface HostResponse {
  status: number;
  /** A JSON object: `{ message, ... }` for the protocol routes, the document for OpenAPI. */
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** The methods each route answers. */
const ALLOWED = {
  items: ['GET', 'POST', 'DELETE'],
  state: ['GET', 'POST', 'DELETE'],
  openapi: ['GET'],
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Answers the HTTP protocol of one host buffer. */
export class HostHandler {
  readonly #hbuf: LineHostBuffer;

  constructor(hbuf: LineHostBuffer) {
    this.#hbuf = hbuf;
  }

  /** Which route `path` is, if it is one of this buffer's. */
  route(path: string): RouteName | undefined {
    const { routes } = this.#hbuf;
    if (path === routes.items) return 'items';
    if (path === routes.state) return 'state';
    if (path === routes.openapi) return 'openapi';
    return undefined;
  }

  /** The answer to a path that is none of the buffer's routes. */
  notFound(path: string): HostResponse {
    return { status: 404, body: { message: `no route ${path}` } };
  }

  /** The answer to a body larger than `limit` (`bodyLimit`, or a limit the app set). */
  tooLarge(limit = this.#hbuf.options.bodyLimit): HostResponse {
    return {
      status: 413,
      body: { message: `the request body is larger than the limit of ${limit} bytes` },
    };
  }

  /** Answers one request; never throws. */
  async handle(request: HostRequest): Promise<HostResponse> {
    try {
      return await this.#dispatch(request);
    } catch (error) {
      return this.#failure(request, error);
    }
  }

  async #dispatch(request: HostRequest): Promise<HostResponse> {
    const encoded = encodedBody(request);
    if (encoded) return encoded;
    const { route } = request;
    // HEAD is answered as GET; the adapters' servers leave out the body.
    const asked = request.method.toUpperCase();
    const method = asked === 'HEAD' ? 'GET' : asked;
    if (!ALLOWED[route].includes(method)) return this.#notAllowed(route, method, request.path);
    if (route === 'openapi') return { status: 200, body: openApiDocument(this.#hbuf) };
    if (route === 'items') return this.#items(method, request);
    return this.#state(method, request);
  }

  async #items(method: string, request: HostRequest): Promise<HostResponse> {
    if (method === 'GET') {
      const data = await this.#hbuf.readSerialized(parseReadSize(request.query.get('n')));
      return ok(200, { data });
    }
    if (method === 'DELETE') {
      await this.#hbuf.clear();
      return ok(200);
    }
    const command = parseWriteCommand(bodyValue(request.body));
    const outcome = await this.#hbuf.applyWrite(command);
    return ok(201, {
      closed: outcome.closed,
      ...(outcome.duplicate ? { duplicate: true } : {}),
      ...(outcome.cut > 0 ? { cut: outcome.cut } : {}),
    });
  }

  async #state(method: string, request: HostRequest): Promise<HostResponse> {
    if (method === 'GET') {
      const data = await this.#hbuf.readState(parseStateName(request.query.get('state')));
      return ok(200, { data });
    }
    if (method === 'DELETE') {
      await this.#hbuf.resetStates();
      return ok(200);
    }
    const command = parseStateCommand(bodyValue(request.body));
    await this.#hbuf.setStopFlag(command.value);
    return ok(201);
  }

  #notAllowed(route: RouteName, method: string, path: string): HostResponse {
    const allowed = ALLOWED[route];
    return {
      status: 405,
      body: { message: `method ${method} is not allowed on ${path}; use ${allowed.join(', ')}` },
      headers: { allow: allowed.join(', ') },
    };
  }

  #failure(request: HostRequest, error: unknown): HostResponse {
    if (error instanceof BadRequestError) return { status: 400, body: { message: error.message } };
    if (error instanceof LimitError) return { status: 413, body: { message: error.message } };
    if (error instanceof ClosedError) return { status: 409, body: { message: error.message } };

    const { endpoint } = this.#hbuf.options;
    this.#hbuf.options.logger?.error(
      { endpoint, method: request.method, path: request.path, err: error },
      'request failed',
    );
    const reason =
      error instanceof SyncStreamError || error instanceof Error ? error.message : String(error);
    return { status: 500, body: { message: `the host failed to answer: ${reason}` } };
  }
}

function ok(status: number, extra: Record<string, unknown> = {}): HostResponse {
  return { status, body: { message: 'success', ...extra } };
}

function bodyValue(body: HostBody | undefined): unknown {
  if (body === undefined)
    throw new BadRequestError('the request has no body; a JSON object is expected');
  if (body.kind === 'parsed') return body.value;

  let text: string;
  try {
    text = utf8.decode(body.bytes);
  } catch {
    throw new BadRequestError('the body is not valid UTF-8');
  }
  return parseJsonBody(text);
}

/** A 415 for a raw body sent compressed: the host reads only plain JSON. */
function encodedBody(request: HostRequest): HostResponse | undefined {
  const encoding = request.contentEncoding?.trim().toLowerCase();
  if (!encoding || encoding === 'identity' || request.body?.kind !== 'raw') return undefined;
  return {
    status: 415,
    body: {
      message: `content-encoding "${request.contentEncoding}" is not supported; send the body uncompressed`,
    },
  };
}
