/**
 * The host's memory stays bounded whatever clients send: line length, partial-line
 * characters and the number of sources are capped, and a limit reached is answered or
 * logged, never silent.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import {
  LineHostBuffer,
  MemoryStore,
  type HostLogger,
  type LineHostBufferOptions,
  type NewEntry,
} from '../../src/host/index.js';
import { expectAnswer, OK, postOk, snapshot, str } from '../helpers/host-snapshot.js';
import { startServer, type TestServer } from '../helpers/servers.js';

/** Keeps every call, to check what was logged. */
class RecordingLogger implements HostLogger {
  readonly calls: { level: string; obj: object; msg: string }[] = [];
  info(obj: object, msg: string): void {
    this.calls.push({ level: 'info', obj, msg });
  }
  warn(obj: object, msg: string): void {
    this.calls.push({ level: 'warn', obj, msg });
  }
  error(obj: object, msg: string): void {
    this.calls.push({ level: 'error', obj, msg });
  }
}

/** A memory store that remembers the largest batch it was asked to append. */
class BatchSizeStore extends MemoryStore {
  largestAppend = 0;
  override async append(entries: readonly NewEntry[]): Promise<void> {
    this.largestAppend = Math.max(this.largestAppend, entries.length);
    return super.append(entries);
  }
}

const EVICTED =
  'too many sources: forgot the least recently active one and stored its partial line';
let server: TestServer | undefined;
afterEach(() => server?.close());

async function serve(
  options: LineHostBufferOptions,
): Promise<{ origin: string; hbuf: LineHostBuffer }> {
  const hbuf = new LineHostBuffer(options);
  server = await startServer('node', hbuf);
  return { origin: server.origin, hbuf };
}

const refused = (origin: string, body: unknown, message: string) =>
  expectAnswer(origin, { method: 'POST', path: '/sync-stream', json: body }, 413, { message });

describe('maxLineLength', () => {
  it('takes a line of exactly the limit and stores a longer one in pieces, counted', async () => {
    const logger = new RecordingLogger();
    const { origin, hbuf } = await serve({ maxlen: 10, maxLineLength: 10, logger });
    assert.deepEqual(await postOk(origin, str('0123456789\n')), OK);
    assert.deepEqual(await postOk(origin, str('0123456789A\nok\n0123456789ABCDEFGHIJK\n')), {
      ...OK,
      cut: 3,
    });
    assert.deepEqual(await snapshot(origin), {
      items: ['0123456789', '0123456789', 'A', 'ok', '0123456789', 'ABCDEFGHIJ', 'K'],
      curlen: 7,
      closed: false,
    });
    assert.equal(hbuf.cutLines, 3);
    assert.deepEqual(logger.calls, [
      {
        level: 'warn',
        obj: { endpoint: 'sync-stream', source: undefined, cut: 3, cutLines: 3, maxLineLength: 10 },
        msg: 'a line longer than maxLineLength was stored in pieces',
      },
    ]);
  });

  it('cuts a partial line built up over several writes once it passes the limit', async () => {
    const { origin, hbuf } = await serve({ maxlen: 5, maxLineLength: 10 });
    await postOk(origin, str('abcdef', { source: 'P' }));
    assert.deepEqual(await postOk(origin, str('ghijk', { source: 'P' })), { ...OK, cut: 1 });
    assert.deepEqual(await snapshot(origin), {
      items: ['abcdefghij', 'k'],
      curlen: 2,
      closed: false,
    });
    await postOk(origin, str('lm\nnext', { source: 'P' }));
    assert.deepEqual((await snapshot(origin)).items, ['abcdefghij', 'klm', 'next']);
    assert.equal(hbuf.cutLines, 1);
  });

  it('never cuts between the halves of a surrogate pair', async () => {
    const { origin } = await serve({ maxlen: 5, maxLineLength: 3 });
    await postOk(origin, str('ab😀cd\n'));
    assert.deepEqual((await snapshot(origin)).items, ['ab', '😀c', 'd']);
  });
});

