import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';

import { cli, DEAD_URL, startServe, type ServeProcess } from './cli.js';

const URL_HINT = 'http://127.0.0.1:5000/sync-stream';

/** What a failed command gives: its exit code, nothing on stdout, one line on stderr. */
async function failure(...args: string[]): Promise<[number | null, string, string]> {
  const { code, stdout, stderr } = await cli(...args);
  return [code, stdout, stderr];
}

describe('syncstream usage errors: exit 2, one line', () => {
  const cases: [string[], string][] = [
    [['read'], "missing required argument 'url'"],
    [
      ['read', 'localhost:5000'],
      "command-argument value 'localhost:5000' is invalid for argument 'url'. " +
        'The address must be an http:// or https:// URL, got localhost:5000.',
    ],
    [
      ['state', 'http://127.0.0.1:5000'],
      "command-argument value 'http://127.0.0.1:5000' is invalid for argument 'url'. " +
        'The address http://127.0.0.1:5000/ has no route; give the items URL, such as ' +
        'http://127.0.0.1:5000/sync-stream.',
    ],
    [
      ['read', '-n', 'x', URL_HINT],
      "option '-n, --items <N>' argument 'x' is invalid. The count must be an integer, 0 or more.",
    ],
    [['read', URL_HINT, 'extra'], "too many arguments for 'read'. Expected 1 argument but got 2."],
    [['read', '--bogus', URL_HINT], "unknown option '--bogus'"],
    [
      ['read', '--timeout', '0', URL_HINT],
      "option '--timeout <ms>' argument '0' is invalid. " +
        'The timeout (in milliseconds) must be a positive integer.',
    ],
    [
      ['serve', '--port', 'abc'],
      "option '--port <number>' argument 'abc' is invalid. " +
        'The port must be an integer from 0 to 65535.',
    ],
    [
      ['serve', '--port', '70000'],
      "option '--port <number>' argument '70000' is invalid. " +
        'The port must be an integer from 0 to 65535.',
    ],
    [
      ['serve', '--maxlen', '0'],
      "option '--maxlen <N>' argument '0' is invalid. The maxlen must be a positive integer.",
    ],
    [
      ['serve', '--maxlen', '4294967296'],
      "option '--maxlen <N>' argument '4294967296' is invalid. The maxlen must be at most 1073741824.",
    ],
    [
      ['serve', '--route', 'logs/'],
      "option '--route <path>' argument 'logs/' is invalid. " +
        'The route must be a path such as /sync-stream (a leading slash, no trailing slash).',
    ],
    [
      ['serve', '--body-limit', 'lots'],
      "option '--body-limit <bytes>' argument 'lots' is invalid. " +
        'The size must be a positive number of bytes, such as 4194304 or 4m.',
    ],
    [['sreve'], "unknown command 'sreve' (Did you mean serve?)"],
    [['run', '--', 'ls'], "required option '--to <url>' not specified"],
    [['run', '--to', URL_HINT], "missing required argument 'program'"],
    [
      ['run', '--to', URL_HINT, '--source', 'x'.repeat(129), '--', 'ls'],
      `option '--source <name>' argument '${'x'.repeat(129)}' is invalid. ` +
        'The source must be 1 to 128 characters long.',
    ],
  ];
  for (const [args, message] of cases) {
    it(args.join(' ').slice(0, 60), async () => {
      assert.deepEqual(await failure(...args), [2, '', `syncstream: ${message}\n`]);
    });
  }
});

describe('syncstream request errors: exit 1, one line', () => {
  let serve: ServeProcess;
  before(async () => {
    serve = await startServe();
  });
  after(() => serve.stop());

  it('names the request when the host cannot be reached', async () => {
    const { origin } = new URL(DEAD_URL);
    const requests: Record<string, string> = {
      read: 'GET /sync-stream',
      state: 'GET /sync-stream-state?state=closed',
      stop: 'POST /sync-stream-state',
      reset: 'DELETE /sync-stream-state',
      clear: 'DELETE /sync-stream',
    };
    for (const [command, request] of Object.entries(requests)) {
      const [method, path] = request.split(' ');
      assert.deepEqual(await failure(command, DEAD_URL), [
        1,
        '',
        `syncstream: ${method} ${origin}${path} failed: connect ECONNREFUSED 127.0.0.1:1\n`,
      ]);
    }
  });

  it('gives the host message of a 404', async () => {
    assert.deepEqual(await failure('read', `${serve.url}-typo`), [
      1,
      '',
      'syncstream: the host answered 404: no route /sync-stream-typo\n',
    ]);
  });

  it('gives up on a host that does not answer within --timeout', async () => {
    const server = createServer(() => undefined);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}/sync-stream`;
    assert.deepEqual(await failure('read', '--timeout', '300', url), [
      1,
      '',
      `syncstream: GET ${url} failed: no answer within 300 ms\n`,
    ]);
    server.closeAllConnections();
    server.close();
  });
});

describe('syncstream help and version', () => {
  it('prints the help of the program and of each command, exit 0', async () => {
    const top = await cli('--help');
    assert.deepEqual([top.code, top.stderr], [0, '']);
    assert.equal(top.stdout.split('\n')[0], 'Usage: syncstream [options] [command]');
    const usages: Record<string, string> = {
      serve: 'Usage: syncstream serve [options]',
      run: 'Usage: syncstream run --to <url> [options] -- <program> [args...]',
      read: 'Usage: syncstream read [options] <url>',
      state: 'Usage: syncstream state [options] <url>',
      stop: 'Usage: syncstream stop [options] <url>',
      reset: 'Usage: syncstream reset [options] <url>',
      clear: 'Usage: syncstream clear [options] <url>',
    };
    for (const [command, usage] of Object.entries(usages)) {
      const help = await cli(command, '--help');
      assert.deepEqual([help.code, help.stderr, help.stdout.split('\n')[0]], [0, '', usage]);
    }
  });

  it('prints the package version', async () => {
    const pkg = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as {
      version: string;
    };
    assert.deepEqual(await failure('--version'), [0, `${pkg.version}\n`, '']);
  });
});
