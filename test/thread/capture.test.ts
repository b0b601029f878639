import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ClosedError } from '../../src/core/index.js';
import { captureToBuffer, LineBuffer, startBufferCapture } from '../../src/thread/index.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('capture into a LineBuffer', () => {
  // A process scope takes every write of the process, the test runner's own included:
  // the process-scope tests below never yield to the event loop inside the scope.
  it('takes console and stream writes of a process scope as lines', async () => {
    const buf = new LineBuffer({ maxlen: 10 });
    const result = await captureToBuffer(buf, () => {
      console.log('from log');
      console.error('from error');
      process.stdout.write('part ');
      process.stdout.write('whole\n');
      process.stderr.write('tail');
      return 42;
    });
    assert.deepEqual([result, buf.read()], [42, ['from log', 'from error', 'part whole', 'tail']]);
  });

  it('puts the real writers back after the scope, even when it throws', async () => {
    const writers = [process.stdout.write, process.stderr.write];
    const buf = new LineBuffer();
    const boom = new Error('boom');
    await assert.rejects(
      captureToBuffer(buf, () => {
        console.log('before');
        throw boom;
      }),
      (error) => error === boom,
    );
    assert.deepEqual([process.stdout.write, process.stderr.write], writers);
    assert.deepEqual(buf.read(), ['before']);
  });

  it('decodes bytes, a character split across two writes included', async () => {
    const buf = new LineBuffer();
    const bytes = Buffer.from('héllo\n');
    await captureToBuffer(buf, () => {
      process.stdout.write(bytes.subarray(0, 2));
      process.stdout.write(bytes.subarray(2));
    });
    assert.deepEqual(buf.read(), ['héllo']);
  });

  it('keeps concurrent async scopes apart, each in its own buffer', async () => {
    const names = ['a', 'b', 'c'];
    const buffers = names.map(() => new LineBuffer({ maxlen: 10 }));
    await Promise.all(
      names.map((name, i) =>
        captureToBuffer(
          buffers[i] as LineBuffer,
          async () => {
            for (let n = 0; n < 3; n += 1) {
              process.stdout.write(`${name}${n}`);
              await tick();
              console.log(` done`);
            }
          },
          { scope: 'async' },
        ),
      ),
    );
    assert.deepEqual(
      buffers.map((b) => b.read()),
      names.map((name) => [`${name}0 done`, `${name}1 done`, `${name}2 done`]),
    );
  });

  it('sends writes to the innermost process scope, then back to the outer one', async () => {
    const outer = new LineBuffer();
    const inner = new LineBuffer();
    await captureToBuffer(outer, () => {
      console.log('outer 1');
      const handle = startBufferCapture(inner);
      console.log('inner');
      handle.stop();
      console.log('outer 2');
    });
    assert.deepEqual([outer.read(), inner.read()], [['outer 1', 'outer 2'], ['inner']]);
  });

  it('captures until a started capture is stopped', () => {
    const buf = new LineBuffer();
    const writers = [process.stdout.write, process.stderr.write];
    {
      using _capture = startBufferCapture(buf);
      console.log('inside');
    }
    const now = [process.stdout.write, process.stderr.write];
    assert.deepEqual([buf.read(), now], [['inside'], writers]);
  });

  it("passes a closed buffer's error to the code that wrote", async () => {
    const buf = new LineBuffer();
    buf.close();
    await assert.rejects(
      captureToBuffer(buf, () => process.stdout.write('late\n')),
      (error) => error instanceof ClosedError && error.code === 'SYNCSTREAM_CLOSED',
    );
  });
});
