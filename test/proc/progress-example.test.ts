import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ProgressBuffer } from '../../examples/proc-progress/progress-buffer.js';

const ENTRY = new URL('../../examples/proc-progress/task-entry.mjs', import.meta.url);

describe('examples/proc-progress: a LineProcBuffer derived to track progress', () => {
  it('takes the progress lines out as they come, and keeps the other lines', async () => {
    const calls: [string, number][] = [];
    const onProgress = (source: string, percent: number) => calls.push([source, percent]);
    const pbuf = new ProgressBuffer({ maxlen: 100, onProgress });
    const names = ['alpha', 'beta'];
    for (const name of names) {
      pbuf.worker(ENTRY, { source: name, workerData: { name, steps: 4, stepMs: 1 } });
    }
    await pbuf.wait();

    const of = (name: string) => calls.filter(([s]) => s === name).map(([, percent]) => percent);
    assert.deepEqual(names.map(of), [
      [25, 50, 75, 100],
      [25, 50, 75, 100],
    ]);
    assert.deepEqual([...pbuf.progress].sort(), [
      ['alpha', 100],
      ['beta', 100],
    ]);
    assert.equal(pbuf.overall(names), 100);

    const items = pbuf.read() as string[];
    assert.equal(items.length, 8);
    for (const name of names) {
      const steps = ['started', 'finished step 2', 'finished step 4', 'done'];
      const expected = steps.map((step) => `${name}: ${step}`);
      assert.deepEqual(
        items.filter((item) => item.startsWith(`${name}:`)),
        expected,
      );
    }
  });

  it('counts a source that has not reported as 0 in the overall progress', () => {
    const pbuf = new ProgressBuffer();
    assert.deepEqual([pbuf.overall(['a', 'b']), pbuf.overall([])], [0, 0]);
  });
});
