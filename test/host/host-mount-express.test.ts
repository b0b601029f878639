/**
 * `serve(app)` on Express adds the buffer's routes and changes nothing else: the app's
 * own routes keep their body parsers, 404 and error handling; an app that parses JSON
 * itself still gets correct host answers; a router under a prefix works.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import express, { type NextFunction, type Request, type Response } from 'express';

import { LineHostBuffer } from '../../src/host/index.js';
import { expectAnswer, postOk, snapshot, str } from '../helpers/host-snapshot.js';
import { call } from '../helpers/servers.js';

let server: Server | undefined;
afterEach(async () => {
  if (!server) return;
  const closed = once(server, 'close');
  server.close();
  server.closeAllConnections();
  await closed;
  server = undefined;
});

async function listen(app: RequestListener): Promise<string> {
  server = createServer(app);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** An app's own error handler, to see that it still gets its routes' errors. */
function ownErrors(
  err: Error & { status?: number },
  _req: Request,
  res: Response,
  _next: NextFunction,
) {
  res.status(err.status ?? 500).json({ own: err.message });
}

describe('serve() on an Express app', () => {
  it('leaves the app routes, body parsers, 404 and error handler as they were', async () => {
    const app = express();
    app.post('/before', express.json(), (req, res) => void res.json({ got: req.body }));
    new LineHostBuffer({ maxlen: 3 }).serve(app);
    app.post('/after', express.text(), (req, res) => void res.json({ got: req.body }));
    app.post('/raw', (req, res) => void res.json({ body: req.body ?? 'none' }));
    app.get('/boom', () => {
      throw new Error('boom');
    });
    app.use(ownErrors);
    const origin = await listen(app);

    await postOk(origin, str('host line\n'));
    assert.deepEqual((await snapshot(origin)).items, ['host line']);
    await expectAnswer(origin, { method: 'POST', path: '/before', json: { a: [1] } }, 200, {
      got: { a: [1] },
    });
    await expectAnswer(
      origin,
      { method: 'POST', path: '/after', raw: 'plain', headers: { 'content-type': 'text/plain' } },
      200,
      { got: 'plain' },
    );
    await expectAnswer(origin, { method: 'POST', path: '/raw', json: { a: 1 } }, 200, {
      body: 'none',
    });
    await expectAnswer(origin, { method: 'GET', path: '/boom' }, 500, { own: 'boom' });
    const badJson = await call(origin, { method: 'POST', path: '/before', raw: '{oops' });
    assert.equal(badJson.status, 400);
    assert.deepEqual(Object.keys(badJson.body), ['own']);
  });

  it('keeps Express 404 page for paths that are not the buffer routes', async () => {
    const app = express();
    new LineHostBuffer().serve(app);
    const origin = await listen(app);
    const res = await call(origin, { method: 'GET', path: '/sync-streamx' });
    assert.equal(res.status, 404);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(String(res.body.unparsable), /Cannot GET \/sync-streamx/);
  });

  it('answers correctly behind a global express.json()', async () => {
    const app = express();
    app.use(express.json({ limit: 200 }));
    new LineHostBuffer({ maxlen: 3 }).serve(app);
    app.post('/own', (req, res) => void res.json({ got: req.body }));
    app.use(ownErrors);
    const origin = await listen(app);

    await postOk(origin, str('parsed by the app\npart'));
    await postOk(origin, { state: 'closed', value: ' True ' }, '/sync-stream-state');
    const text = {
      method: 'POST',
      path: '/sync-stream',
      raw: JSON.stringify(str('ial\n')),
      headers: { 'content-type': 'text/plain' },
    };
    await expectAnswer(origin, text, 201, { message: 'success', closed: true });
    await expectAnswer(origin, { method: 'POST', path: '/sync-stream', json: [1] }, 400, {
      message: 'the body must be a JSON object, got an array',
    });
    const bad = await call(origin, { method: 'POST', path: '/sync-stream', raw: '{"type":' });
    assert.equal(bad.status, 400);
    assert.match(String(bad.body.message), /^the body is not valid JSON: .+/);
    const big = JSON.stringify(str('x'.repeat(300)));
    await expectAnswer(origin, { method: 'POST', path: '/sync-stream', raw: big }, 413, {
      message: 'the request body is larger than the limit of 200 bytes',
    });
    assert.deepEqual(await snapshot(origin), {
      items: ['parsed by the app', 'partial'],
      curlen: 2,
      closed: true,
    });
    const ownBad = await call(origin, { method: 'POST', path: '/own', raw: '{"type":' });
    assert.deepEqual([ownBad.status, Object.keys(ownBad.body)], [400, ['own']]);
  });

  it('serves under a router mounted at a prefix', async () => {
    const app = express();
    const router = express.Router();
    new LineHostBuffer({ maxlen: 3 }).serve(router);
    app.use('/api', router);
    const origin = await listen(app);

    await postOk(origin, str('under a prefix\n'), '/api/sync-stream');
    assert.deepEqual(await snapshot(origin, '/api/sync-stream'), {
      items: ['under a prefix'],
      curlen: 1,
      closed: false,
    });
    await expectAnswer(origin, { method: 'PUT', path: '/api/sync-stream' }, 405, {
      message: 'method PUT is not allowed on /api/sync-stream; use GET, POST, DELETE',
    });
    const doc = await call(origin, { method: 'GET', path: '/api/sync-stream-openapi.json' });
    assert.deepEqual([doc.status, doc.body.openapi], [200, '3.1.0']);
    assert.equal((await call(origin, { method: 'GET', path: '/sync-stream' })).status, 404);
  });
});
