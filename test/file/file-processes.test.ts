/**
 * Real processes sharing one log: four writers at once, and writers killed with
 * SIGKILL, in the middle of their work or while holding a lock.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { DeliveryError, LimitError } from '../../src/core/index.js';
import { LineFileBuffer } from '../../src/file/index.js';
import { killLiveChildren, startTsFixture, startWriter } from './children.js';

const TIMEOUT = { timeout: 120_000 };

let root: string;
let serial = 0;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'syncstream-file-proc-'));
});
after(async () => {
  killLiveChildren();
  await rm(root, { recursive: true, force: true });
});

async function freshLog(): Promise<string> {
  const dir = await mkdtemp(join(root, `log-${(serial += 1)}-`));
  return join(dir, 'shared.log');
}

/** The indices of `prefix` lines among `items`, in the order they appear. */
function indicesOf(items: string[], prefix: string): number[] {
  return items
    .filter((x) => x.startsWith(`${prefix}-`))
    .map((x) => Number(x.slice(prefix.length + 1)));
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('four writer processes on one path', () => {
  it("stores every line once, whole, in each writer's order", TIMEOUT, async () => {
    const path = await freshLog();
    const writers = range(4).map((k) =>
      startWriter({ path, tmpId: `w${k}`, maxlen: 256, prefix: `w${k}`, count: 50, flushEvery: 3 }),
    );
    await Promise.all(writers.map((w) => w.exited()));

    const buf = new LineFileBuffer(path, { maxlen: 256 });
    const items = await buf.read();
    assert.equal(items.length, 200);
    for (const k of range(4)) assert.deepEqual(indicesOf(items, `w${k}`), range(50));
    assert.deepEqual(
      items.filter((x) => !/^w[0-3]-\d+$/.test(x)),
      [],
    );
    assert.equal(await buf.length, 200);

    const names = (await readdir(join(path, '..'))).filter((n) => !/^shared-\d+\.log$/.test(n));
    assert.deepEqual(names.sort(), [
      'shared-tmp.lock',
      'shared-w0.lock',
      'shared-w1.lock',
      'shared-w2.lock',
      'shared-w3.lock',
      'shared.lock',
    ]);
  });

  it('keeps exactly maxlen items, each whole, when they write more', TIMEOUT, async () => {
    const path = await freshLog();
    const writers = range(4).map((k) =>
      startWriter({ path, tmpId: `w${k}`, maxlen: 20, prefix: `w${k}`, count: 50, flushEvery: 2 }),
    );
    await Promise.all(writers.map((w) => w.exited()));

    const buf = new LineFileBuffer(path, { maxlen: 20 });
    const items = await buf.read();
    assert.equal(items.length, 20);
    assert.deepEqual(
      items.filter((x) => !/^w[0-3]-\d+$/.test(x)),
      [],
    );
    assert.equal(new Set(items).size, 20);
    for (const k of range(4)) {
      const seen = indicesOf(items, `w${k}`);
      assert.deepEqual(
        seen,
        [...seen].sort((a, b) => a - b),
      );
    }
    // The last store step of the writer that finished last holds its line 49.
    assert.match(items.at(-1) ?? '', /^w[0-3]-49$/);
    assert.equal(await buf.length, 20);
    const files = (await readdir(join(path, '..'))).filter((n) => /^shared-\d+\.log$/.test(n));
    assert.deepEqual(
      files.sort(),
      range(20)
        .map((i) => `shared-${i}.log`)
        .sort(),
    );
  });
});

describe('a writer killed with SIGKILL', () => {
  it('in the middle of its writes: the others go on and the log stays whole', TIMEOUT, async () => {
    const path = await freshLog();
    const maxlen = 400;
    const survivors = range(3).map((k) =>
      startWriter({
        path,
        tmpId: `s${k}`,
        maxlen,
        prefix: `s${k}`,
        count: 40,
        flushEvery: 2,
        pauseAt: 20,
      }),
    );
    await Promise.all(survivors.map((s) => s.waitFor('half')));

    const victim = startWriter({
      path,
      tmpId: 'victim',
      maxlen,
      prefix: 'victim',
      count: null,
      flushEvery: 1,
      runningAt: 5,
    });
    await victim.waitFor('running');
    victim.process.kill('SIGKILL');
    assert.deepEqual(await victim.exited(null), { code: null, signal: 'SIGKILL' });

    for (const s of survivors) s.send('go');
    await Promise.all(survivors.map((s) => s.exited()));

    const buf = new LineFileBuffer(path, { maxlen, tmpId: 'after' });
    const items = await buf.read();
    for (const k of range(3)) assert.deepEqual(indicesOf(items, `s${k}`), range(40));
    assert.deepEqual(
      items.filter((x) => !/^(s[0-2]|victim)-\d+$/.test(x)),
      [],
    );
    const victimLines = indicesOf(items, 'victim');
    assert.deepEqual(victimLines.slice(0, 5), range(5), 'the lines it stored before "running"');
    assert.deepEqual(
      victimLines,
      range(victimLines.length),
      'no victim line twice or out of order',
    );
    assert.equal(items.length, 120 + victimLines.length);

    buf.write('after the kill\n');
    assert.deepEqual(await buf.read(1), ['after the kill']);
  });

  it(
    'again and again at random moments: no half item, no repeat, no stuck lock',
    TIMEOUT,
    async () => {
      const path = await freshLog();
      const maxlen = 30;
      for (let round = 0; round < 6; round += 1) {
        const victim = startWriter({
          path,
          tmpId: `v${round}`,
          maxlen,
          prefix: `v${round}`,
          count: null,
          flushEvery: 1,
          runningAt: 1 + (round % 3),
        });
        await victim.waitFor('running');
        victim.process.kill('SIGKILL');
        assert.deepEqual(await victim.exited(null), { code: null, signal: 'SIGKILL' });
      }

      const buf = new LineFileBuffer(path, { maxlen, tmpId: 'after' });
      const items = await buf.read();
      assert.deepEqual(
        items.filter((x) => !/^v[0-5]-\d+$/.test(x)),
        [],
      );
      assert.equal(new Set(items).size, items.length);
      const rounds = items.map((x) => Number(x[1]));
      assert.deepEqual(rounds, [...rounds].sort(), 'the victims ran one after another');
      // A victim's lines leave the log only at its old end (past maxlen) or its new end
      // (the write it was killed in), so those left are in order and without a hole.
      for (let round = 0; round < 6; round += 1) {
        const seen = indicesOf(items, `v${round}`);
        const first = seen[0] ?? 0;
        assert.deepEqual(
          seen,
          range(seen.length).map((i) => first + i),
          `v${round}`,
        );
      }
      assert.match(items.at(-1) ?? '', /^v5-\d+$/);

      buf.write('after the kills\n');
      assert.deepEqual(await buf.read(1), ['after the kills']);
      assert.equal(await buf.length, Math.min(maxlen, items.length + 1));
    },
  );

  it(
    'while it holds its partial-line lock: only that lock waits, and the kill frees it',
    TIMEOUT,
    async () => {
      const path = await freshLog();
      const holder = startTsFixture('file-hold.ts', [path, 'same', 'partial']);
      await holder.waitFor('holding');

      const same = new LineFileBuffer(path, { tmpId: 'same', lockTimeoutMs: 300 });
      same.write('x\n');
      await assert.rejects(same.flush(), (error: unknown) => {
        assert.ok(error instanceof DeliveryError);
        assert.equal(error.undeliveredLines, 1);
        assert.ok(error.cause instanceof LimitError);
        assert.equal(
          error.cause.message,
          `LineFileBuffer: could not lock ${same.layout.partialLock} within 300 ms ` +
            '(lockTimeoutMs); another writer holds it',
        );
        return true;
      });

      const other = new LineFileBuffer(path, { tmpId: 'other', lockTimeoutMs: 300 });
      other.write('from another writer\n');
      await other.flush();
      assert.deepEqual(await other.read(), ['before', 'from another writer']);

      holder.process.kill('SIGKILL');
      await holder.exited(null);
      const after = new LineFileBuffer(path, { tmpId: 'same' });
      assert.deepEqual(await after.read(), ['before', 'from another writer', 'ho']);
      after.write('me\n');
      assert.deepEqual(await after.read(), ['before', 'from another writer', 'home']);
    },
  );

  it('while it holds the items lock: writers wait, and the kill frees it', TIMEOUT, async () => {
    const path = await freshLog();
    const holder = startTsFixture('file-hold.ts', [path, 'tmp', 'items']);
    await holder.waitFor('holding');

    const buf = new LineFileBuffer(path, { tmpId: 'mine', lockTimeoutMs: 300 });
    buf.write('a\nb');
    await assert.rejects(buf.flush(), {
      name: 'DeliveryError',
      code: 'SYNCSTREAM_UNDELIVERED',
      undeliveredLines: 2,
    });
    await assert.rejects(buf.read(), { name: 'LimitError', code: 'SYNCSTREAM_LIMIT' });

    holder.process.kill('SIGKILL');
    await holder.exited(null);
    buf.write('c\nd');
    await buf.flush();
    assert.deepEqual(await buf.read(), ['c', 'd']);
  });
});
