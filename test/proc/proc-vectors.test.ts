import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { LineProcBuffer } from '../../src/proc/index.js';
import { fixture } from '../helpers/children.js';
import { lineCases, type LineCase } from '../helpers/vectors.js';

const cases = lineCases();

/** Plays a case in a worker through an aggressive mirror; returns what the buffer read. */
async function play(c: LineCase): Promise<{ reads: Record<string, unknown[]>; length: number }> {
  const pbuf = new LineProcBuffer({ maxlen: c.maxlen });
  const worker = pbuf.worker(fixture('proc-vector-case.mjs'), { workerData: { steps: c.steps } });
  const result = { reads: {} as Record<string, unknown[]>, length: -1 };
  worker.on('message', (message: string) => {
    if (message === 'clear') pbuf.clear();
    if (message === 'done') {
      for (const key of Object.keys(c.reads)) {
        result.reads[key] = key === 'all' ? pbuf.read() : pbuf.read(Number(key));
      }
      result.length = pbuf.length;
    }
    worker.postMessage('ok');
  });
  await pbuf.wait();
  return result;
}

describe('lines.json vectors through a LineProcBuffer (worker, aggressive mirror)', () => {
  it('has the 37 recorded cases', () => {
    assert.equal(cases.length, 37);
  });

  for (const c of cases) {
    it(c.name, async () => {
      const got = await play(c);
      assert.deepEqual(got, { reads: c.reads, length: c.length });
    });
  }
});
