/**
 * The small JSON client that host-mode clients (the reader, the mirror) share: one
 * keep-alive connection pool per host, JSON in and out, and failures turned into
 * syncstream errors that name the request.
 */
import { Pool } from 'undici';

import { ClosedError, HttpStatusError, RequestFailedError } from '../core/index.js';

/** Options of {@link JsonClient}. */
export interface JsonClientOptions {
  /**
   * How long, in milliseconds, one request may take from sending it to the whole answer
   * (connecting included); past it the request fails with a `RequestFailedError`.
   * @default 10000
   */
  timeout?: number;
  /**
   * The largest answer body, in bytes; a larger one fails the request rather than
   * filling memory.
   * @default 268435456 (256 MiB)
   */
  maxResponseBytes?: number;
  /**
   * How many connections to the host may be open at once; further requests wait for
   * one. A reader or a mirror sends one request at a time, so one is enough.
   * @default 1
   */
  connections?: number;
}

/** A successful (2xx) answer. */
export interface JsonResponse {
  /** The HTTP status, 200 to 299. */
  status: number;
  /** The answer's JSON object. */
  body: Record<string, unknown>;
}

/** The methods a host buffer answers. */
export type JsonMethod = 'GET' | 'POST' | 'DELETE';

/** Where a host buffer is, from its items URL. */
export interface HostAddress {
  /** The items URL, normalised (no trailing slash), e.g. `http://127.0.0.1:5000/sync-stream`. */
  url: string;
  /** `http://127.0.0.1:5000` */
  origin: string;
  /** The items route, e.g. `/sync-stream`. */
  itemsPath: string;
  /** The states route: the items route with `-state` appended. */
  statePath: string;
}

const CLIENT_DEFAULTS = {
  timeout: 10_000,
  maxResponseBytes: 256 * 1024 * 1024,
  connections: 1,
} as const;

/** Error codes of undici's own timeouts, which the request's deadline mostly beats. */
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** Error codes of a kept-alive socket the host closed just as it was reused. */
const STALE_SOCKET_CODES = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

/**
 * Checks and splits the items URL of a host buffer (`http://host:port/sync-stream`).
 * A `TypeError` says what is wrong with it.
 */
export function parseHostAddress(address: string | URL): HostAddress {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new TypeError(
      `address must be the host buffer's URL, such as http://127.0.0.1:5000/sync-stream, ` +
        `got ${JSON.stringify(String(address))}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`address must be an http:// or https:// URL, got ${url.href}`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new TypeError(`address must have no query or fragment, got ${url.href}`);
  }
  const itemsPath = url.pathname.replace(/\/+$/, '');
  if (itemsPath === '') {
    throw new TypeError(
      `address ${url.href} has no route; give the items URL, such as ${url.origin}/sync-stream`,
    );
  }
  const statePath = `${itemsPath}-state`;
  return { url: url.origin + itemsPath, origin: url.origin, itemsPath, statePath };
}

/**
 * JSON requests to one host over a keep-alive pool.
 *
 * A 2xx answer resolves with its JSON object. A 4xx/5xx answer rejects with an
 * `HttpStatusError` whose message is the host's `message`. A request that gets no
 * (usable) answer rejects with a `RequestFailedError` naming the method and URL, with the
 * underlying error as `cause`. GET and DELETE are retried once when a kept-alive socket
 * turns out to be closed; a POST never is, since it may already have been applied.
 */
export class JsonClient implements AsyncDisposable {
  /** The origin requests go to, e.g. `http://127.0.0.1:5000`. */
  readonly origin: string;
  readonly #timeout: number;
  readonly #maxResponseBytes: number;
  readonly #pool: Pool;
  #closed = false;

