import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

import { call } from '../helpers/servers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('examples/host-pool', () => {
  it('answers GET /test with the lines of four worker processes, newest 10 kept', async () => {
    const server = spawn(process.execPath, ['--import', 'tsx', 'examples/host-pool/server.ts'], {
      cwd: root,
      env: { ...process.env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    server.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    server.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = once(server, 'exit');

    while (!stdout.includes('\n')) {
      await Promise.race([once(server.stdout, 'data'), exited]);
      assert.equal(server.exitCode, null, `the example ended early: ${stderr}`);
    }
    const origin = /listening on (http:\/\/127\.0\.0\.1:\d+) /.exec(stdout)?.[1] ?? '';
    assert.equal(stdout, `host-pool example listening on ${origin} (try GET /test)\n`);

    const example = (n: number) => Array.from({ length: n }, () => 'example');
    const answers = [];
    for (let i = 0; i < 3; i += 1) {
      answers.push(await call(origin, { method: 'GET', path: '/test' }));
    }
    assert.deepEqual(
      answers.map(({ status, body }) => [status, body]),
      [
        [200, { message: 'success', items: example(4) }],
        [200, { message: 'success', items: example(8) }],
        [200, { message: 'success', items: example(10) }],
      ],
    );

    server.kill('SIGTERM');
    assert.deepEqual(await exited, [0, null]);
    assert.equal(stderr, '');
  });
});
