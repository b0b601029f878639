/**
 * The public API of LineHostBuffer: options and their errors, the endpoint and the
 * OpenAPI document named by it, and the methods that act on the buffer directly.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';

import { GroupedMessage, UnsupportedError } from '../../src/core/index.js';
import {
  defaultEndpoint,
  LineHostBuffer,
  MemoryStore,
  type LineHostBufferOptions,
} from '../../src/host/index.js';
import { expectAnswer, postOk, snapshot, str } from '../helpers/host-snapshot.js';
import { call, MOUNTS, startServer, type TestServer } from '../helpers/servers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(
  hbuf: LineHostBuffer,
  mount: (typeof MOUNTS)[number] = 'node',
): Promise<string> {
  server = await startServer(mount, hbuf);
  return server.origin;
}

describe('LineHostBuffer options', () => {
  it('has the reference defaults', () => {
    const hbuf = new LineHostBuffer();
    assert.deepEqual(
      { ...hbuf.options, routes: hbuf.routes, maxlen: hbuf.maxlen },
      {
        apiRoute: '/sync-stream',
        endpoint: 'sync-stream',
        maxlen: 2,
        store: undefined,
        bodyLimit: 4194304,
        maxLineLength: 4194304,
        maxPartialChars: 67108864,
        maxSources: 1024,
        maxStoredChars: 134217728,
        logger: undefined,
        routes: {
          items: '/sync-stream',
          state: '/sync-stream-state',
          openapi: '/sync-stream-openapi.json',
        },
      },
    );
  });

  it('names the endpoint after apiRoute unless told', () => {
    const named = (options: LineHostBufferOptions) => new LineHostBuffer(options).options.endpoint;
    assert.deepEqual(
      [
        named({ apiRoute: '/api/v1/logs' }),
        named({ apiRoute: '/logs' }),
        named({ apiRoute: '/x', endpoint: 'mine' }),
      ],
      ['api.v1.logs', 'logs', 'mine'],
    );
    assert.deepEqual(
      [defaultEndpoint('/sync-stream'), defaultEndpoint('//a/b.c/d')],
      ['sync-stream', 'a.b.c.d'],
    );
  });

  const route = (got: string) =>
    'apiRoute must be a path such as "/sync-stream" (a leading slash, no trailing slash, ' +
    `no query), got ${got}`;
  const positive = (option: string, got: string) =>
    `${option} must be a positive integer, got ${got}`;
  const refusals: [LineHostBufferOptions, ErrorConstructor, string][] = [
    [{ apiRoute: 'sync-stream' }, TypeError, route('"sync-stream"')],
    [{ apiRoute: '/logs/' }, TypeError, route('"/logs/"')],
    [{ apiRoute: '/logs?x=1' }, TypeError, route('"/logs?x=1"')],
    [{ apiRoute: 5 as unknown as string }, TypeError, route('5')],
    [{ endpoint: '' }, TypeError, 'endpoint must be a non-empty string, got ""'],
    [{ maxlen: 0 }, RangeError, positive('maxlen', '0')],
    [{ maxlen: 2.5 }, RangeError, positive('maxlen', '2.5')],
    [{ bodyLimit: -1 }, RangeError, positive('bodyLimit', '-1')],
    [{ bodyLimit: Number.NaN }, RangeError, positive('bodyLimit', 'NaN')],
    [{ maxLineLength: 0 }, RangeError, positive('maxLineLength', '0')],
    [{ maxPartialChars: Infinity }, RangeError, positive('maxPartialChars', 'Infinity')],
    [{ maxSources: '8' as unknown as number }, TypeError, positive('maxSources', '"8"')],
    [{ maxlen: 2 ** 32 }, RangeError, 'maxlen must be at most 1073741824, got 4294967296'],
    [
      { store: new MemoryStore({ maxlen: 5 }), maxlen: 3 },
      RangeError,
      "maxlen 3 differs from the store's maxlen 5",
    ],
    [
      { logger: { info() {} } as never },
      TypeError,
      'logger must have info, warn and error methods (a pino logger has them)',
    ],
  ];
  for (const [options, type, message] of refusals) {
    it(`refuses ${JSON.stringify(options) ?? 'a bad option'} with a ${type.name}`, () => {
      assert.throws(() => new LineHostBuffer(options), { name: type.name, message });
    });
  }
});

describe('the OpenAPI document', () => {
  for (const mount of MOUNTS) {
    it(`is served beside the routes on ${mount}, operations named by the endpoint`, async () => {
      const origin = await serve(new LineHostBuffer({ apiRoute: '/api/v1/logs' }), mount);
      const res = await call(origin, { method: 'GET', path: '/api/v1/logs-openapi.json' });
      assert.equal(res.status, 200);
      const doc = res.body as {
        info: unknown;
        paths: Record<string, Record<string, { operationId: string }>>;
      };
      const ids = Object.entries(doc.paths).map(([path, ops]) => [
        path,
        Object.values(ops).map((op) => op.operationId),
      ]);
      assert.deepEqual(ids, [
        ['/api/v1/logs', ['api.v1.logs.read', 'api.v1.logs.write', 'api.v1.logs.clear']],
        [
          '/api/v1/logs-state',
          ['api.v1.logs-state.read', 'api.v1.logs-state.write', 'api.v1.logs-state.reset'],
        ],
      ]);
      assert.deepEqual(doc.info, { title: 'syncstream host buffer api.v1.logs', version: '1' });
    });
  }
});

describe('LineHostBuffer methods', () => {
  it('refuses write() and says writes come through mirrors', () => {
    const hbuf = new LineHostBuffer();
    assert.throws(
      () => hbuf.write('x\n'),
      (error: Error) => {
        assert.ok(error instanceof UnsupportedError);
        assert.deepEqual(
          [error.code, error.message],
          [
            'SYNCSTREAM_UNSUPPORTED',
            'LineHostBuffer does not take writes directly; writers send them through a LineHostMirror (or POST to the items route)',
          ],
        );
        return true;
      },
    );
  });

  it('stopAllMirrors() and resetStates() return true and set the stop flag for readers', async () => {
    const hbuf = new LineHostBuffer({ maxlen: 3 });
    const origin = await serve(hbuf);
    assert.equal(await hbuf.stopAllMirrors(), true);
    assert.deepEqual(await snapshot(origin), { items: [], curlen: 0, closed: true });
    assert.equal(await hbuf.resetStates(), true);
    assert.deepEqual(await snapshot(origin), { items: [], curlen: 0, closed: false });
    await expectAnswer(origin, { method: 'GET', path: '/sync-stream-state?state=maxlen' }, 200, {
      message: 'success',
      data: 3,
    });
  });

  it('reads, reads serialized, counts and clears what mirrors sent', async () => {
    const hbuf = new LineHostBuffer({ maxlen: 3 });
    const origin = await serve(hbuf);
    const record = {
      '/is_syncsdata': true,
      '/type': 'GroupedMessage',
      type: 'warning',
      data: ['w1', 'w2'],
    };
    await postOk(origin, str('a\nb\n'));
    await postOk(origin, { type: 'warning', data: record });
    await postOk(origin, str('part', { source: 'S' }));
    assert.deepEqual(await hbuf.read(), ['b', new GroupedMessage(['w1', 'w2'], 'warning'), 'part']);
    assert.deepEqual(await hbuf.readSerialized(2), [record, 'part']);
    assert.deepEqual([await hbuf.read(0), await hbuf.read(-1), await hbuf.length], [[], [], 3]);
    await assert.rejects(hbuf.read(1.5), {
      name: 'TypeError',
      message: 'read size must be an integer, got 1.5',
    });
    await hbuf.clear();
    assert.deepEqual([await hbuf.read(), await hbuf.length], [[], 0]);
  });

  it('answers HEAD like GET, without a body', async () => {
    const origin = await serve(new LineHostBuffer());
    const res = await call(origin, { method: 'HEAD', path: '/sync-stream-state?state=maxlen' });
    assert.deepEqual(
      [res.status, res.headers['content-type'], res.body],
      [200, 'application/json; charset=utf-8', { unparsable: '' }],
    );
  });
});

describe('LineHostBuffer.close()', () => {
  it('stores every partial line, then refuses writes with 409 and keeps answering reads', async () => {
    const hbuf = new LineHostBuffer({ maxlen: 4 });
    const origin = await serve(hbuf);
    await postOk(origin, str('done\nshared'));
    await postOk(origin, str('from-A', { source: 'A' }));
    await hbuf.close();
    await hbuf.close();
    assert.equal(hbuf.closed, true);
    const closed = { message: 'the host buffer is closed; it takes no more writes' };
    await expectAnswer(
      origin,
      { method: 'POST', path: '/sync-stream', json: str('late\n') },
      409,
      closed,
    );
    await expectAnswer(
      origin,
      { method: 'POST', path: '/sync-stream', json: { type: 'close', source: 'A' } },
      409,
      closed,
    );
    assert.deepEqual(await snapshot(origin), {
      items: ['done', 'shared', 'from-A'],
      curlen: 3,
      closed: false,
    });
  });
});
