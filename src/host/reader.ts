/**
 * The reader of a remote host buffer (protocol.md section 6): its items, its states and
 * the stop flag, over one keep-alive connection pool.
 */
import {
  RequestFailedError,
  checkReadSize,
  deserializeItem,
  type Item,
  type SerializedItem,
  checkOptionNames,
} from '../core/index.js';
import { JsonClient, parseHostAddress, type HostAddress, type JsonMethod } from './http-client.js';
import type { StateName } from './protocol.js';

/** Options of {@link LineHostReader}. */
export interface LineHostReaderOptions {
  /**
   * How long, in milliseconds, one request may take (connecting included) before it
   * fails with a `RequestFailedError`.
   * @default 10000
   */
  timeout?: number;
}

/**
 * Reads a host buffer served elsewhere, and sets or clears its stop flag.
 *
 * A request that the host answers with a 4xx/5xx rejects with an `HttpStatusError`
 * carrying the host's message; one that gets no answer rejects with a
 * `RequestFailedError`. Close the reader (or `await using` it) to close its connections.
 *
 * @example
 * await using reader = new LineHostReader('http://127.0.0.1:5000/sync-stream');
 * console.log(await reader.read(10), await reader.length);
 */
export class LineHostReader implements AsyncDisposable {
  /** The items URL, e.g. `http://127.0.0.1:5000/sync-stream`. */
  readonly address: string;
  readonly #routes: HostAddress;
  readonly #client: JsonClient;

  /**
   * @param address - the host buffer's items URL; its states are at this URL with
   *   `-state` appended.
   */
  constructor(address: string | URL, options: LineHostReaderOptions = {}) {
    checkOptionNames(options, ['timeout'], 'LineHostReader');
    this.#routes = parseHostAddress(address);
    this.address = this.#routes.url;
    this.#client = new JsonClient(this.#routes.origin, { timeout: options.timeout });
  }

  /** The newest `n` items (all when omitted; none when `n <= 0`), oldest first. */
  async read(n?: number): Promise<Item[]> {
    const items = await this.readSerialized(n);
    try {
      return items.map(deserializeItem);
    } catch (error) {
      const what = 'an item is neither a string nor a record';
      throw this.#badAnswer('GET', this.#routes.itemsPath, what, error);
    }
  }

  /** As {@link read}, in the JSON wire form. */
  async readSerialized(n?: number): Promise<SerializedItem[]> {
    const size = checkReadSize(n);
    const { itemsPath } = this.#routes;
    const path = size === undefined ? itemsPath : `${itemsPath}?n=${size}`;
    const { data } = await this.#data('GET', path);
    if (!Array.isArray(data)) throw this.#badAnswer('GET', path, '"data" is not an array');
    return data as SerializedItem[];
  }

  /** How many entries {@link read} would return (the host's `curlen`). */
  get length(): Promise<number> {
    return this.readState('curlen') as Promise<number>;
  }

  /**
   * How many items the host keeps; `null` from a host that does not know it (the Python
   * reference after a states reset).
   */
  get maxlen(): Promise<number | null> {
    return this.readState('maxlen') as Promise<number | null>;
  }

  /** The host's stop flag: whether mirrors were told to stop. */
  get closed(): Promise<boolean> {
    return this.readState('closed') as Promise<boolean>;
  }

  /** One state as the host answers it, checked for its type. */
  async readState(name: StateName): Promise<boolean | number | null> {
    const path = `${this.#routes.statePath}?state=${name}`;
    const { data } = await this.#data('GET', path);
    if (!stateFits(name, data)) {
      throw this.#badAnswer('GET', path, `state ${name} is ${JSON.stringify(data)}`);
    }
    return data;
  }

  /** Removes every item and partial line on the host; `true` when it answered success. */
  async clear(): Promise<boolean> {
    return isSuccess(await this.#data('DELETE', this.#routes.itemsPath));
  }

  /** Clears the stop flag so the buffer can be reused; `true` when the host answered success. */
  async resetStates(): Promise<boolean> {
    return isSuccess(await this.#data('DELETE', this.#routes.statePath));
  }

  /** Sets the stop flag, telling every mirror to stop; `true` when the host answered success. */
  async stopAllMirrors(): Promise<boolean> {
    const body = { state: 'closed', value: true };
    return isSuccess(await this.#data('POST', this.#routes.statePath, body));
  }

  /** Waits for requests in flight, then closes the connections. */
  close(): Promise<void> {
    return this.#client.close();
  }

  /** Same as {@link close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #data(method: JsonMethod, path: string, body?: unknown): Promise<Record<string, unknown>> {
    return (await this.#client.request(method, path, body)).body;
  }

  #badAnswer(method: JsonMethod, path: string, what: string, cause?: unknown): RequestFailedError {
    const message = `${method} ${this.#routes.origin}${path} failed: unexpected answer: ${what}`;
    return new RequestFailedError(message, cause === undefined ? undefined : { cause });
  }
}

function isSuccess(body: Record<string, unknown>): boolean {
  return body.message === 'success';
}

function stateFits(name: StateName, value: unknown): value is boolean | number | null {
  if (name === 'closed') return typeof value === 'boolean';
  if (name === 'maxlen' && value === null) return true;
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
