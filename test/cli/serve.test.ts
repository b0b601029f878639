import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { GroupedMessage } from '../../src/core/index.js';
import { call } from '../helpers/servers.js';
import { cli, startServe } from './cli.js';

const record = new GroupedMessage(['Error: boom', '    at f (x.js:1:1)'], 'error');

/** Posts writes to the items route of `url`. */
async function post(url: string, ...bodies: unknown[]): Promise<void> {
  const { origin, pathname } = new URL(url);
  for (const json of bodies) {
    const { status } = await call(origin, { method: 'POST', path: pathname, json });
    assert.equal(status, 201);
  }
}

/** The fields of pino lines that do not change between runs. */
function stable(logs: Record<string, unknown>[]): Record<string, unknown>[] {
  return logs.map(({ time: _time, pid: _pid, hostname: _hostname, ...rest }) => rest);
}

describe('syncstream serve', () => {
  it('prints its URL, answers the client commands and stops on SIGTERM with exit 0', async () => {
    const serve = await startServe();
    const { url } = serve;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/sync-stream$/);
    assert.equal(serve.banner, `syncstream host listening on ${url}`);
    await post(
      url,
      { type: 'str', data: { value: 'one\ntwo\n' } },
      { type: 'error', data: record.serialize() },
      { type: 'str', data: { value: 'three\npart' } },
    );

    const ok = (stdout: string) => ({ code: 0, stdout, stderr: '' });
    const pick = ({
      code,
      stdout,
      stderr,
    }: {
      code: number | null;
      stdout: string;
      stderr: string;
    }) => ({
      code,
      stdout,
      stderr,
    });
    assert.deepEqual(
      pick(await cli('read', url)),
      ok('one\ntwo\nError: boom\n    at f (x.js:1:1)\nthree\npart\n'),
    );
    assert.deepEqual(pick(await cli('read', '-n', '2', url)), ok('three\npart\n'));
    assert.deepEqual(pick(await cli('read', '--items', '0', url)), ok(''));
    assert.deepEqual(
      pick(await cli('read', '--json', '-n', '3', url)),
      ok(`${JSON.stringify([record.serialize(), 'three', 'part'])}\n`),
    );
    assert.deepEqual(
      pick(await cli('state', url)),
      ok('closed: false\nmaxlen: 10000\ncurlen: 5\n'),
    );
    assert.deepEqual(
      pick(await cli('state', '--json', url)),
      ok('{"closed":false,"maxlen":10000,"curlen":5}\n'),
    );

    assert.deepEqual(
      pick(await cli('stop', url)),
      ok(`stop flag set on ${url}; mirrors writing to it will stop\n`),
    );
    assert.deepEqual(pick(await cli('state', url)), ok('closed: true\nmaxlen: 10000\ncurlen: 5\n'));
    assert.deepEqual(pick(await cli('reset', url)), ok(`stop flag cleared on ${url}\n`));
    assert.deepEqual(pick(await cli('clear', url)), ok(`removed every item from ${url}\n`));
    assert.deepEqual(pick(await cli('read', url)), ok(''));
    assert.deepEqual(
      pick(await cli('state', url)),
      ok('closed: false\nmaxlen: 10000\ncurlen: 0\n'),
    );

    const stopped = await serve.stop('SIGTERM');
    assert.deepEqual(
      [stopped.code, stopped.signal, stopped.stdout],
      [0, null, `${serve.banner}\n`],
    );
    assert.deepEqual(stable(stopped.logs), [
      {
        level: 30,
        name: 'syncstream',
        url,
        maxlen: 10000,
        bodyLimit: 4194304,
        endpoint: 'sync-stream',
        msg: 'listening',
      },
      {
        level: 30,
        name: 'syncstream',
        endpoint: 'sync-stream',
        closed: true,
        msg: 'stop flag set',
      },
      {
        level: 30,
        name: 'syncstream',
        endpoint: 'sync-stream',
        closed: false,
        msg: 'stop flag cleared',
      },
      { level: 30, name: 'syncstream', endpoint: 'sync-stream', msg: 'buffer cleared' },
      { level: 30, name: 'syncstream', signal: 'SIGTERM', msg: 'stopping' },
      { level: 30, name: 'syncstream', msg: 'stopped' },
    ]);
  });

  it('takes a route, a maxlen and a body limit, and stops on SIGINT with exit 0', async () => {
    const serve = await startServe('--route', '/logs/run-1', '--maxlen', '2', '--body-limit', '1k');
    const { url } = serve;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/logs\/run-1$/);
    await post(url, { type: 'str', data: { value: 'a\nb\nc\n' } });
    assert.equal((await cli('read', url)).stdout, 'b\nc\n');

    const big = { type: 'str', data: { value: 'x'.repeat(2000) } };
    const { origin } = new URL(url);
    const refused = await call(origin, { method: 'POST', path: '/logs/run-1', json: big });
    assert.deepEqual(
      [refused.status, refused.body],
      [413, { message: 'the request body is larger than the limit of 1024 bytes' }],
    );

    const stopped = await serve.stop('SIGINT');
    assert.deepEqual([stopped.code, stopped.signal], [0, null]);
    assert.deepEqual(
      stable(stopped.logs).map((line) => [line.msg, line.maxlen, line.bodyLimit, line.endpoint]),
      [
        ['listening', 2, 1024, 'logs.run-1'],
        ['stopping', undefined, undefined, undefined],
        ['stopped', undefined, undefined, undefined],
      ],
    );
  });

  it('says so in one line when the port is in use', async () => {
    const serve = await startServe();
    const { port } = new URL(serve.url);
    const second = await cli('serve', '--port', port);
    assert.deepEqual(
      [second.code, second.stdout, second.stderr],
      [1, '', `syncstream: cannot listen on 127.0.0.1:${port}: the port is already in use\n`],
    );
    await serve.stop();
  });
});
