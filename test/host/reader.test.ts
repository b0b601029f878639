import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';

import {
  ClosedError,
  GroupedMessage,
  HttpStatusError,
  RequestFailedError,
} from '../../src/core/index.js';
import { JsonClient } from '../../src/host/http-client.js';
import { LineHostBuffer, LineHostReader, listen } from '../../src/host/index.js';
import { call, MOUNTS, startServer, type TestServer } from '../helpers/servers.js';

const record = new GroupedMessage(['Error: boom', '    at f (x.js:1:1)'], 'error');

/** Writes three lines, a record and a partial line to the host at `origin`. */
async function fill(origin: string): Promise<void> {
  const posts = [
    { type: 'str', data: { value: 'one\ntwo\n' } },
    { type: 'error', data: record.serialize() },
    { type: 'str', data: { value: 'three\npart' } },
  ];
  for (const json of posts) {
    assert.equal((await call(origin, { method: 'POST', path: '/sync-stream', json })).status, 201);
  }
}

/** A plain server on an ephemeral port that answers with `listener`. */
async function rawServer(listener: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(listener);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/sync-stream` };
}

async function stop(server: Server): Promise<void> {
  const closed = once(server, 'close');
  server.close();
  server.closeAllConnections();
  await closed;
}

for (const mount of MOUNTS) {
  describe(`LineHostReader against ${mount}`, () => {
    let server: TestServer;
    let reader: LineHostReader;
    before(async () => {
      server = await startServer(mount, new LineHostBuffer({ maxlen: 5 }));
      reader = new LineHostReader(`${server.origin}/sync-stream`);
      await fill(server.origin);
    });
    after(async () => {
      await reader.close();
      await server.close();
    });

    it('reads items, records and the partial line', async () => {
      assert.deepEqual(await reader.read(), ['one', 'two', record, 'three', 'part']);
      assert.deepEqual(await reader.read(2), ['three', 'part']);
      assert.deepEqual(await reader.read(0), []);
      assert.deepEqual(await reader.read(-3), []);
      assert.deepEqual(await reader.readSerialized(3), [record.serialize(), 'three', 'part']);
    });

    it('reads the states', async () => {
      const states = [await reader.length, await reader.maxlen, await reader.closed];
      assert.deepEqual(states, [5, 5, false]);
      assert.equal(await reader.readState('curlen'), 5);
    });

    it('sets and resets the stop flag, and clears', async () => {
      assert.equal(await reader.stopAllMirrors(), true);
      assert.equal(await reader.closed, true);
      assert.equal(await reader.resetStates(), true);
      assert.equal(await reader.closed, false);
      assert.equal(await reader.clear(), true);
      assert.deepEqual([await reader.read(), await reader.length, await reader.maxlen], [[], 0, 5]);
    });

    it('turns a 400 into an HttpStatusError with the host message', async () => {
      await assert.rejects(reader.readState('size' as 'curlen'), (error) => {
        assert.ok(error instanceof HttpStatusError);
        assert.deepEqual(
          [error.status, error.code, error.message],
          [
            400,
            'SYNCSTREAM_HTTP_STATUS',
            'unknown state "size"; use one of closed, maxlen, curlen',
          ],
        );
        return true;
      });
    });
  });
}

describe('LineHostReader connections', () => {
  it('sends every request over one kept-alive connection', async () => {
    const host = await listen(new LineHostBuffer({ maxlen: 3 }), { port: 0 });
    let connections = 0;
    host.server.on('connection', () => (connections += 1));
    const reader = new LineHostReader(host.url);
    for (let i = 0; i < 5; i += 1) await reader.read();
    await reader.stopAllMirrors();
    await reader.clear();
    assert.deepEqual([await reader.length, await reader.closed], [0, true]);
    assert.equal(connections, 1);
    await reader.close();
    await host.close();
  });

  it('refuses requests after close, and close twice is fine', async () => {
    const reader = new LineHostReader('http://127.0.0.1:9/sync-stream');
    await reader.close();
    await reader[Symbol.asyncDispose]();
    await assert.rejects(reader.read(), {
      name: 'ClosedError',
      message: 'GET http://127.0.0.1:9/sync-stream: the client is closed',
    });
    await assert.rejects(reader.length, ClosedError);
  });
});

describe('LineHostReader failures', () => {
  it('names the request when the host cannot be reached', async () => {
    // Port 1 is privileged and unused: nothing answers, and no other test can take it.
    const reader = new LineHostReader('http://127.0.0.1:1/sync-stream');
    await assert.rejects(reader.read(2), (error) => {
      assert.ok(error instanceof RequestFailedError);
      assert.equal(
        error.message,
        'GET http://127.0.0.1:1/sync-stream?n=2 failed: connect ECONNREFUSED 127.0.0.1:1',
      );
      assert.equal((error.cause as { code: string }).code, 'ECONNREFUSED');
      return true;
    });
    await reader.close();
  });

  it('fails a request that gets no answer within the timeout', async () => {
    const { server, url } = await rawServer(() => undefined);
    const reader = new LineHostReader(url, { timeout: 200 });
    await assert.rejects(reader.closed, {
      name: 'RequestFailedError',
      message:
        `GET ${new URL(url).origin}/sync-stream-state?state=closed failed: ` +
        'no answer within 200 ms',
    });
    await reader.close();
    await stop(server);
  });

  it('reports an answer that is not JSON', async () => {
    const { server, url } = await rawServer((req, res) => {
      res.writeHead(req.method === 'DELETE' ? 500 : 200, { 'content-type': 'text/html' });
      res.end('<html><body>Internal\n  Server Error</body></html>');
    });
    const reader = new LineHostReader(url);
    const origin = new URL(url).origin;
    const page = '"<html><body>Internal Server Error</body></html>"';
    await assert.rejects(reader.clear(), {
      name: 'HttpStatusError',
      status: 500,
      message: `DELETE ${origin}/sync-stream answered 500 (${page})`,
    });
    await assert.rejects(reader.read(), {
      name: 'RequestFailedError',
      message:
        `GET ${origin}/sync-stream failed: the answer (200) is not a JSON object ` +
        `(${page}); is this the URL of a syncstream host buffer?`,
    });
    await reader.close();
    await stop(server);
  });

  it('reports answers of the wrong shape, and accepts the reference null maxlen', async () => {
    const answers: Record<string, unknown> = {
      '/sync-stream': { message: 'success', data: [1] },
      '/sync-stream-state?state=maxlen': { message: 'success', data: null },
      '/sync-stream-state?state=curlen': { message: 'success', data: 'many' },
      '/sync-stream-state': { message: 'refused' },
    };
    const { server, url } = await rawServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answers[req.url ?? '']));
    });
    const reader = new LineHostReader(url);
    const origin = new URL(url).origin;
    await assert.rejects(reader.read(), {
      name: 'RequestFailedError',
      message:
        `GET ${origin}/sync-stream failed: unexpected answer: ` +
        'an item is neither a string nor a record',
    });
    assert.deepEqual(await reader.readSerialized(), [1]);
    assert.equal(await reader.maxlen, null);
    await assert.rejects(reader.length, {
      message:
        `GET ${origin}/sync-stream-state?state=curlen failed: unexpected answer: ` +
        'state curlen is "many"',
    });
    assert.equal(await reader.resetStates(), false);
    await reader.close();
    await stop(server);
  });
});

describe('JsonClient', () => {
  it('refuses an answer over maxResponseBytes', async () => {
    const { server, url } = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'success', data: ['x'.repeat(1000)] }));
    });
    const client = new JsonClient(url, { maxResponseBytes: 100 });
    await assert.rejects(client.request('GET', '/sync-stream'), {
      name: 'RequestFailedError',
      message:
        `GET ${client.origin}/sync-stream failed: ` +
        'the answer is larger than maxResponseBytes (100 bytes)',
    });
    await client.close();
    await stop(server);
  });
});

describe('LineHostReader options', () => {
  it('normalises the address', () => {
    const reader = new LineHostReader('http://127.0.0.1:5000/logs/sync-stream/');
    assert.equal(reader.address, 'http://127.0.0.1:5000/logs/sync-stream');
    void reader.close();
  });

  it('refuses a bad address or timeout, naming it', () => {
    assert.throws(() => new LineHostReader('localhost:5000'), {
      name: 'TypeError',
      message: 'address must be an http:// or https:// URL, got localhost:5000',
    });
    assert.throws(() => new LineHostReader('nonsense'), {
      name: 'TypeError',
      message:
        "address must be the host buffer's URL, such as " +
        'http://127.0.0.1:5000/sync-stream, got "nonsense"',
    });
    assert.throws(() => new LineHostReader('http://127.0.0.1:5000'), {
      name: 'TypeError',
      message:
        'address http://127.0.0.1:5000/ has no route; give the items URL, such as ' +
        'http://127.0.0.1:5000/sync-stream',
    });
    assert.throws(() => new LineHostReader('http://h:1/sync-stream?n=1'), {
      name: 'TypeError',
      message: 'address must have no query or fragment, got http://h:1/sync-stream?n=1',
    });
    assert.throws(() => new LineHostReader('http://h:1/sync-stream', { timeout: 0 }), {
      name: 'RangeError',
      message: 'timeout must be a positive integer, got 0',
    });
  });

  it('refuses a read size that is not an integer', async () => {
    const reader = new LineHostReader('http://127.0.0.1:9/sync-stream');
    await assert.rejects(reader.read(1.5), {
      name: 'TypeError',
      message: 'read size must be an integer, got 1.5',
    });
    await reader.close();
  });
});
