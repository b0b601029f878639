/**
 * Node and Python on one log: the locks exclude each other both ways (Python takes them
 * with fcntl.lockf, as the reference does), a Python reader reads what Node wrote, and
 * Node and Python writers running at once lose and repeat nothing.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { DeliveryError, LimitError } from '../../src/core/index.js';
import { LineFileBuffer } from '../../src/file/index.js';
import {
  killLiveChildren,
  startPython,
  startTsFixture,
  startWriter,
  type Child,
} from './children.js';

const TIMEOUT = { timeout: 120_000 };

let root: string;
let serial = 0;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'syncstream-file-py-'));
});
after(async () => {
  killLiveChildren();
  await rm(root, { recursive: true, force: true });
});

async function freshLog(): Promise<string> {
  const dir = await mkdtemp(join(root, `log-${(serial += 1)}-`));
  return join(dir, 'run.log');
}

/** Runs the Python fixture to its end and parses the JSON it printed. */
async function pythonJson(args: string[]): Promise<unknown> {
  const child = startPython(args);
  let out = '';
  child.process.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  await child.exited();
  return JSON.parse(out);
}

async function hold(lock: string, kind: 'ex' | 'sh'): Promise<Child> {
  const child = startPython(['hold', lock, kind]);
  await child.waitFor('locked');
  return child;
}

function isLockTimeout(lock: string, ms: number) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof LimitError);
    assert.equal(
      error.message,
      `LineFileBuffer: could not lock ${lock} within ${ms} ms (lockTimeoutMs); ` +
        'another writer holds it',
    );
    return true;
  };
}

describe('a Python process holding the lock', () => {
  it('exclusive: a Node write and read wait for it, then go through', TIMEOUT, async () => {
    const path = await freshLog();
    const buf = new LineFileBuffer(path, { lockTimeoutMs: 300 });
    const python = await hold(buf.layout.itemsLock, 'ex');

    buf.write('one\n');
    await assert.rejects(buf.flush(), (error: unknown) => {
      assert.ok(error instanceof DeliveryError);
      return isLockTimeout(buf.layout.itemsLock, 300)(error.cause);
    });
    await assert.rejects(buf.read(), isLockTimeout(buf.layout.itemsLock, 300));
    assert.deepEqual((await readdir(join(path, '..'))).sort(), ['run-tmp.lock', 'run.lock']);

    python.send('release');
    await python.exited();
    buf.write('two\n');
    await buf.flush();
    assert.deepEqual(await buf.read(), ['two']);
  });

  it('shared: a Node read goes through, a Node write waits', TIMEOUT, async () => {
    const path = await freshLog();
    const buf = new LineFileBuffer(path, { lockTimeoutMs: 300 });
    buf.write('kept\n');
    await buf.flush();
    const python = await hold(buf.layout.itemsLock, 'sh');

    assert.deepEqual(await buf.read(), ['kept']);
    buf.write('later\n');
    await assert.rejects(buf.flush(), { name: 'DeliveryError', undeliveredLines: 1 });

    python.send('release');
    await python.exited();
    assert.deepEqual(await buf.read(), ['kept']);
  });

  it('on the partial line of one tmpId: only that writer waits', TIMEOUT, async () => {
    const path = await freshLog();
    const blocked = new LineFileBuffer(path, { tmpId: 'a', lockTimeoutMs: 300 });
    const free = new LineFileBuffer(path, { tmpId: 'b', lockTimeoutMs: 300 });
    const python = await hold(blocked.layout.partialLock, 'ex');

    blocked.write('from a\n');
    await assert.rejects(blocked.flush(), { name: 'DeliveryError', undeliveredLines: 1 });
    free.write('from b\n');
    await free.flush();
    assert.deepEqual(await free.read(), ['from b']);

    python.send('release');
    await python.exited();
  });
});

describe('a Node process holding the lock', () => {
  it('keeps Python out of the items lock until it is killed', TIMEOUT, async () => {
    const path = await freshLog();
    const layout = new LineFileBuffer(path).layout;
    const holder = startTsFixture('file-hold.ts', [path, 'tmp', 'items']);
    await holder.waitFor('holding');

    assert.deepEqual(await pythonJson(['try', layout.itemsLock, layout.partialLock]), [
      'busy',
      'busy',
      'free',
      'free',
    ]);
    holder.process.kill('SIGKILL');
    await holder.exited(null);
    assert.deepEqual(await pythonJson(['try', layout.itemsLock]), ['free', 'free']);
  });

  it('keeps Python out of the partial-line lock inside a store step', TIMEOUT, async () => {
    const path = await freshLog();
    const layout = new LineFileBuffer(path, { tmpId: 'n1' }).layout;
    const holder = startTsFixture('file-hold.ts', [path, 'n1', 'partial']);
    await holder.waitFor('holding');

    assert.deepEqual(await pythonJson(['try', layout.partialLock, layout.itemsLock]), [
      'busy',
      'busy',
      'free',
      'free',
    ]);
    holder.process.kill('SIGKILL');
    await holder.exited(null);
  });
});

describe('Node and Python on one log', () => {
  it('a Python reader sees what Node wrote, in the same order', TIMEOUT, async () => {
    const path = await freshLog();
    const buf = new LineFileBuffer(path, { maxlen: 4 });
    buf.write('a\nb\nc\nd\ne\n');
    buf.writeError(new Error('boom', { cause: new Error('root') }));
    const items = await buf.read();

    assert.equal(items.length, 4);
    assert.deepEqual(await pythonJson(['read', buf.layout.stem, '4']), items);
  });

  it('writers of both run at once and every line is stored once', TIMEOUT, async () => {
    const path = await freshLog();
    const maxlen = 200;
    const stem = new LineFileBuffer(path).layout.stem;
    const node = [0, 1].map((k) =>
      startWriter({ path, tmpId: `n${k}`, maxlen, prefix: `n${k}`, count: 40, flushEvery: 2 }),
    );
    const python = [0, 1].map((k) => startPython(['write', stem, String(maxlen), `p${k}`, '40']));
    await Promise.all([...node, ...python].map((child) => child.exited()));

    const items = await new LineFileBuffer(path, { maxlen }).read();
    assert.equal(items.length, 160);
    for (const prefix of ['n0', 'n1', 'p0', 'p1']) {
      const seen = items.filter((x) => x.startsWith(`${prefix}-`)).map((x) => Number(x.slice(3)));
      assert.deepEqual(
        seen,
        Array.from({ length: 40 }, (_, i) => i),
        prefix,
      );
    }
  });
});
