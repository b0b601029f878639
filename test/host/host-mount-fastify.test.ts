/**
 * `serve(app)` on Fastify adds the buffer's routes in an encapsulated plugin and changes
 * nothing else: the instance keeps its JSON parser, 404 and error handler; a prefix
 * works. The plain node:http listener passes other requests on.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';

import { createRequestListener, LineHostBuffer } from '../../src/host/index.js';
import { expectAnswer, postOk, snapshot, str } from '../helpers/host-snapshot.js';
import { call } from '../helpers/servers.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  close = () => app.close();
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

describe('serve() on a Fastify instance', () => {
  it('leaves the instance JSON parser, routes, 404 and error handler as they were', async () => {
    const app = Fastify({ bodyLimit: 100 });
    app.post('/own', async (req) => ({ got: req.body }));
    app.get('/boom', async () => {
      throw Object.assign(new Error('boom'), { statusCode: 418 });
    });
    app.setErrorHandler(async (error: Error, _req, reply) =>
      reply.code(500).send({ own: error.message }),
    );
    new LineHostBuffer({ maxlen: 3, bodyLimit: 1000 }).serve(app);
    const origin = await listen(app);

    await postOk(origin, str(`${'y'.repeat(500)}\n`));
    assert.deepEqual((await snapshot(origin)).items, ['y'.repeat(500)]);
    await expectAnswer(origin, { method: 'POST', path: '/own', json: { a: [1] } }, 200, {
      got: { a: [1] },
    });
    await expectAnswer(origin, { method: 'GET', path: '/boom' }, 500, { own: 'boom' });
    const own = await call(origin, { method: 'POST', path: '/own', raw: '{"bad' });
    assert.deepEqual(Object.keys(own.body), ['own']);
    const big = await call(origin, { method: 'POST', path: '/own', json: { a: 'x'.repeat(200) } });
    assert.deepEqual(Object.keys(big.body), ['own']);
    await expectAnswer(origin, { method: 'GET', path: '/nope' }, 404, {
      message: 'Route GET:/nope not found',
      error: 'Not Found',
      statusCode: 404,
    });
  });

  it('serves under a registered prefix', async () => {
    const app = Fastify();
    const hbuf = new LineHostBuffer({ maxlen: 3 });
    await app.register(async (instance) => hbuf.serve(instance), { prefix: '/api' });
    const origin = await listen(app);

    await postOk(origin, str('under a prefix\n'), '/api/sync-stream');
    assert.deepEqual(await snapshot(origin, '/api/sync-stream'), {
      items: ['under a prefix'],
      curlen: 1,
      closed: false,
    });
    await expectAnswer(origin, { method: 'PATCH', path: '/api/sync-stream-state' }, 405, {
      message: 'method PATCH is not allowed on /api/sync-stream-state; use GET, POST, DELETE',
    });
    assert.equal((await call(origin, { method: 'GET', path: '/sync-stream' })).status, 404);
  });

  it('takes a body of any content type, or none, and names a malformed one', async () => {
    const app = Fastify();
    new LineHostBuffer({ maxlen: 3 }).serve(app);
    const origin = await listen(app);
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    await expectAnswer(
      origin,
      { method: 'POST', path: '/sync-stream', raw: JSON.stringify(str('form\n')), headers: form },
      201,
      { message: 'success', closed: false },
    );
    assert.deepEqual(
      await postWithoutType(`${origin}/sync-stream`, JSON.stringify(str('none\n'))),
      {
        status: 201,
        body: { message: 'success', closed: false },
      },
    );
    await expectAnswer(
      origin,
      { method: 'POST', path: '/sync-stream', raw: '{}', headers: { 'content-type': 'json' } },
      415,
      {
        message: 'the content-type header "json" is not a valid media type; send application/json',
      },
    );
    assert.deepEqual((await snapshot(origin)).items, ['form', 'none']);
  });
});

/** A POST with no content-type header at all, which undici always adds. */
async function postWithoutType(url: string, body: string) {
  const req = request(url, {
    method: 'POST',
    headers: { 'content-length': Buffer.byteLength(body) },
  });
  req.end(body);
  const [res] = (await once(req, 'response')) as [IncomingMessage];
  let text = '';
  for await (const chunk of res) text += String(chunk);
  return { status: res.statusCode, body: JSON.parse(text) as unknown };
}

describe('createRequestListener on node:http', () => {
  it('passes requests for other paths to next, or answers them 404 JSON', async () => {
    const hbuf = new LineHostBuffer({ maxlen: 3 });
    const listener = createRequestListener(hbuf, (_req, res) => res.writeHead(299).end('mine'));
    const server = createServer((req, res) => {
      if (req.url?.startsWith('/plain')) return createRequestListener(hbuf)(req, res);
      listener(req, res);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    close = () => closeServer(server);
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    await postOk(origin, str('via node\n'));
    assert.deepEqual((await snapshot(origin)).items, ['via node']);
    const other = await call(origin, { method: 'GET', path: '/other' });
    assert.deepEqual([other.status, other.body], [299, { unparsable: 'mine' }]);
    await expectAnswer(origin, { method: 'GET', path: '/plain/x?n=1' }, 404, {
      message: 'no route /plain/x',
    });
  });
});

async function closeServer(server: Server): Promise<void> {
  const closed = once(server, 'close');
  server.close();
  server.closeAllConnections();
  await closed;
}
