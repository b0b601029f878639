/**
 * Every case of lines.json through a LineFileBuffer, each in a fresh folder, so the
 * files and locks give the same answers as the in-memory buffer.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { LineFileBuffer } from '../../src/file/index.js';
import { openLockFiles } from '../../src/file/process-locks.js';
import { lineCases } from '../helpers/vectors.js';

const cases = lineCases();

describe('lines.json vectors through LineFileBuffer', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'syncstream-file-vectors-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('has the 37 recorded cases', () => {
    assert.equal(cases.length, 37);
  });

  cases.forEach((c, index) => {
    it(c.name, async () => {
      const dir = join(root, `case-${index}`);
      await mkdir(dir);
      const buf = new LineFileBuffer(join(dir, 'log.txt'), { maxlen: c.maxlen });
      for (const step of c.steps) {
        if (typeof step === 'string') buf.write(step);
        else if (step.op === 'newLine') buf.newLine();
        else await buf.clear();
      }

      for (const [key, expected] of Object.entries(c.reads)) {
        const got = key === 'all' ? await buf.read() : await buf.read(Number(key));
        assert.deepEqual(got, expected, `read(${key})`);
      }
      assert.equal(await buf.length, c.length);
      await buf.flush();
      assert.equal(openLockFiles(), 0);
    });
  });

  it("left only the layout's files behind", async () => {
    const names = new Set<string>();
    for (const dir of await readdir(root)) {
      for (const name of await readdir(join(root, dir))) {
        names.add(name.replace(/-\d+\.log$/, '-N.log'));
      }
    }
    assert.deepEqual([...names].sort(), ['log-N.log', 'log-tmp.lock', 'log-tmp.tmp', 'log.lock']);
  });
});
