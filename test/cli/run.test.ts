import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, beforeEach, describe, it } from 'node:test';

import { GroupedMessage, type Item } from '../../src/core/index.js';
import { LineHostBuffer, listen, type HostServer } from '../../src/host/index.js';
import { BIN, cli, collect, DEAD_URL, fixture, spawnCli, waitFor } from './cli.js';

const node = process.execPath;

function failed(message: string): GroupedMessage {
  return new GroupedMessage([`Command failed: ${message}`], 'error');
}

/** The items that start with one of `prefixes`, in their order. */
function only(items: Item[], ...prefixes: string[]): Item[] {
  return items.filter(
    (item) => typeof item === 'string' && prefixes.some((p) => item.startsWith(p)),
  );
}

describe('syncstream run', () => {
  let hbuf: LineHostBuffer;
  let host: HostServer;
  before(async () => {
    hbuf = new LineHostBuffer({ maxlen: 100 });
    host = await listen(hbuf, { port: 0 });
  });
  beforeEach(async () => {
    await hbuf.clear();
    await hbuf.resetStates();
  });
  after(() => host.close());

  it('wraps a node script: the terminal gets its output as is, the host each line', async () => {
    const result = await cli('run', '--to', host.url, '--', node, fixture('cli-print.mjs'), '0');
    assert.deepEqual(
      [result.code, result.stdout, result.stderr],
      [0, 'out 1\nout 2\nno newline at the end', 'err 1\nerr 2\n'],
    );
    const items = await hbuf.read();
    assert.equal(items.length, 5);
    assert.deepEqual(only(items, 'out', 'no'), ['out 1', 'out 2', 'no newline at the end']);
    assert.deepEqual(only(items, 'err'), ['err 1', 'err 2']);
  });

  it('exits with the program exit code and records the failure', async () => {
    const script = fixture('cli-print.mjs');
    const result = await cli(
      'run',
      '--to',
      host.url,
      '--source',
      'worker-3',
      '--',
      node,
      script,
      '3',
    );
    assert.deepEqual(
      [result.code, result.stdout, result.stderr],
      [3, 'out 1\nout 2\nno newline at the end', 'err 1\nerr 2\n'],
    );
    const items = await hbuf.read();
    assert.deepEqual(items.slice(-2), [
      'no newline at the end',
      failed(`${node} ${script} 3: exit code 3`),
    ]);
    assert.deepEqual(only(items, 'out'), ['out 1', 'out 2']);
    assert.deepEqual(only(items, 'err'), ['err 1', 'err 2']);
  });

  it('wraps a sh -c pipeline', async () => {
    const pipeline = "printf 'b\\nc\\na\\n' | sort; printf 'tail' | tr a-z A-Z";
    const result = await cli('run', '--to', host.url, '--', 'sh', '-c', pipeline);
    assert.deepEqual([result.code, result.stdout, result.stderr], [0, 'a\nb\nc\nTAIL', '']);
    assert.deepEqual(await hbuf.read(), ['a', 'b', 'c', 'TAIL']);
  });

  it('exits with 128 + the signal number when a signal ends the program', async () => {
    const result = await cli(
      'run',
      '--to',
      host.url,
      '--',
      'sh',
      '-c',
      'echo before; kill -TERM $$',
    );
    assert.deepEqual([result.code, result.stdout, result.stderr], [143, 'before\n', '']);
    assert.deepEqual(await hbuf.read(), [
      'before',
      failed("sh -c 'echo before; kill -TERM $$': killed by signal SIGTERM"),
    ]);
  });

  it('keeps a multi-byte character split across pipe chunks whole', async () => {
    const result = await cli('run', '--to', host.url, '--', node, fixture('cli-split-utf8.mjs'));
    assert.equal(result.code, 0);
    assert.deepEqual(result.stdoutBytes, Buffer.from('aé\n😀\n', 'utf8'));
    assert.deepEqual(await hbuf.read(), ['aé', '😀']);
  });

  it('delivers a 1 MiB line whole', async () => {
    const size = 1024 * 1024;
    const line = 'abcdefghijklmnopqrstuvwxyz'.repeat(Math.ceil(size / 26)).slice(0, size);
    const result = await cli('run', '--to', host.url, '--', node, fixture('cli-long-line.mjs'));
    assert.equal(result.code, 0);
    assert.equal(
      result.stdout === `${line}\nafter\n`,
      true,
      'the terminal got the bytes unchanged',
    );
    const items = await hbuf.read();
    assert.deepEqual(
      items.map((item) => String(item).length),
      [size, 5],
    );
    assert.equal(items[0] === line, true, 'the host got the line whole');
    assert.equal(items[1], 'after');
  });

  it('sends SIGTERM to the program once the host stop flag is set', async () => {
    const script = fixture('cli-wait.mjs');
    const running = collect(spawnCli(['run', '--to', host.url, '--', node, script]));
    await waitFor(
      () => hbuf.read(),
      (items) => items.length === 1,
      'the ready line',
    );
    await hbuf.stopAllMirrors();

    const result = await running;
    assert.deepEqual(
      [result.code, result.stdout, result.stderr],
      [143, 'ready\n', `syncstream: the host's stop flag is set; sending SIGTERM to ${node}\n`],
    );
    assert.deepEqual(await hbuf.read(), [
      'ready',
      failed(
        `${node} ${script}: killed by signal SIGTERM (sent because the host's stop flag was set)`,
      ),
    ]);
  });

  it('sends SIGKILL when the program outlives --kill-after after the stop flag', async () => {
    const script = fixture('cli-stubborn.mjs');
    const args = ['run', '--to', host.url, '--kill-after', '300', '--', node, script];
    const running = collect(spawnCli(args));
    await waitFor(
      () => hbuf.read(),
      (items) => items.length === 1,
      'the ready line',
    );
    await hbuf.stopAllMirrors();

    const result = await running;
    assert.deepEqual(
      [result.code, result.stdout, result.stderr],
      [
        137,
        'ready\nignoring SIGTERM\n',
        `syncstream: the host's stop flag is set; sending SIGTERM to ${node}\n` +
          `syncstream: ${node} did not end within 300 ms; sending SIGKILL\n`,
      ],
    );
  });

  it('passes SIGTERM on to the program; --aggressive sends a partial line', async () => {
    const script = fixture('cli-wait.mjs');
    const child = spawnCli(['run', '--to', host.url, '--aggressive', '--', node, script, 'nonl']);
    const running = collect(child);
    // Only an aggressive mirror sends the partial line before its break.
    await waitFor(
      () => hbuf.read(),
      (items) => items.length === 1,
      'the partial line',
    );
    child.kill('SIGTERM');

    const result = await running;
    assert.deepEqual([result.code, result.stdout, result.stderr], [143, 'ready', '']);
    assert.deepEqual(await hbuf.read(), [
      'ready',
      failed(`${node} ${script} nonl: killed by signal SIGTERM`),
    ]);
  });

  it('on Ctrl-C (SIGINT to the process group) waits for the program and exits 130', async () => {
    const script = fixture('cli-wait.mjs');
    const args = [BIN, 'run', '--to', host.url, '--', node, script];
    // A process group of its own stands for the terminal's foreground group.
    const child = spawn(node, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const running = collect(child);
    await waitFor(
      () => hbuf.read(),
      (items) => items.length === 1,
      'the ready line',
    );
    process.kill(-(child.pid ?? 0), 'SIGINT');

    const result = await running;
    assert.deepEqual([result.code, result.stdout, result.stderr], [130, 'ready\n', '']);
    assert.deepEqual(await hbuf.read(), [
      'ready',
      failed(`${node} ${script}: killed by signal SIGINT`),
    ]);
  });

  it('exits 127 with one line when the program is not found, and records it', async () => {
    const result = await cli('run', '--to', host.url, '--', 'no-such-program-xyz', 'arg');
    assert.deepEqual(
      [result.code, result.stdout, result.stderr],
      [127, '', 'syncstream: cannot run no-such-program-xyz: command not found\n'],
    );
    assert.deepEqual(await hbuf.read(), [failed('no-such-program-xyz arg: command not found')]);
  });

  it('exits 126 when the program cannot be executed', async () => {
    const script = fixture('cli-print.mjs');
    const result = await cli('run', '--to', host.url, '--', script);
    assert.deepEqual(
      [result.code, result.stdout, result.stderr],
      [126, '', `syncstream: cannot run ${script}: permission denied\n`],
    );
  });
});

describe('syncstream run without a host', () => {
  it('says how many lines were not delivered and still exits with the program code', async () => {
    const script = fixture('cli-print.mjs');
    const result = await cli('run', '--to', DEAD_URL, '--timeout', '2000', '--', node, script, '3');
    assert.deepEqual(
      [result.code, result.stdout, result.stderr],
      [
        3,
        'out 1\nout 2\nno newline at the end',
        'err 1\nerr 2\n' +
          `syncstream: 6 lines were not delivered to ${DEAD_URL}: POST ${DEAD_URL} failed: ` +
          'connect ECONNREFUSED 127.0.0.1:1\n',
      ],
    );
  });
});
