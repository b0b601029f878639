import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { LineBuffer } from '../../src/index.js';
import { lineCases } from '../helpers/vectors.js';

const cases = lineCases();

describe('lines.json vectors through LineBuffer', () => {
  it('has the 37 recorded cases', () => {
    assert.equal(cases.length, 37);
  });

  for (const c of cases) {
    it(c.name, () => {
      const buf = new LineBuffer({ maxlen: c.maxlen });
      for (const step of c.steps) {
        if (typeof step === 'string') buf.write(step);
        else if (step.op === 'newLine') buf.newLine();
        else buf.clear();
      }

      for (const [key, expected] of Object.entries(c.reads)) {
        const got = key === 'all' ? buf.read() : buf.read(Number(key));
        assert.deepEqual(got, expected, `read(${key})`);
      }
      assert.equal(buf.length, c.length);
    });
  }
});