describe('maxPartialChars', () => {
  const over = (n: number, who: string) =>
    `partial lines would hold ${n} characters, over maxPartialChars 12; the write of ${who} was refused`;

  it('caps the characters of all partial lines together', async () => {
    const { origin } = await serve({ maxlen: 5, maxPartialChars: 12 });
    await postOk(origin, str('aaaaaaaa', { source: 'A' }));
    await refused(origin, str('bbbbb', { source: 'B' }), over(13, 'source "B"'));
    await refused(origin, str('ccccc'), over(13, 'the shared writer'));
    await postOk(origin, str('bbbb', { source: 'B' }));
    assert.deepEqual(await snapshot(origin), {
      items: ['aaaaaaaa', 'bbbb'],
      curlen: 2,
      closed: false,
    });
  });

  it('frees the characters of a committed, closed or cleared partial line', async () => {
    const { origin } = await serve({ maxlen: 5, maxPartialChars: 12 });
    await postOk(origin, str('aaaaaaaa', { source: 'A' }));
    await postOk(origin, str('\n', { source: 'A' }));
    await postOk(origin, str('bbbbbbbbbbbb', { source: 'B' }));
    await postOk(origin, { type: 'close', source: 'B' });
    await postOk(origin, str('cccccccccccc'));
    await expectAnswer(origin, { method: 'DELETE', path: '/sync-stream' }, 200, {
      message: 'success',
    });
    await postOk(origin, str('dddddddddddd', { source: 'D' }));
    assert.deepEqual(await snapshot(origin), { items: ['dddddddddddd'], curlen: 1, closed: false });
  });
});

describe('maxSources', () => {
  it('stores the least recently active source partial line and logs a warning', async () => {
    const logger = new RecordingLogger();
    const { origin, hbuf } = await serve({ maxlen: 6, maxSources: 2, logger });
    await postOk(origin, str('a1-', { source: 'A' }));
    await postOk(origin, str('b1-', { source: 'B' }));
    await postOk(origin, str('a2-', { source: 'A' }));
    await postOk(origin, str('c1\n', { source: 'C' }));
    assert.deepEqual(await snapshot(origin), {
      items: ['b1-', 'c1', 'a1-a2-'],
      curlen: 3,
      closed: false,
    });
    assert.equal(hbuf.evictedSources, 1);
    assert.deepEqual(logger.calls, [
      { level: 'warn', obj: { endpoint: 'sync-stream', source: 'B', maxSources: 2 }, msg: EVICTED },
    ]);
  });

  it('counts an evicted partial line as gone when checking maxPartialChars', async () => {
    const { origin, hbuf } = await serve({ maxlen: 4, maxSources: 1, maxPartialChars: 10 });
    await postOk(origin, str('aaaaaaaa', { source: 'A' }));
    await postOk(origin, str('bbbbbbbb', { source: 'B' }));
    assert.deepEqual(await snapshot(origin), {
      items: ['aaaaaaaa', 'bbbbbbbb'],
      curlen: 2,
      closed: false,
    });
    assert.equal(hbuf.evictedSources, 1);
  });

  it('evicts no one for a close from a source it does not know', async () => {
    const { origin, hbuf } = await serve({ maxlen: 4, maxSources: 1 });
    await postOk(origin, str('part-A', { source: 'A' }));
    await postOk(origin, { type: 'close', source: 'B' });
    await postOk(origin, str('-more\n', { source: 'A' }));
    assert.deepEqual(await snapshot(origin), { items: ['part-A-more'], curlen: 1, closed: false });
    assert.equal(hbuf.evictedSources, 0);
  });

  it('remembers at most maxSources whatever number of sources write', async () => {
    const { origin, hbuf } = await serve({ maxlen: 1000, maxSources: 8 });
    for (let i = 0; i < 300; i += 1)
      await postOk(origin, str(`p${i}`, { source: `s${i}`, seq: 0 }));
    const items = Array.from({ length: 300 }, (_, i) => `p${i}`);
    assert.deepEqual(await snapshot(origin), { items, curlen: 300, closed: false });
    assert.equal(hbuf.evictedSources, 292);
    await postOk(origin, str('+\n', { source: 's299', seq: 1 }));
    await postOk(origin, str('+\n', { source: 's0', seq: 1 }));
    // s0 is new again, so s292, now the least recently active, is evicted.
    const after = [...items.slice(0, 292), 'p299+', 'p292', '+', ...items.slice(293, 299)];
    assert.deepEqual(await snapshot(origin), { items: after, curlen: 301, closed: false });
    assert.equal(hbuf.evictedSources, 293);
  });
});

