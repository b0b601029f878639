import assert from 'node:assert/strict';
import { fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';

import { connectMirror, LineProcBuffer, type OutputOrigin } from '../../src/proc/index.js';
import { fixture } from '../helpers/children.js';
import { forkScript, workerScript } from './script.js';

const SCRIPT = fixture('proc-script.mjs');
const printing = [{ print: 'plain a\nplain b' }, { printErr: 'oops\n' }];

describe('LineProcBuffer links', () => {
  it('collects the plain output of a child and a worker, tagged by source', async () => {
    const pbuf = new LineProcBuffer();
    forkScript(pbuf, printing, { collectOutput: true, source: 'kid' });
    workerScript(pbuf, printing, { collectOutput: true, source: 'thread' });
    await pbuf.wait();
    assert.deepEqual((pbuf.read() as string[]).sort(), [
      '[kid:stderr] oops',
      '[kid] plain a',
      '[kid] plain b',
      '[thread:stderr] oops',
      '[thread] plain a',
      '[thread] plain b',
    ]);
  });

  it('collects a program without a mirror, tagged as tagLine says', async () => {
    const tagLine = (line: string, { source, stream }: OutputOrigin) =>
      `${stream}/${source}: ${line}`;
    const pbuf = new LineProcBuffer({ tagLine });
    const child = spawn('sh', ['-c', 'echo one; echo two >&2; printf three'], { stdio: 'pipe' });
    assert.equal(pbuf.adopt(child, { collectOutput: true, source: 'sh' }), undefined);
    await pbuf.wait();
    const expected = ['stderr/sh: two', 'stdout/sh: one', 'stdout/sh: three'];
    assert.deepEqual((pbuf.read() as string[]).sort(), expected);
  });

  it('adopts a child started with fork', async () => {
    const pbuf = new LineProcBuffer();
    const child = fork(SCRIPT, [JSON.stringify({ steps: [{ lines: 2, prefix: 'adopted' }] })]);
    pbuf.adopt(child);
    await pbuf.wait();
    assert.deepEqual(pbuf.read(), ['adopted 0', 'adopted 1']);
  });

  it('adopts a worker started elsewhere, which connects with the handle', async () => {
    const pbuf = new LineProcBuffer();
    const steps = [{ lines: 2, prefix: 'handed' }];
    const worker = new Worker(SCRIPT, { workerData: { steps, waitForHandle: true } });
    worker.postMessage(pbuf.adopt(worker, { source: 'handed' }));
    await pbuf.wait();
    assert.deepEqual(pbuf.read(), ['handed 0', 'handed 1']);
  });

  it('receive resolves as things come in, and true once no mirror is live', async () => {
    const pbuf = new LineProcBuffer();
    assert.equal(await pbuf.receive(), true);

    workerScript(pbuf, [{ lines: 1, prefix: 'r' }, { flush: true }, { sleep: 50 }, { eof: true }]);
    const answers: boolean[] = [];
    for (let done = false; !done; ) {
      done = await pbuf.receive();
      answers.push(done);
    }
    const last = answers.pop();
    assert.deepEqual([last, answers.includes(true), pbuf.read()], [true, false, ['r 0']]);
  });

  it('refuses bad options, naming them', () => {
    const cases: [() => unknown, string, string][] = [
      [
        () => new LineProcBuffer({ maxlen: 0 }),
        'RangeError',
        'maxlen must be a positive integer, got 0',
      ],
      [
        () => new LineProcBuffer({ maxLineLength: 1.5 }),
        'RangeError',
        'maxLineLength must be a positive integer, got 1.5',
      ],
      [
        () => new LineProcBuffer({ recordCrashes: 'yes' as never }),
        'TypeError',
        'recordCrashes must be a boolean',
      ],
      [
        () => new LineProcBuffer({ tagLine: 5 as never }),
        'TypeError',
        'tagLine must be a function',
      ],
      [
        () => connectMirror({ timeout: 0 }),
        'RangeError',
        'timeout must be a positive integer, got 0',
      ],
      [
        () => connectMirror({ maxQueueChars: -1 }),
        'RangeError',
        'maxQueueChars must be a positive integer, got -1',
      ],
      [
        () => connectMirror({ aggressive: 1 as never }),
        'TypeError',
        'aggressive must be a boolean, got 1',
      ],
      [
        () => connectMirror({ handle: {} as never }),
        'TypeError',
        'handle must be a handle from LineProcBuffer.adopt()',
      ],
      [
        () => new LineProcBuffer().worker(SCRIPT, { source: '' }),
        'TypeError',
        'source must be a non-empty string',
      ],
      [
        () => new LineProcBuffer().adopt({} as never),
        'TypeError',
        'adopt expects a Worker or a ChildProcess',
      ],
    ];
    for (const [make, name, message] of cases) assert.throws(make, { name, message });
  });

  it('a worker not started by a LineProcBuffer cannot connect without a handle', async () => {
    const dist = new URL('../../dist/proc/index.js', import.meta.url).href;
    const code = `const { parentPort } = require('node:worker_threads');
      import(${JSON.stringify(dist)})
        .then((m) => m.connectMirror())
        .catch((e) => parentPort.postMessage(e.name + ': ' + e.message));`;
    const [message] = await once(new Worker(code, { eval: true }), 'message');
    assert.equal(
      message,
      'TypeError: this worker was not started by LineProcBuffer.worker(): ' +
        'pass the handle from adopt()',
    );
  });
});
