/**
 * Items live behind the ItemStore interface: a store passed in is the one used, a
 * store shared by two hosts shares items and the stop flag, and a store that fails
 * leaves nothing half-applied.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';

import {
  LineHostBuffer,
  MemoryStore,
  type HostLogger,
  type ItemStore,
  type NewEntry,
  type StoredEntry,
} from '../../src/host/index.js';
import { expectAnswer, postOk, snapshot, str } from '../helpers/host-snapshot.js';
import { startServer, type TestServer } from '../helpers/servers.js';

/** A store of its own (not the memory one), which can be told to fail its appends. */
class ArrayStore implements ItemStore {
  readonly maxlen: number;
  readonly entries: StoredEntry[] = [];
  failAppends = false;
  #stopFlag = false;

  constructor(maxlen: number) {
    this.maxlen = maxlen;
  }

  async append(entries: readonly NewEntry[]): Promise<void> {
    if (this.failAppends) throw new Error('disk full');
    for (const entry of entries) this.entries.push({ ...entry, id: this.entries.length + 1 });
  }

  async read(n: number): Promise<StoredEntry[]> {
    return n <= 0 ? [] : this.entries.slice(-n).slice(-this.maxlen);
  }

  async length(): Promise<number> {
    return Math.min(this.entries.length, this.maxlen);
  }

  async clear(): Promise<void> {
    this.entries.length = 0;
  }

  async readStopFlag(): Promise<boolean> {
    return this.#stopFlag;
  }

  async writeStopFlag(value: boolean): Promise<void> {
    this.#stopFlag = value;
  }

  async close(): Promise<void> {}
}

/** Keeps what was logged at error level. */
class ErrorLog implements HostLogger {
  readonly errors: { obj: Record<string, unknown>; msg: string }[] = [];
  info(): void {}
  warn(): void {}
  error(obj: object, msg: string): void {
    this.errors.push({ obj: obj as Record<string, unknown>, msg });
  }
}

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(hbuf: LineHostBuffer): Promise<string> {
  const server = await startServer('node', hbuf);
  servers.push(server);
  return server.origin;
}

/** The stored entries without their receive time, which is checked on its own. */
function withoutTime(entries: StoredEntry[], since: number): Omit<StoredEntry, 'time'>[] {
  return entries.map(({ time, ...rest }) => {
    assert.equal(time >= since && time <= Date.now(), true, `time ${time}`);
    return rest;
  });
}

describe('a store passed in options', () => {
  it('receives every item with its source and stream, and answers reads', async () => {
    const store = new ArrayStore(4);
    const origin = await serve(new LineHostBuffer({ store }));
    const since = Date.now();
    await postOk(origin, str('out\npart', { source: 'A', stream: 'stdout' }));
    await postOk(origin, {
      type: 'error',
      source: 'A',
      data: { '/is_syncsdata': true, '/type': 'GroupedMessage', type: 'error', data: ['E'] },
    });
    await postOk(origin, str('bare\n'));
    assert.deepEqual(
      withoutTime(store.entries, since).map(({ item, ...rest }) => ({
        item: String(item),
        ...rest,
      })),
      [
        { id: 1, item: 'out', source: 'A', stream: 'stdout' },
        { id: 2, item: 'part', source: 'A', stream: 'stdout' },
        { id: 3, item: 'E', source: 'A', stream: undefined },
        { id: 4, item: 'bare', source: undefined, stream: undefined },
      ],
    );
    assert.deepEqual((await snapshot(origin)).curlen, 4);
  });

  it('shares items and the stop flag between two hosts that use it', async () => {
    const store = new MemoryStore({ maxlen: 5 });
    const first = await serve(new LineHostBuffer({ store }));
    const second = await serve(new LineHostBuffer({ store, apiRoute: '/other' }));
    await postOk(first, str('via first\n'));
    await postOk(second, str('via second\n'), '/other');
    await postOk(first, { state: 'closed', value: true }, '/sync-stream-state');
    const both = { items: ['via first', 'via second'], curlen: 2, closed: true };
    assert.deepEqual([await snapshot(first), await snapshot(second, '/other')], [both, both]);
  });
});

describe('a store that fails', () => {
  it('answers 500 JSON, logs the error, and leaves the partial line as it was', async () => {
    const store = new ArrayStore(4);
    const logger = new ErrorLog();
    const origin = await serve(new LineHostBuffer({ store, logger }));
    await postOk(origin, str('kept\nhalf-', { source: 'A', seq: 0 }));
    store.failAppends = true;
    const failed = { message: 'the host failed to answer: disk full' };
    const spec = {
      method: 'POST',
      path: '/sync-stream',
      json: str('done\nnext-', { source: 'A', seq: 1 }),
    };
    await expectAnswer(origin, spec, 500, failed);
    await expectAnswer(
      origin,
      { method: 'POST', path: '/sync-stream', json: { type: 'close', source: 'A' } },
      500,
      failed,
    );
    assert.deepEqual(await snapshot(origin), {
      items: ['kept', 'half-'],
      curlen: 2,
      closed: false,
    });
    assert.deepEqual(
      logger.errors.map(({ obj, msg }) => [
        obj.endpoint,
        obj.method,
        obj.path,
        (obj.err as Error).message,
        msg,
      ]),
      [
        ['sync-stream', 'POST', '/sync-stream', 'disk full', 'request failed'],
        ['sync-stream', 'POST', '/sync-stream', 'disk full', 'request failed'],
      ],
    );

    store.failAppends = false;
    await postOk(origin, str('done\nnext-', { source: 'A', seq: 1 }));
    assert.deepEqual((await snapshot(origin)).items, ['kept', 'half-done', 'next-']);
  });

  it('leaves the buffer open with its partial lines when close() fails', async () => {
    const store = new ArrayStore(4);
    const hbuf = new LineHostBuffer({ store });
    const origin = await serve(hbuf);
    await postOk(origin, str('open', { source: 'A' }));
    store.failAppends = true;
    await assert.rejects(hbuf.close(), { message: 'disk full' });
    assert.equal(hbuf.closed, false);
    store.failAppends = false;
    await postOk(origin, str('-still\n', { source: 'A' }));
    await hbuf.close();
    assert.deepEqual([hbuf.closed, (await snapshot(origin)).items], [true, ['open-still']]);
  });
});

describe('MemoryStore', () => {
  it('keeps the newest maxlen entries with ids never reused, also across clear', async () => {
    const store = new MemoryStore({ maxlen: 2 });
    const entry = (item: string): NewEntry => ({ item, time: 1 });
    // Every stored entry has one shape: absent fields are there, undefined.
    const none = { source: undefined, stream: undefined };
    await store.append([entry('a'), entry('b'), entry('c')]);
    assert.deepEqual(
      [await store.read(5), await store.length()],
      [
        [
          { item: 'b', time: 1, id: 2, ...none },
          { item: 'c', time: 1, id: 3, ...none },
        ],
        2,
      ],
    );
    await store.clear();
    await store.append([entry('d')]);
    assert.deepEqual(
      [await store.read(1), await store.read(0), store.maxlen],
      [[{ item: 'd', time: 1, id: 4, ...none }], [], 2],
    );
  });
});
