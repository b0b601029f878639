import assert from 'node:assert/strict';
import type { ChildProcess, ForkOptions } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';

import { GroupedMessage, UnsupportedError } from '../../src/core/index.js';
import { LineProcBuffer } from '../../src/proc/index.js';
import { assertTwentyKept, byWriter, forkScript, show, twelveSteps, until } from './script.js';

const NAMES = ['c0', 'c1', 'c2', 'c3'];
const QUIET: ForkOptions = { stdio: ['inherit', 'ignore', 'ignore', 'ipc'] };

describe('LineProcBuffer with four child processes', () => {
  it('keeps exactly 20 of 4 x (10 lines, a warning, an error), each writer in order', async () => {
    const pbuf = new LineProcBuffer({ maxlen: 20 });
    for (const name of NAMES) forkScript(pbuf, twelveSteps(name));
    await pbuf.wait();

    assertTwentyKept(pbuf, NAMES);
  });

  it('is empty after clear, and the next round fills it anew', async () => {
    const pbuf = new LineProcBuffer({ maxlen: 20 });
    for (const name of NAMES) forkScript(pbuf, twelveSteps(name));
    await pbuf.wait();
    assert.equal(pbuf.length, 20);

    pbuf.clear();
    assert.deepEqual([pbuf.read(), pbuf.length], [[], 0]);

    const second = NAMES.map((name) => `r2${name}`);
    for (const name of second) forkScript(pbuf, [{ lines: 3, prefix: name }]);
    await pbuf.wait();
    const items = pbuf.read().map(show);
    assert.equal(items.length, 12);
    assert.deepEqual(
      byWriter(items, second),
      Object.fromEntries(second.map((name) => [name, [`${name} 0`, `${name} 1`, `${name} 2`]])),
    );
  });

  it('the stop flag ends 4 sleeping children early; resetStates waits for them', async () => {
    const pbuf = new LineProcBuffer({ maxlen: 10_000 });
    const children = NAMES.map((name) =>
      forkScript(pbuf, [{ untilStopped: 50, prefix: name }], { collectOutput: true, source: name }),
    );
    await until(pbuf, () => NAMES.every((name) => pbuf.read().includes(`${name} tick 0`)));

    pbuf.stopAllMirrors();
    assert.equal(pbuf.stopped, true);
    assert.throws(() => pbuf.resetStates(), UnsupportedError);
    await pbuf.wait();

    const ended = pbuf
      .read()
      .map(show)
      .filter((item) => item.includes('ended'));
    const expected = NAMES.map((name) => `[${name}] ${name} ended by SYNCSTREAM_STOPPED`);
    assert.deepEqual(ended.sort(), expected);
    // wait() follows the mirrors; the processes end on their own just after.
    const exitCode = async (c: ChildProcess) => c.exitCode ?? (await once(c, 'exit'))[0];
    const codes = await Promise.all(children.map(exitCode));
    assert.deepEqual(codes, [0, 0, 0, 0]);
    pbuf.resetStates();
    assert.equal(pbuf.stopped, false);
  });

  it('forceStop kills the children with SIGKILL and keeps what they sent', async () => {
    const pbuf = new LineProcBuffer({ maxlen: 100 });
    const children = NAMES.map((name) =>
      forkScript(pbuf, [{ lines: 2, prefix: name }, { flush: true }, { sleep: 600_000 }]),
    );
    await until(pbuf, () => pbuf.length === 8);

    await pbuf.forceStop();
    assert.deepEqual(
      children.map((c) => c.signalCode),
      ['SIGKILL', 'SIGKILL', 'SIGKILL', 'SIGKILL'],
    );
    assert.equal(pbuf.liveMirrors, 0);
    const items = pbuf.read().map(show);
    assert.equal(items.length, 8);
    assert.deepEqual(
      byWriter(items, NAMES),
      Object.fromEntries(NAMES.map((name) => [name, [`${name} 0`, `${name} 1`]])),
    );
  });

  it('a child that exits without a final newline still delivers its last line', async () => {
    const pbuf = new LineProcBuffer();
    forkScript(pbuf, [{ write: 'first\nlast without newline' }]);
    await pbuf.wait();
    assert.deepEqual(pbuf.read(), ['first', 'last without newline']);
  });

  it('a child that calls process.exit right after writing still delivers it all', async () => {
    const pbuf = new LineProcBuffer();
    forkScript(pbuf, [{ write: 'first\nhalf' }, { exit: 0 }]);
    await pbuf.wait();
    assert.deepEqual(pbuf.read(), ['first', 'half']);
  });

  it('a child that crashes ends its mirror with a crash record; wait does not hang', async () => {
    const pbuf = new LineProcBuffer();
    const steps = [{ lines: 2, prefix: 'crash' }, { write: 'half' }, { throw: 'boom' }];
    const child = forkScript(pbuf, steps, { ...QUIET, source: 'crasher' });
    await pbuf.wait();
    assert.equal(child.exitCode, 1);
    assert.deepEqual(pbuf.read().map(show), [
      'crash 0',
      'crash 1',
      'half',
      'error: child process crasher exited with code 1',
    ]);
  });

  it('records no crash when recordCrashes is false', async () => {
    const pbuf = new LineProcBuffer({ recordCrashes: false });
    forkScript(pbuf, [{ lines: 1, prefix: 'x' }, { flush: true }, { exit: 3 }]);
    await pbuf.wait();
    assert.deepEqual(pbuf.read(), ['x 0']);
  });

  it('wait resolves for a child that could not be started, with its error', async () => {
    const pbuf = new LineProcBuffer();
    const options = { ...QUIET, execPath: '/nonexistent/node' };
    const child = pbuf.fork('/nonexistent/program.mjs', [], options);
    await Promise.all([pbuf.wait(), once(child, 'error')]);
    const items = pbuf.read();
    assert.equal(items.length, 1);
    const [record] = items as [GroupedMessage];
    const expected = ['error', 'Error: spawn /nonexistent/node ENOENT'];
    assert.deepEqual([record.type, record.data[0]], expected);
  });

  it('a child killed from outside gets a crash record', async () => {
    const pbuf = new LineProcBuffer();
    const child = forkScript(pbuf, [{ notify: 'ready' }, { sleep: 600_000 }], { source: 'victim' });
    await once(child, 'message');
    child.kill('SIGTERM');
    await pbuf.wait();
    assert.deepEqual(pbuf.read().map(show), ['error: child process victim was killed by SIGTERM']);
  });

  it('ends a child whose grandchild holds its output open', { timeout: 60_000 }, async () => {
    const pbuf = new LineProcBuffer();
    forkScript(pbuf, [{ spawnHolder: true }, { lines: 1, prefix: 'parent' }], {
      collectOutput: true,
      source: 'p',
    });
    await pbuf.wait();

    const items = pbuf.read() as string[];
    const holder = items.find((item) => item.startsWith('[p] holder '));
    process.kill(Number(holder?.slice('[p] holder '.length)));
    // Output and mirror lines travel apart, so their order is not fixed.
    const masked = items.map((item) => (item === holder ? '[p] holder PID' : item));
    assert.deepEqual(masked.sort(), ['[p] holder PID', 'parent 0']);
  });
});
