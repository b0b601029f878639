/**
 * Sources keep writers' partial lines apart, `seq` drops retried requests, and POST
 * answers carry the stop flag (protocol.md section 4.4).
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';

import { LineHostBuffer } from '../../src/host/index.js';
import { expectAnswer, OK, postOk, snapshot, str } from '../helpers/host-snapshot.js';
import { call, MOUNTS, startServer, type TestServer } from '../helpers/servers.js';

const record = (type: string, data: string[]) => ({
  '/is_syncsdata': true,
  '/type': 'GroupedMessage',
  type,
  data,
});

for (const mount of MOUNTS) {
  describe(`sources on ${mount}`, () => {
    let server: TestServer | undefined;
    afterEach(() => server?.close());

    async function serve(maxlen: number): Promise<string> {
      server = await startServer(mount, new LineHostBuffer({ maxlen }));
      return server.origin;
    }

    it('keeps the partial lines of two sources apart', async () => {
      const origin = await serve(5);
      await postOk(origin, str('from-A-', { source: 'A' }));
      await postOk(origin, str('from-B\n', { source: 'B' }));
      await postOk(origin, str('end\n', { source: 'A' }));
      assert.deepEqual(await snapshot(origin), {
        items: ['from-B', 'from-A-end'],
        curlen: 2,
        closed: false,
      });
    });

    it('merges writes that name no source into one partial line, as the reference does', async () => {
      const origin = await serve(5);
      await postOk(origin, str('from-A-'));
      await postOk(origin, str('from-B\n'));
      await postOk(origin, str('end\n'));
      assert.deepEqual(await snapshot(origin), {
        items: ['from-A-from-B', 'end'],
        curlen: 2,
        closed: false,
      });
    });

    it('commits only the closing source partial line', async () => {
      const origin = await serve(5);
      await postOk(origin, str('shared'));
      await postOk(origin, str('a-part', { source: 'A' }));
      await postOk(origin, str('b-part', { source: 'B' }));
      assert.deepEqual(await postOk(origin, { type: 'close', source: 'A' }), OK);
      await postOk(origin, str('-more', { source: 'B' }));
      await postOk(origin, str('-more'));
      assert.deepEqual(await snapshot(origin), {
        items: ['a-part', 'shared-more', 'b-part-more'],
        curlen: 3,
        closed: false,
      });
      await postOk(origin, { type: 'close' });
      await postOk(origin, str('\n', { source: 'B' }));
      assert.deepEqual((await snapshot(origin)).items, ['a-part', 'shared-more', 'b-part-more']);
    });

    it('commits a source partial line before its record, and no other', async () => {
      const origin = await serve(5);
      await postOk(origin, str('a-part', { source: 'A' }));
      await postOk(origin, str('b-part', { source: 'B' }));
      await postOk(origin, {
        type: 'error',
        source: 'B',
        data: record('error', ['Error: x', '    at f']),
      });
      await postOk(origin, {
        type: 'warning',
        source: 'A',
        seq: 0,
        data: record('warning', ['careful']),
      });
      assert.deepEqual(await snapshot(origin), {
        items: [
          'b-part',
          record('error', ['Error: x', '    at f']),
          'a-part',
          record('warning', ['careful']),
        ],
        curlen: 4,
        closed: false,
      });
    });

    it('reads partial lines as the newest items, never more than maxlen', async () => {
      const origin = await serve(3);
      await postOk(origin, str('x1\nx2\nx3\n'));
      await postOk(origin, str('pA', { source: 'A' }));
      await postOk(origin, str('pB', { source: 'B' }));
      assert.deepEqual(await snapshot(origin), {
        items: ['x3', 'pA', 'pB'],
        curlen: 3,
        closed: false,
      });
      const read = async (n: number) =>
        (await call(origin, { method: 'GET', path: `/sync-stream?n=${n}` })).body.data;
      assert.deepEqual([await read(1), await read(2), await read(0)], [['pB'], ['pA', 'pB'], []]);
      await postOk(origin, str('pC', { source: 'C' }));
      await postOk(origin, str('pD'));
      assert.deepEqual(await snapshot(origin), {
        items: ['pA', 'pB', 'pC'],
        curlen: 3,
        closed: false,
      });
      await postOk(origin, str('\n', { source: 'B' }));
      assert.deepEqual(await snapshot(origin), {
        items: ['pD', 'pA', 'pC'],
        curlen: 3,
        closed: false,
      });
    });
  });
}

describe('seq and the stop flag in POST answers', () => {
  let server: TestServer | undefined;
  afterEach(() => server?.close());

  async function serve(): Promise<string> {
    server = await startServer('node', new LineHostBuffer({ maxlen: 8 }));
    return server.origin;
  }

  it('answers a repeated (source, seq) as a duplicate and applies it once', async () => {
    const origin = await serve();
    assert.deepEqual(await postOk(origin, str('one\n', { source: 'A', seq: 0 })), OK);
    assert.deepEqual(await postOk(origin, str('two\n', { source: 'A', seq: 1 })), OK);
    const dup = { ...OK, duplicate: true };
    assert.deepEqual(await postOk(origin, str('two\n', { source: 'A', seq: 1 })), dup);
    assert.deepEqual(await postOk(origin, str('one\n', { source: 'A', seq: 0 })), dup);
    assert.deepEqual(await postOk(origin, { type: 'close', source: 'A', seq: 1 }), dup);
    assert.deepEqual(await postOk(origin, str('one\n', { source: 'B', seq: 0 })), OK);
    assert.deepEqual(await postOk(origin, str('three\n', { source: 'A', seq: 5 })), OK);
    assert.deepEqual((await snapshot(origin)).items, ['one', 'two', 'one', 'three']);
  });

  it('applies a lower seq of the same source: another writer or a restart under that name', async () => {
    const origin = await serve();
    assert.deepEqual(await postOk(origin, str('run 1\n', { source: 'job', seq: 900 })), OK);
    assert.deepEqual(await postOk(origin, str('run 2\n', { source: 'job', seq: 10 })), OK);
    assert.deepEqual(await postOk(origin, str('run 2 again\n', { source: 'job', seq: 10 })), {
      ...OK,
      duplicate: true,
    });
    assert.deepEqual((await snapshot(origin)).items, ['run 1', 'run 2']);
  });

  it('applies every request without a source, whatever its seq', async () => {
    const origin = await serve();
    assert.deepEqual(await postOk(origin, str('x\n', { seq: 0 })), OK);
    assert.deepEqual(await postOk(origin, str('x\n', { seq: 0 })), OK);
    assert.deepEqual((await snapshot(origin)).items, ['x', 'x']);
  });

  it('forgets a closed source, so a new writer may reuse its name from seq 0', async () => {
    const origin = await serve();
    await postOk(origin, str('first run\n', { source: 'job', seq: 0 }));
    await postOk(origin, { type: 'close', source: 'job', seq: 1 });
    assert.deepEqual(await postOk(origin, str('second run\n', { source: 'job', seq: 0 })), OK);
    assert.deepEqual((await snapshot(origin)).items, ['first run', 'second run']);
  });

  it('tells every POST answer the stop flag, and still stores the write', async () => {
    const origin = await serve();
    await expectAnswer(
      origin,
      { method: 'POST', path: '/sync-stream-state', json: { state: 'closed', value: true } },
      201,
      { message: 'success' },
    );
    assert.deepEqual(await postOk(origin, str('late\n', { source: 'A', seq: 0 })), {
      message: 'success',
      closed: true,
    });
    assert.deepEqual(await postOk(origin, { type: 'close', source: 'A', seq: 1 }), {
      message: 'success',
      closed: true,
    });
    await expectAnswer(origin, { method: 'DELETE', path: '/sync-stream-state' }, 200, {
      message: 'success',
    });
    assert.deepEqual(await postOk(origin, str('again\n')), OK);
    assert.deepEqual(await snapshot(origin), {
      items: ['late', 'again'],
      curlen: 2,
      closed: false,
    });
  });

  it('sets the stop flag when the value, as text, trimmed and case-folded, is true', async () => {
    const origin = await serve();
    const values = [true, 'true', ' True ', 'TRUE\n', false, 'yes', 1, null, ['true'], { v: true }];
    const seen: unknown[] = [];
    for (const value of values) {
      await postOk(origin, { state: 'closed', value }, '/sync-stream-state');
      seen.push((await snapshot(origin)).closed);
    }
    assert.deepEqual(seen, [true, true, true, true, false, false, false, false, false, false]);
  });
});
