import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { once } from 'node:events';
import { describe, it } from 'node:test';

import { LineHostBuffer, listen } from '../../src/host/index.js';

describe('listen().close()', () => {
  it('answers a request in progress, then ends its kept-alive connection', async () => {
    const hbuf = new LineHostBuffer({ maxlen: 5 });
    const server = await listen(hbuf, { port: 0 });
    const agent = new Agent({ keepAlive: true });
    const req = request(server.url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
    });
    req.write('{"type": "str", ');
    await once(server.server, 'request');

    const closed = server.close();
    req.end('"data": {"value": "last\\n"}}');
    const [res] = (await once(req, 'response')) as [import('node:http').IncomingMessage];
    let body = '';
    for await (const chunk of res) body += chunk;

    assert.equal(res.statusCode, 201);
    assert.equal(res.headers.connection, 'close');
    assert.deepEqual(JSON.parse(body), { message: 'success', closed: false });
    await closed;
    assert.equal(server.server.listening, false);
    assert.deepEqual(await hbuf.read(), ['last']);
    agent.destroy();
  });
});
