import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterEach, describe, it } from 'node:test';

import { ClosedError, DeliveryError, GroupedMessage } from '../../src/index.js';
import { LineHostBuffer, LineHostMirror, listen, type HostServer } from '../../src/host/index.js';

let server: HostServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(options: ConstructorParameters<typeof LineHostBuffer>[0] = { maxlen: 100 }) {
  const hbuf = new LineHostBuffer(options);
  server = await listen(hbuf, { port: 0 });
  const posts: unknown[] = [];
  server.server.prependListener('request', (req) => {
    if (req.method === 'POST') posts.push(req.url);
  });
  return { hbuf, url: server.url, posts };
}

describe('LineHostMirror', () => {
  it('sends completed lines and keeps the partial line until close', async () => {
    const { hbuf, url } = await serve();
    const mirror = new LineHostMirror(url);
    mirror.write('one\ntw');
    mirror.write('o\nthr');
    await mirror.flush();
    assert.deepEqual(await hbuf.read(), ['one', 'two']);
    assert.equal(mirror.read(), 'thr');

    mirror.write('ee');
    await mirror.close();
    assert.deepEqual(await hbuf.read(), ['one', 'two', 'three']);
    assert.equal(mirror.closed, true);
    assert.throws(() => mirror.write('late\n'), ClosedError);
  });

  it('forwards partial lines at once in aggressive mode', async () => {
    const { hbuf, url } = await serve();
    const mirror = new LineHostMirror(url, { aggressive: true });
    mirror.write('part');
    await mirror.flush();
    assert.deepEqual(await hbuf.read(), ['part']);
    assert.equal(await hbuf.length, 1);
    await mirror.close();
    assert.deepEqual(await hbuf.read(), ['part']);
  });

  it('treats a CRLF pair split across writes as one break', async () => {
    const { hbuf, url } = await serve();
    const mirror = new LineHostMirror(url);
    mirror.write('a\r');
    await mirror.flush();
    mirror.write('\nb\n');
    await mirror.close();
    assert.deepEqual(await hbuf.read(), ['a', 'b']);
  });

  it('batches a burst of writes into one request', async () => {
    const { hbuf, url, posts } = await serve({ maxlen: 2000 });
    const mirror = new LineHostMirror(url);
    for (let i = 0; i < 1000; i += 1) mirror.write(`line ${i}\n`);
    await mirror.flush();
    assert.equal(posts.length, 1);
    assert.equal(await hbuf.length, 1000);
    await mirror.close();
    assert.equal(posts.length, 2);
  });

  it('delivers a 1 MiB line whole, in pieces under its source', async () => {
    const { hbuf, url, posts } = await serve({ maxlen: 5 });
    const big = 'é'.repeat(1024 * 1024);
    const mirror = new LineHostMirror(url, { maxBatchChars: 100_000 });
    mirror.write(`${big}\nafter\n`);
    await mirror.close();
    assert.deepEqual(await hbuf.read(), [big, 'after']);
    assert.equal(posts.length, 12);
  });

  it('learns that the host cut a line longer than its maxLineLength', async () => {
    const { hbuf, url } = await serve({ maxlen: 5, maxLineLength: 1000 });
    const mirror = new LineHostMirror(url, { maxBatchChars: 300 });
    mirror.write(`${'y'.repeat(2500)}\nafter\n`);
    await mirror.close();
    assert.deepEqual(
      (await hbuf.read()).map((item) => String(item).length),
      [1000, 1000, 500, 5],
    );
    assert.equal(mirror.cutLines, 2);
    assert.equal(mirror.undelivered, 0);
  });

  it('sends errors and warnings as records after the partial line', async () => {
    const { hbuf, url } = await serve();
    const mirror = new LineHostMirror(url);
    mirror.write('before');
    const error = new Error('outer', { cause: new TypeError('inner') });
    mirror.sendError(error);
    mirror.sendWarning(new GroupedMessage(['careful', 'now'], 'str'));
    await mirror.close();

    const [first, record, warning] = await hbuf.read();
    assert.equal(first, 'before');
    assert.ok(record instanceof GroupedMessage);
    assert.equal(record.type, 'error');
    assert.equal(record.data[0], 'Error: outer');
    assert.equal(record.data.filter((l) => l === 'Caused by: TypeError: inner').length, 1);
    assert.deepEqual(warning, new GroupedMessage(['careful', 'now'], 'warning'));
  });

  it('keeps the partial lines of two sources apart', async () => {
    const { hbuf, url } = await serve();
    const a = new LineHostMirror(url, { source: 'A', aggressive: true });
    const b = new LineHostMirror(url, { source: 'B', aggressive: true });
    a.write('from-A-');
    await a.flush();
    b.write('from-B\n');
    await b.flush();
    a.write('end\n');
    await Promise.all([a.close(), b.close()]);
    assert.deepEqual(await hbuf.read(), ['from-B', 'from-A-end']);
  });

  it('captures stdout and stderr for a scope and sends a throw as an error record', async () => {
    const { hbuf, url } = await serve();
    const mirror = new LineHostMirror(url);
    const realWrite = process.stdout.write;
    await assert.rejects(
      mirror.capture(() => {
        console.log('to the host');
        process.stderr.write('err line\n');
        throw new RangeError('scope failed');
      }),
      RangeError,
    );
    assert.equal(process.stdout.write, realWrite);
    await mirror.close();

    const items = await hbuf.read();
    assert.deepEqual(items.slice(0, 2), ['to the host', 'err line']);
    assert.equal((items[2] as GroupedMessage).data[0], 'RangeError: scope failed');
  });

  it('takes piped bytes, a character split across chunks arriving whole', async () => {
    const { hbuf, url } = await serve();
    const mirror = new LineHostMirror(url);
    const bytes = Buffer.from('snake 🐍 ok\nno break', 'utf8');
    const chunks = [bytes.subarray(0, 8), bytes.subarray(8, 10), bytes.subarray(10)];
    await pipeline(Readable.from(chunks), mirror.writable('stderr'));
    await mirror.close();
    assert.deepEqual(await hbuf.read(), ['snake 🐍 ok', 'no break']);
  });

  it('rejects close with the count of lines a dead host did not get', async () => {
    const { url } = await serve();
    await server!.close();
    server = undefined;
    const mirror = new LineHostMirror(url, { retries: 1 });
    mirror.write('a\nb\nc\n');
    mirror.sendError(new Error('x'));
    const error = await mirror.close().then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof DeliveryError);
    assert.equal(error.undeliveredLines, 4);
    assert.match(
      error.message,
      /^4 lines were not delivered to http:\/\/127\.0\.0\.1:\d+\/sync-stream: POST .* failed: connect ECONNREFUSED/,
    );
  });

  it("reports the host's own message when it refuses a request", async () => {
    const { url } = await serve({ maxlen: 10, bodyLimit: 1000 });
    const mirror = new LineHostMirror(url);
    mirror.write(`${'z'.repeat(5000)}\n`);
    await assert.rejects(mirror.flush(), {
      name: 'DeliveryError',
      message: `1 line was not delivered to ${url}: the request body is larger than the limit of 1000 bytes`,
    });
    await mirror.close().catch(() => undefined);
  });

  it('counts text over maxQueueChars as undelivered instead of growing', async () => {
    const { hbuf, url } = await serve();
    const mirror = new LineHostMirror(url, { maxQueueChars: 10 });
    assert.equal(mirror.write('12345\n'), true);
    assert.equal(mirror.write('67890abc\nd\n'), false);
    await assert.rejects(mirror.close(), (e: DeliveryError) => e.undeliveredLines === 2);
    assert.deepEqual(await hbuf.read(), ['12345']);
  });

  it('checks its options and address', () => {
    assert.throws(() => new LineHostMirror('ftp://x/y'), TypeError);
    assert.throws(() => new LineHostMirror('not a url'), TypeError);
    assert.throws(
      () => new LineHostMirror('http://127.0.0.1:1/s', { timeout: 0 }),
      /timeout must be a positive integer, got 0/,
    );
    assert.throws(() => new LineHostMirror('http://127.0.0.1:1/s', { source: '' }), TypeError);
  });
});
