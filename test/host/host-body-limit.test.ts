/**
 * A body over `bodyLimit` is answered 413 with a JSON message, whether or not it
 * declares its length, nothing changes, and the server keeps answering.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';

import { LineHostBuffer } from '../../src/host/index.js';
import { postOk, snapshot, str, type HostSnapshot } from '../helpers/host-snapshot.js';
import { call, MOUNTS, startServer, type TestServer } from '../helpers/servers.js';

const LIMIT = 256;
const TOO_LARGE = { message: `the request body is larger than the limit of ${LIMIT} bytes` };

/** A `str` body of exactly `bytes` bytes of JSON. */
function bodyOf(bytes: number): string {
  const empty = JSON.stringify(str(''));
  const body = JSON.stringify(str(`${'x'.repeat(bytes - empty.length - 2)}\n`));
  assert.equal(Buffer.byteLength(body), bytes);
  return body;
}

/** POSTs `chunks` with chunked transfer encoding: no content-length header. */
async function postChunked(origin: string, path: string, chunks: string[]) {
  const res = await request(origin + path, {
    method: 'POST',
    reset: true,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: Readable.from(chunks.map((chunk) => Buffer.from(chunk))),
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body: JSON.parse(text) as unknown };
}

for (const mount of MOUNTS) {
  describe(`bodyLimit on ${mount}`, () => {
    let server: TestServer;
    let want: HostSnapshot;
    before(async () => {
      server = await startServer(mount, new LineHostBuffer({ maxlen: 3, bodyLimit: LIMIT }));
      await postOk(server.origin, str('kept\npartial'));
      want = await snapshot(server.origin);
    });
    after(() => server.close());

    it('refuses a body over the limit that declares its length', async () => {
      const res = await call(server.origin, {
        method: 'POST',
        path: '/sync-stream',
        raw: bodyOf(LIMIT + 1),
      });
      assert.deepEqual({ status: res.status, body: res.body }, { status: 413, body: TOO_LARGE });
      assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
      assert.deepEqual(await snapshot(server.origin), want);
    });

    it('refuses a chunked body over the limit', async () => {
      const body = bodyOf(LIMIT + 40);
      const res = await postChunked(server.origin, '/sync-stream', [
        body.slice(0, 200),
        body.slice(200),
      ]);
      assert.deepEqual({ status: res.status, body: res.body }, { status: 413, body: TOO_LARGE });
      assert.deepEqual(await snapshot(server.origin), want);
    });

    it('refuses a state write over the limit', async () => {
      const padded = JSON.stringify({ state: 'closed', value: 'true', pad: 'p'.repeat(LIMIT) });
      const res = await postChunked(server.origin, '/sync-stream-state', [padded]);
      assert.deepEqual({ status: res.status, body: res.body }, { status: 413, body: TOO_LARGE });
      assert.deepEqual(await snapshot(server.origin), want);
    });

    it('takes a body of exactly the limit, declared or chunked', async () => {
      await postOk(server.origin, JSON.parse(bodyOf(LIMIT)));
      const res = await postChunked(server.origin, '/sync-stream', [bodyOf(LIMIT)]);
      assert.deepEqual(res.body, { message: 'success', closed: false });
      const line = 'x'.repeat(LIMIT - JSON.stringify(str('')).length - 2);
      assert.deepEqual(await snapshot(server.origin), {
        items: ['kept', `partial${line}`, line],
        curlen: 3,
        closed: false,
      });
    });
  });
}
