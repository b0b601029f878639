/**
 * The mirror against a host that has none of this project's extensions, as the Python
 * reference: it ignores `source`, `seq` and `stream`, and its POST answers carry no
 * `closed`. The reference itself cannot be installed here (no PyPI), so this stand-in
 * strips the extensions around a real LineHostBuffer.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';

import { StoppedError } from '../../src/index.js';
import { HostHandler, LineHostBuffer, LineHostMirror } from '../../src/host/index.js';

const hbuf = new LineHostBuffer({ maxlen: 1000 });
const handler = new HostHandler(hbuf);
const seen = { posts: 0, stateGets: 0, extensionsSeen: 0 };
let server: Server;
let url: string;

async function answer(
  req: import('node:http').IncomingMessage,
  res: import('node:http').ServerResponse,
) {
  const u = new URL(req.url ?? '/', 'http://x');
  const route = handler.route(u.pathname) ?? 'items';
  let body: { kind: 'parsed'; value: unknown } | undefined;
  if (req.method === 'POST') {
    let text = '';
    for await (const chunk of req) text += chunk;
    const value = JSON.parse(text) as Record<string, unknown>;
    if ('source' in value || 'seq' in value) seen.extensionsSeen += 1;
    for (const key of ['source', 'seq', 'stream']) delete value[key];
    body = { kind: 'parsed', value };
    if (route === 'items') seen.posts += 1;
  }
  if (req.method === 'GET' && route === 'state') seen.stateGets += 1;
  const out = await handler.handle({
    method: req.method ?? 'GET',
    route,
    path: u.pathname,
    query: u.searchParams,
    ...(body ? { body } : {}),
  });
  delete out.body.closed;
  res.writeHead(out.status, { 'content-type': 'application/json' }).end(JSON.stringify(out.body));
}

before(async () => {
  server = createServer((req, res) => void answer(req, res)).listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sync-stream`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

describe('LineHostMirror against a host without extensions', () => {
  it('delivers lines and learns the stop flag from the state route, at a bounded rate', async () => {
    const mirror = new LineHostMirror(url, { stateIntervalMs: 200 });
    const started = performance.now();
    for (let i = 0; i < 40; i += 1) {
      mirror.write(`line ${i}\n`);
      await sleep(10);
    }
    await mirror.flush();
    const elapsed = performance.now() - started;
    assert.deepEqual(await hbuf.read(3), ['line 37', 'line 38', 'line 39']);
    // Not one state request per write: at most one per stateIntervalMs (and one at start).
    const bound = Math.ceil(elapsed / 200) + 1;
    assert.ok(seen.stateGets <= bound, `${seen.stateGets} state GETs in ${elapsed} ms`);
    assert.ok(seen.posts > seen.stateGets, `${seen.posts} POSTs, ${seen.stateGets} state GETs`);

    await hbuf.stopAllMirrors();
    let stoppedAt = -1;
    for (let i = 0; i < 500 && stoppedAt < 0; i += 1) {
      try {
        mirror.write(`more ${i}\n`);
        await sleep(10);
      } catch (error) {
        assert.ok(error instanceof StoppedError);
        stoppedAt = i;
      }
    }
    assert.ok(stoppedAt >= 0, 'the stop flag reached the mirror');
    assert.equal(mirror.signal.aborted, true);
    await mirror.close();
  });
});
