/**
 * LineFileBuffer in one process: the reference's file layout, partial lines kept apart
 * by tmpId, clear, records, capture, the parseLines hook, and many buffers of one
 * process on one path.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { GroupedMessage, type Item } from '../../src/core/index.js';
import { dropExtension, LineFileBuffer } from '../../src/file/index.js';
import { openLockFiles } from '../../src/file/process-locks.js';

let root: string;
let serial = 0;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'syncstream-file-buf-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

async function freshDir(): Promise<string> {
  return mkdtemp(join(root, `d${(serial += 1)}-`));
}

async function filesOf(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort())
    out[name] = await readFile(join(dir, name), 'utf8');
  return out;
}

describe('the file layout', () => {
  it("is the reference's: P-0.log newest, P-<tmpId>.tmp, P.lock, P-<tmpId>.lock", async () => {
    const dir = await freshDir();
    const buf = new LineFileBuffer(join(dir, 'run.log'), { maxlen: 3, tmpId: 'w1' });
    buf.write('a\nb\nc\nd\npart');
    await buf.flush();

    assert.deepEqual(await filesOf(dir), {
      'run-0.log': 'd',
      'run-1.log': 'c',
      'run-2.log': 'b',
      'run-w1.lock': '',
      'run-w1.tmp': 'part',
      'run.lock': '',
    });
    assert.deepEqual(await buf.read(), ['c', 'd', 'part']);
  });

  it('stores records as their text, one item each', async () => {
    const dir = await freshDir();
    const buf = new LineFileBuffer(join(dir, 'run'), { maxlen: 5 });
    buf.write('before ');
    buf.writeRecord(new GroupedMessage(['careful', 'now'], 'warning'));
    const error = new Error('boom');
    buf.writeError(error);
    await buf.close();

    const stack = GroupedMessage.fromError(error).toString();
    assert.deepEqual(await buf.read(), ['before ', 'careful\nnow', stack]);
    assert.deepEqual(await filesOf(dir), {
      'run-0.log': stack,
      'run-1.log': 'careful\nnow',
      'run-2.log': 'before ',
      'run-tmp.lock': '',
      'run.lock': '',
    });
  });

  it("drops the extension by Python's os.path.splitext rules", () => {
    const names = [
      'run.log',
      'run',
      'a.b.c',
      '.log',
      '..log',
      '...log',
      'b.',
      '.a.b',
      'x.tar.gz',
      '..',
    ];
    const python = execFileSync('python3', [
      '-c',
      'import json, os, sys; print(json.dumps([os.path.splitext(n)[0] for n in sys.argv[1:]]))',
      ...names,
    ]);
    assert.deepEqual(names.map(dropExtension), JSON.parse(python.toString()));
    assert.deepEqual(names.map(dropExtension), [
      'run',
      'run',
      'a.b',
      '.log',
      '..log',
      '...log',
      'b',
      '.a',
      'x.tar',
      '..',
    ]);
  });

  it('reads item files left by a writer with a larger maxlen only up to its own', async () => {
    const dir = await freshDir();
    for (const i of [0, 1, 2, 3]) await writeFile(join(dir, `run-${i}.log`), `item ${i}`);
    const buf = new LineFileBuffer(join(dir, 'run.log'), { maxlen: 2 });
    assert.deepEqual(await buf.read(), ['item 1', 'item 0']);
    assert.equal(await buf.length, 2);
  });

  it('skips a gap that a killed writer left, and pushes it out later', async () => {
    const dir = await freshDir();
    for (const i of [0, 2]) await writeFile(join(dir, `run-${i}.log`), `item ${i}`);
    await writeFile(join(dir, 'run.item.part'), 'half an it');
    const buf = new LineFileBuffer(join(dir, 'run.log'), { maxlen: 3 });
    assert.deepEqual(await buf.read(), ['item 2', 'item 0']);
    assert.equal(await buf.length, 2);

    buf.write('new\n');
    assert.deepEqual(await buf.read(), ['item 0', 'new']);
    assert.deepEqual(Object.keys(await filesOf(dir)), [
      'run-0.log',
      'run-1.log',
      'run-tmp.lock',
      'run.lock',
    ]);
  });
});

describe('partial lines', () => {
  it('of buffers with different tmpIds stay apart', async () => {
    const path = join(await freshDir(), 'run.log');
    const a = new LineFileBuffer(path, { tmpId: 'a' });
    const b = new LineFileBuffer(path, { tmpId: 'b' });
    a.write('a starts, ');
    b.write('b starts, ');
    await Promise.all([a.flush(), b.flush()]);
    assert.deepEqual(await a.read(), ['a starts, ']);
    assert.deepEqual(await b.read(), ['b starts, ']);

    // One after the other: two flushes at once may take the lock in either order.
    b.write('b ends\n');
    await b.flush();
    a.write('a ends\n');
    await a.flush();
    assert.deepEqual(await a.read(), ['b starts, b ends', 'a starts, a ends']);
  });

  it('of buffers with the same tmpId are one, as with the reference', async () => {
    const path = join(await freshDir(), 'run.log');
    const a = new LineFileBuffer(path);
    const b = new LineFileBuffer(path);
    a.write('from a, ');
    await a.flush();
    b.write('from b\n');
    assert.deepEqual(await a.read(), ['from a, from b']);
  });

  it('a CRLF split over two writes is one break', async () => {
    const buf = new LineFileBuffer(join(await freshDir(), 'run.log'));
    buf.write('one\r');
    await buf.flush();
    buf.write('\ntwo\n');
    assert.deepEqual(await buf.read(), ['one', 'two']);
  });
});

describe('clear', () => {
  it("removes every item and this writer's partial line, not another's", async () => {
    const dir = await freshDir();
    const path = join(dir, 'run.log');
    const a = new LineFileBuffer(path, { tmpId: 'a', maxlen: 3 });
    const b = new LineFileBuffer(path, { tmpId: 'b', maxlen: 3 });
    await writeFile(join(dir, 'run-7.log'), 'from a writer with maxlen 8');
    a.write('1\n2\n3\n4\nmine');
    b.write('theirs');
    await Promise.all([a.flush(), b.flush()]);

    await a.clear();
    assert.deepEqual(await a.read(), []);
    assert.equal(await a.length, 0);
    assert.deepEqual(await b.read(), ['theirs']);
    assert.deepEqual(Object.keys(await filesOf(dir)), [
      'run-a.lock',
      'run-b.lock',
      'run-b.tmp',
      'run.lock',
    ]);

    a.write('again\n');
    assert.deepEqual(await a.read(), ['again']);
  });
});

describe('close', () => {
  it('stores the partial line; given an error, stores it as a record', async () => {
    const path = join(await freshDir(), 'run.log');
    const plain = new LineFileBuffer(path, { tmpId: 'p' });
    plain.write('unfinished');
    const closing = plain.close();
    assert.equal(plain.close(), closing);
    await closing;
    assert.equal(plain.closed, true);

    const failing = new LineFileBuffer(path, { tmpId: 'f' });
    failing.write('half');
    const error = new TypeError('bad input');
    await failing.close(error);
    assert.deepEqual(await failing.read(), [
      'unfinished',
      'half',
      GroupedMessage.fromError(error).toString(),
    ]);
  });
});

describe('capture', () => {
  it('stores what the scope prints, and a throw as an error record', async () => {
    const buf = new LineFileBuffer(join(await freshDir(), 'run.log'), { maxlen: 10 });
    const result = await buf.capture(() => {
      console.log('one');
      process.stdout.write('two\nthr');
      process.stderr.write('ee\n');
      return 42;
    });
    assert.equal(result, 42);
    assert.deepEqual(await buf.read(), ['one', 'two', 'three']);

    const error = new RangeError('out of range');
    await assert.rejects(
      buf.capture(
        async () => {
          console.log('before the throw');
          throw error;
        },
        { scope: 'async' },
      ),
      error,
    );
    assert.deepEqual((await buf.read()).slice(3), [
      'before the throw',
      GroupedMessage.fromError(error).toString(),
    ]);
  });
});

describe('parseLines', () => {
  class ProgressBuffer extends LineFileBuffer {
    progress = 0;

    protected override parseLines(items: Item[]): void {
      const rest = items.filter((item) => {
        const match = typeof item === 'string' ? /^Progress: (\d+)%$/.exec(item) : null;
        if (match) this.progress = Number(match[1]);
        return !match;
      });
      super.parseLines(rest);
    }
  }

  it('can consume some items and pass the rest on', async () => {
    const buf = new ProgressBuffer(join(await freshDir(), 'run.log'));
    buf.write('start\nProgress: 10%\nProgress: 60%\nhalf way\nProgress: 100%\n');
    assert.deepEqual(await buf.read(), ['start', 'half way']);
    assert.equal(buf.progress, 100);
  });
});

describe('many buffers of one process on one path', () => {
  it('exclude each other (fcntl alone would not) and lose nothing', async () => {
    const path = join(await freshDir(), 'run.log');
    const writers = Array.from(
      { length: 5 },
      (_, k) => new LineFileBuffer(path, { tmpId: `t${k}`, maxlen: 300 }),
    );
    await Promise.all(
      writers.map(async (buf, k) => {
        for (let i = 0; i < 50; i += 1) {
          buf.write(`t${k}-`);
          if (i % 3 === 0) await buf.flush();
          buf.write(`${i}\n`);
          if (i % 4 === 0) await buf.flush();
        }
        await buf.close();
      }),
    );

    const items = await new LineFileBuffer(path, { maxlen: 300 }).read();
    assert.equal(items.length, 250);
    for (let k = 0; k < 5; k += 1) {
      const seen = items.filter((x) => x.startsWith(`t${k}-`)).map((x) => Number(x.slice(3)));
      assert.deepEqual(
        seen,
        Array.from({ length: 50 }, (_, i) => i),
      );
    }
    assert.equal(openLockFiles(), 0, 'each lock file is closed once no buffer uses it');
  });
});