describe('maxStoredChars', () => {
  it('drops the oldest items past it before maxlen, keeps the newest, and logs it', async () => {
    const logger = new RecordingLogger();
    const { origin, hbuf } = await serve({ maxlen: 100, maxStoredChars: 25, logger });
    await postOk(origin, str('0123456789\nabcdefghij\nKLMNOPQRST\nuvw\n'));
    assert.deepEqual(await snapshot(origin), {
      items: ['abcdefghij', 'KLMNOPQRST', 'uvw'],
      curlen: 3,
      closed: false,
    });
    assert.equal(hbuf.droppedForSize, 1);
    const warning =
      'stored items over maxStoredChars: dropped the oldest before maxlen was reached';
    assert.deepEqual(logger.calls, [
      {
        level: 'warn',
        obj: { endpoint: 'sync-stream', dropped: 1, droppedForSize: 1, maxStoredChars: 25 },
        msg: warning,
      },
    ]);
  });

  it('always keeps the newest item, even one longer than the limit', async () => {
    const { origin } = await serve({ maxlen: 10, maxStoredChars: 5 });
    await postOk(origin, str('short\nmuch longer line\n'));
    assert.deepEqual((await snapshot(origin)).items, ['much longer line']);
  });
});

describe('one large write', () => {
  it('stores the newest maxlen lines of two million and hands the store no more', async () => {
    const store = new BatchSizeStore({ maxlen: 3 });
    const { origin } = await serve({ store });
    await postOk(origin, str(`first\n${'\n'.repeat(2_000_000)}last`));
    assert.deepEqual(await snapshot(origin), { items: ['', '', 'last'], curlen: 3, closed: false });
    assert.equal(store.largestAppend, 3);
  });
});

/** A full garbage collection; the flag can be set at run time for a new context. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** `text` as a fresh string of its own, the way JSON.parse gives a request's text. */
const fresh = (text: string) => JSON.parse(JSON.stringify(text)) as string;

describe('memory', () => {
  it('stays within the bound docs/host-server.md gives, with every limit reached', async () => {
    const options = {
      maxlen: 200,
      maxLineLength: 65_536,
      maxPartialChars: 256 * 4096,
      maxSources: 256,
    };
    const hbuf = new LineHostBuffer(options);
    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 300; i += 1)
      await hbuf.applyWrite({ type: 'str', text: fresh(`${'ж'.repeat(65_536)}\n`) });
    for (let i = 0; i < 256; i += 1)
      await hbuf.applyWrite({ type: 'str', text: fresh('ж'.repeat(4096)), source: `s${i}` });
    collectGarbage();
    const grown = process.memoryUsage().heapUsed - before;
    const bound = 200 * (2 * 65_536 + 100) + 2 * 256 * 4096 + 256 * 400 + 2 ** 20;
    assert.equal(grown <= bound, true, `the heap grew by ${grown} bytes, over ${bound}`);
    assert.equal(await hbuf.length, 200);
  });

  it('is not held by the request bodies partial lines were cut from', async () => {
    const hbuf = new LineHostBuffer({ maxlen: 2 });
    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 40; i += 1) {
      // A 2 MB text per request and a 20-character partial line after its break.
      const text = fresh(`${'a'.repeat(2_000_000)}\ntail of source ${i}`);
      await hbuf.applyWrite({ type: 'str', text, source: `s${i}` });
    }
    await hbuf.applyWrite({ type: 'str', text: 'x\ny\n' });
    collectGarbage();
    const grownMb = (process.memoryUsage().heapUsed - before) / 1e6;
    // Holding the bodies would be 80 MB; the partial lines themselves are under 1 KB.
    assert.equal(grownMb < 20, true, `the heap grew by ${grownMb.toFixed(1)} MB`);
    assert.deepEqual(await hbuf.read(), ['tail of source 38', 'tail of source 39']);
  });
});
