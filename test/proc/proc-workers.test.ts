import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import type { Worker } from 'node:worker_threads';

import { GroupedMessage, UnsupportedError } from '../../src/core/index.js';
import { LineProcBuffer } from '../../src/proc/index.js';
import { assertTwentyKept, byWriter, show, twelveSteps, until, workerScript } from './script.js';

const NAMES = ['w0', 'w1', 'w2', 'w3'];

function exitCodes(workers: Worker[]): Promise<number[]> {
  return Promise.all(workers.map((w) => once(w, 'exit').then(([code]) => code as number)));
}

describe('LineProcBuffer with four worker threads', () => {
  it('keeps exactly 20 of 4 x (10 lines, a warning, an error), each writer in order', async () => {
    const pbuf = new LineProcBuffer({ maxlen: 20 });
    for (const name of NAMES) workerScript(pbuf, twelveSteps(name));
    await pbuf.wait();

    assertTwentyKept(pbuf, NAMES);
  });

  it('the stop flag ends 4 sleeping workers early; resetStates waits for them', async () => {
    const pbuf = new LineProcBuffer({ maxlen: 10_000 });
    const workers = NAMES.map((name) =>
      workerScript(pbuf, [{ untilStopped: 50, prefix: name }], {
        collectOutput: true,
        source: name,
      }),
    );
    const codes = exitCodes(workers);
    await until(pbuf, () => NAMES.every((name) => pbuf.read().includes(`${name} tick 0`)));

    pbuf.stopAllMirrors();
    assert.throws(() => pbuf.resetStates(), UnsupportedError);
    await pbuf.wait();

    const ended = pbuf
      .read()
      .map(show)
      .filter((item) => item.includes('ended'));
    const expected = NAMES.map((name) => `[${name}] ${name} ended by SYNCSTREAM_STOPPED`);
    assert.deepEqual(ended.sort(), expected);
    assert.deepEqual(await codes, [0, 0, 0, 0]);
    pbuf.resetStates();
    assert.equal(pbuf.stopped, false);
  });

  it('forceStop terminates the workers and keeps what they sent', async () => {
    const pbuf = new LineProcBuffer({ maxlen: 100 });
    const workers = NAMES.map((name) =>
      workerScript(pbuf, [{ lines: 2, prefix: name }, { flush: true }, { sleep: 600_000 }]),
    );
    const codes = exitCodes(workers);
    await until(pbuf, () => pbuf.length === 8);

    await pbuf.forceStop();
    assert.deepEqual(await codes, [1, 1, 1, 1]);
    const items = pbuf.read().map(show);
    assert.equal(items.length, 8);
    assert.deepEqual(
      byWriter(items, NAMES),
      Object.fromEntries(NAMES.map((name) => [name, [`${name} 0`, `${name} 1`]])),
    );
  });

  it('a worker that ends without a final newline still delivers its last line', async () => {
    const pbuf = new LineProcBuffer();
    workerScript(pbuf, [{ write: 'first\nlast without newline' }]);
    await pbuf.wait();
    assert.deepEqual(pbuf.read(), ['first', 'last without newline']);
  });

  it('a worker that throws ends with its error as a record after its lines', async () => {
    const pbuf = new LineProcBuffer();
    const steps = [{ lines: 2, prefix: 'crash' }, { write: 'half' }, { throw: 'worker boom' }];
    workerScript(pbuf, steps);
    await pbuf.wait();

    const items = pbuf.read();
    assert.deepEqual(items.slice(0, 3), ['crash 0', 'crash 1', 'half']);
    const record = items[3] as GroupedMessage;
    const expected = [4, 'error', 'Error: worker boom'];
    assert.deepEqual([items.length, record.type, record.data[0]], expected);
  });

  it('a worker that exits with a non-zero code gets a crash record', async () => {
    const pbuf = new LineProcBuffer();
    workerScript(pbuf, [{ lines: 1, prefix: 'x' }, { exit: 3 }], { source: 'quitter' });
    await pbuf.wait();
    const expected = ['x 0', 'error: worker thread quitter exited with code 3'];
    assert.deepEqual(pbuf.read().map(show), expected);
  });
});