  /** @param origin - any URL of the host; only its origin is used. */
  constructor(origin: string | URL, options: JsonClientOptions = {}) {
    const resolved = resolveClientOptions(options);
    this.origin = new URL(origin).origin;
    this.#timeout = resolved.timeout;
    this.#maxResponseBytes = resolved.maxResponseBytes;
    this.#pool = new Pool(this.origin, {
      connections: resolved.connections,
      connect: { timeout: resolved.timeout },
      headersTimeout: resolved.timeout,
      bodyTimeout: resolved.timeout,
      maxResponseSize: resolved.maxResponseBytes,
    });
  }

  /**
   * Sends one request. `body`, when given, is sent as JSON.
   *
   * @param pathAndQuery - e.g. `/sync-stream?n=3`
   */
  async request(method: JsonMethod, pathAndQuery: string, body?: unknown): Promise<JsonResponse> {
    if (this.#closed) {
      throw new ClosedError(`${method} ${this.origin}${pathAndQuery}: the client is closed`);
    }
    try {
      return await this.#send(method, pathAndQuery, body);
    } catch (error) {
      if (method === 'POST' || !isStaleSocket(error)) throw error;
      return this.#send(method, pathAndQuery, body);
    }
  }

  /** Waits for requests in flight, then closes every connection. Only the first call acts. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.close();
  }

  /** Same as {@link close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #send(method: JsonMethod, pathAndQuery: string, body: unknown): Promise<JsonResponse> {
    const target = `${method} ${this.origin}${pathAndQuery}`;
    let status: number;
    let text: string;
    try {
      const res = await this.#pool.request({
        method,
        path: pathAndQuery,
        headers: headersFor(body),
        signal: AbortSignal.timeout(this.#timeout),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      status = res.statusCode;
      text = await res.body.text();
    } catch (error) {
      throw new RequestFailedError(`${target} failed: ${this.#reason(error)}`, { cause: error });
    }
    return answerOf(target, status, text);
  }

  #reason(error: unknown): string {
    const name = (error as { name?: unknown } | null)?.name;
    const code = (error as { code?: unknown } | null)?.code;
    if (name === 'TimeoutError' || TIMEOUT_CODES.has(String(code))) {
      return `no answer within ${this.#timeout} ms`;
    }
    if (code === 'UND_ERR_CONNECT_TIMEOUT') return `could not connect within ${this.#timeout} ms`;
    if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
      return `the answer is larger than maxResponseBytes (${this.#maxResponseBytes} bytes)`;
    }
    return messageOf(error);
  }
}

/** Checks the options and applies the defaults. */
function resolveClientOptions(options: JsonClientOptions): Required<JsonClientOptions> {
  const timeout = options.timeout ?? CLIENT_DEFAULTS.timeout;
  const maxResponseBytes = options.maxResponseBytes ?? CLIENT_DEFAULTS.maxResponseBytes;
  const connections = options.connections ?? CLIENT_DEFAULTS.connections;
  for (const [option, value] of Object.entries({ timeout, maxResponseBytes, connections })) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`${option} must be a positive integer, got ${JSON.stringify(value)}`);
    }
  }
  return { timeout, maxResponseBytes, connections };
}

function headersFor(body: unknown): Record<string, string> {
  if (body === undefined) return { accept: 'application/json' };
  return { accept: 'application/json', 'content-type': 'application/json' };
}

/** The JSON object of an answer, or the error it stands for. */
function answerOf(target: string, status: number, text: string): JsonResponse {
  const parsed = parseObject(text);
  if (status >= 400) {
    const message = typeof parsed?.message === 'string' ? parsed.message : undefined;
    throw new HttpStatusError(status, message ?? `${target} answered ${status} (${snippet(text)})`);
  }
  if (parsed === undefined) {
    throw new RequestFailedError(
      `${target} failed: the answer (${status}) is not a JSON object (${snippet(text)}); ` +
        'is this the URL of a syncstream host buffer?',
    );
  }
  return { status, body: parsed };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // Not JSON: the caller says so.
  }
  return undefined;
}

/** The start of a body, on one line, for a message. */
function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return 'an empty body';
  return JSON.stringify(flat.length > 80 ? `${flat.slice(0, 80)}...` : flat);
}

function isStaleSocket(error: unknown): boolean {
  if (!(error instanceof RequestFailedError)) return false;
  const code = (error.cause as { code?: unknown } | null)?.code;
  return typeof code === 'string' && STALE_SOCKET_CODES.has(code);
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map(messageOf).join('; ');
  }
  return error instanceof Error ? error.message : String(error);
}
