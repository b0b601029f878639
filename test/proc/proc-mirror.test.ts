import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';

import { GroupedMessage } from '../../src/core/index.js';
import { LineProcBuffer } from '../../src/proc/index.js';
import { forkScript, show, workerScript } from './script.js';

describe('LineProcMirror', () => {
  it('keeps the partial lines of different mirrors apart', async () => {
    for (const aggressive of [false, true]) {
      const pbuf = new LineProcBuffer();
      for (const name of ['w0', 'w1']) {
        const steps = [
          { write: `${name} a ` },
          { flush: true },
          { sleep: 30 },
          { write: `${name} b\n` },
        ];
        workerScript(pbuf, steps, { mirror: { aggressive } });
      }
      await pbuf.wait();
      const items = pbuf.read().map(show).sort();
      assert.deepEqual(items, ['w0 a w0 b', 'w1 a w1 b'], `aggressive ${aggressive}`);
    }
  });

  it('shows the partial line in the buffer in aggressive mode only', async () => {
    const seen: unknown[] = [];
    for (const aggressive of [false, true]) {
      const pbuf = new LineProcBuffer();
      const steps = [
        { write: 'done\nhalf' },
        { flush: true },
        { notify: 'flushed' },
        { awaitParent: true },
      ];
      const worker = workerScript(pbuf, steps, { mirror: { aggressive } });
      await once(worker, 'message');
      seen.push([pbuf.read(), pbuf.length]);
      worker.postMessage('go on');
      await pbuf.wait();
      seen.push(pbuf.read());
    }
    assert.deepEqual(seen, [
      [['done'], 1],
      ['done', 'half'],
      [['done', 'half'], 2],
      ['done', 'half'],
    ]);
  });

  it('ends the partial lines before a record, and keeps stdout and stderr apart', async () => {
    const pbuf = new LineProcBuffer();
    const steps = [
      { write: 'abc' },
      { warning: 'careful' },
      { write: 'out-' },
      { stderr: 'err-' },
      { write: '1\n' },
      { stderr: '2\n' },
      { error: 'failed' },
    ];
    forkScript(pbuf, steps);
    await pbuf.wait();
    const expected = ['abc', 'warning: careful', 'out-1', 'err-2', 'error: failed'];
    assert.deepEqual(pbuf.read().map(show), expected);
  });

  it('captures console output for a scope; a throw there ends the mirror', async () => {
    const pbuf = new LineProcBuffer();
    const steps = [{ console: 'hello' }, { captureThrow: 'bad scope' }];
    workerScript(pbuf, steps, { collectOutput: true, source: 'w' });
    await pbuf.wait();

    const items = pbuf.read();
    assert.deepEqual(items.slice(0, 2), ['hello', 'before the throw']);
    const record = items[2] as GroupedMessage;
    assert.deepEqual([record.type, record.data[0]], ['error', 'Error: bad scope']);
    assert.deepEqual(items.slice(3), ['[w] capture threw bad scope']);
  });

  it('forwards process warnings as warning records when asked', async () => {
    const pbuf = new LineProcBuffer();
    const steps = [{ emitWarning: 'mind the gap' }, { sleep: 10 }];
    workerScript(pbuf, steps, { mirror: { forwardWarnings: true }, stderr: true });
    await pbuf.wait();

    const [record, ...rest] = pbuf.read() as GroupedMessage[];
    const expected = ['warning', 'Warning: mind the gap', []];
    assert.deepEqual([record?.type, record?.data[0], rest], expected);
  });

  it('a worker waits for room when its queue is full, and loses nothing', async () => {
    const pbuf = new LineProcBuffer({ maxlen: 5000 });
    workerScript(pbuf, [{ lines: 3000, prefix: 'q' }], { mirror: { maxQueueChars: 200 } });
    await pbuf.wait();
    assert.deepEqual(
      pbuf.read(),
      Array.from({ length: 3000 }, (_, i) => `q ${i}`),
    );
  });

  it('a child refuses a write past its queue limit, and reports it on close', async () => {
    const pbuf = new LineProcBuffer();
    const steps = [
      { tryWrite: `${'x'.repeat(150)}\n` },
      { tryWrite: 'kept\n' },
      { closeReport: true },
    ];
    forkScript(pbuf, steps, { mirror: { maxQueueChars: 100 }, collectOutput: true, source: 'c' });
    await pbuf.wait();

    // Printed output and mirror lines travel apart: each keeps its own order.
    const items = pbuf.read() as string[];
    const printed = items.filter((item) => item.startsWith('[c] '));
    const mirrored = items.filter((item) => !item.startsWith('[c] '));
    const expected = ['[c] write -> false', '[c] write -> true', '[c] SYNCSTREAM_UNDELIVERED 1'];
    assert.deepEqual(printed, expected);
    assert.deepEqual(mirrored, ['kept']);
  });

  it('a child that awaits drain() when write returns false delivers every line', async () => {
    const pbuf = new LineProcBuffer({ maxlen: 5000 });
    forkScript(pbuf, [{ linesDrained: 3000, prefix: 'd' }], { mirror: { maxQueueChars: 400 } });
    await pbuf.wait();
    assert.deepEqual(
      pbuf.read(),
      Array.from({ length: 3000 }, (_, i) => `d ${i}`),
    );
  });

  it('cuts a partial line longer than maxLineLength, and counts the cut', async () => {
    const pbuf = new LineProcBuffer({ maxLineLength: 10 });
    forkScript(pbuf, [{ write: 'a'.repeat(25) }], { mirror: { aggressive: true } });
    await pbuf.wait();
    assert.deepEqual([pbuf.read(), pbuf.cutLines], [['a'.repeat(10), 'a'.repeat(10), 'aaaaa'], 2]);
  });

  it('turns a malformed message into an error record and goes on', async () => {
    const pbuf = new LineProcBuffer();
    const raw = { 'syncstream-proc': 1, seq: 1, ops: [{ op: 'bogus' }] };
    forkScript(pbuf, [{ raw }, { sleep: 10 }, { write: 'after\n' }], { source: 'odd' });
    await pbuf.wait();
    assert.deepEqual(pbuf.read().map(show), [
      'error: malformed message from odd: unknown op "bogus"',
      'after',
    ]);
  });

  it('is stopped when it connects after stopAllMirrors (a child at its first wait)', async () => {
    const pbuf = new LineProcBuffer();
    pbuf.stopAllMirrors();
    forkScript(pbuf, [{ untilStopped: 50, prefix: 'c' }], { collectOutput: true, source: 'c' });
    workerScript(pbuf, [{ untilStopped: 50, prefix: 'w' }], { collectOutput: true, source: 'w' });
    await pbuf.wait();
    // The flag is in a worker's shared memory before it starts; a child reads it from
    // its IPC channel once its event loop runs, after the first, synchronous write.
    assert.deepEqual((pbuf.read() as string[]).sort(), [
      '[c] c ended by SYNCSTREAM_STOPPED',
      '[w] w ended by SYNCSTREAM_STOPPED',
      'c tick 0',
    ]);
  });

  it('does not end a child that still waits for its own IPC messages', async () => {
    const pbuf = new LineProcBuffer();
    const steps = [{ notify: 'ready' }, { awaitParent: true }, { lines: 1, prefix: 'late' }];
    const child = forkScript(pbuf, steps);
    await once(child, 'message');
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.send('go');
    await pbuf.wait();
    assert.deepEqual(pbuf.read(), ['late 0']);
  });
});
