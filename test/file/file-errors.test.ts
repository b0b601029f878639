/** Bad paths, options and calls get errors that say what was wrong, and change nothing. */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { ClosedError, DeliveryError, LimitError } from '../../src/core/index.js';
import { LineFileBuffer } from '../../src/file/index.js';

let dir: string;
let log: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'syncstream-file-errors-'));
  log = join(dir, 'run.log');
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('bad paths', () => {
  const make = (path: unknown) => () => new LineFileBuffer(path as string);

  it('not a string, or empty', () => {
    assert.throws(make(42), {
      name: 'TypeError',
      message: 'path must be a non-empty string, got number',
    });
    assert.throws(make(''), {
      name: 'TypeError',
      message: 'path must be a non-empty string, got ""',
    });
    assert.throws(make('a\0b'), {
      name: 'TypeError',
      message: 'path must not contain a NUL character',
    });
  });

  it('a folder rather than a file', () => {
    const message = (p: string) => `path must name a file, not a folder, got ${JSON.stringify(p)}`;
    for (const p of [`${dir}/`, `${dir}/.`, `${dir}/..`]) {
      assert.throws(make(p), { name: 'TypeError', message: message(p) });
    }
  });

  it('in a folder that does not exist', () => {
    const missing = join(dir, 'no-such-folder');
    assert.throws(make(join(missing, 'run.log')), {
      name: 'Error',
      code: 'ENOENT',
      message: `LineFileBuffer: the folder ${missing} of ${missing}/run.log does not exist`,
    });
  });

  it('under something that is not a folder', async () => {
    const file = join(dir, 'plain-file');
    await writeFile(file, 'x');
    assert.throws(make(join(file, 'run.log')), {
      name: 'Error',
      code: 'ENOTDIR',
      message: `LineFileBuffer: ${file} (the folder of ${join(file, 'run.log')}) is not a folder`,
    });
  });
});

describe('bad options', () => {
  const make = (options: unknown) => () => new LineFileBuffer(log, options as object);
  const cases: [string, unknown, string, string][] = [
    ['maxlen 0', { maxlen: 0 }, 'RangeError', 'maxlen must be a positive integer, got 0'],
    ['maxlen 2.5', { maxlen: 2.5 }, 'RangeError', 'maxlen must be a positive integer, got 2.5'],
    ['maxlen "5"', { maxlen: '5' }, 'TypeError', 'maxlen must be a positive integer, got "5"'],
    ['tmpId empty', { tmpId: '' }, 'TypeError', tmpIdMessage('""')],
    ['tmpId with a slash', { tmpId: 'a/b' }, 'TypeError', tmpIdMessage('"a/b"')],
    ['tmpId with a backslash', { tmpId: 'a\\b' }, 'TypeError', tmpIdMessage('"a\\\\b"')],
    [
      'tmpId too long',
      { tmpId: 'x'.repeat(129) },
      'TypeError',
      tmpIdMessage(`"${'x'.repeat(129)}"`),
    ],
    ['tmpId a number', { tmpId: 7 }, 'TypeError', tmpIdMessage('number')],
    ['lockTimeoutMs -1', { lockTimeoutMs: -1 }, 'RangeError', timeoutMessage('-1')],
    ['lockTimeoutMs NaN', { lockTimeoutMs: NaN }, 'RangeError', timeoutMessage('NaN')],
    [
      'maxQueuedChars 0',
      { maxQueuedChars: 0 },
      'RangeError',
      'maxQueuedChars must be a positive integer, got 0',
    ],
    [
      'maxLineLength -5',
      { maxLineLength: -5 },
      'RangeError',
      'maxLineLength must be a positive integer, got -5',
    ],
    [
      'a misspelt option',
      { tmpid: 'w1' },
      'TypeError',
      'LineFileBuffer has no option "tmpid"; it has ' +
        'maxlen, tmpId, lockTimeoutMs, maxQueuedChars, maxLineLength',
    ],
    ['not an object', 'w1', 'TypeError', 'LineFileBuffer options must be an object, got "w1"'],
    ['null', null, 'TypeError', 'LineFileBuffer options must be an object, got null'],
  ];
  for (const [name, options, errorName, message] of cases) {
    it(name, () => assert.throws(make(options), { name: errorName, message }));
  }

  it('made no file for any of them', async () => {
    assert.deepEqual(await readdir(dir), ['plain-file']);
  });

  it('Infinity is a valid lockTimeoutMs', () => {
    assert.equal(
      new LineFileBuffer(log, { lockTimeoutMs: Infinity }).options.lockTimeoutMs,
      Infinity,
    );
  });
});

describe('bad calls', () => {
  it('write, writeRecord and read check their arguments', async () => {
    const buf = new LineFileBuffer(log);
    assert.throws(() => buf.write(5 as unknown as string), {
      name: 'TypeError',
      message: 'write expects a string, got number',
    });
    assert.throws(() => buf.writeRecord('x' as never), {
      name: 'TypeError',
      message: 'writeRecord expects a GroupedMessage',
    });
    await assert.rejects(buf.read(1.5), {
      name: 'TypeError',
      message: 'read size must be an integer, got 1.5',
    });
  });

  it('writes after close are refused with a ClosedError', async () => {
    const buf = new LineFileBuffer(log, { tmpId: 'closing' });
    buf.write('last words');
    await buf.close();
    const refused = {
      name: 'ClosedError',
      code: 'SYNCSTREAM_CLOSED',
      message: `cannot write to a closed LineFileBuffer (${join(dir, 'run')})`,
    };
    assert.throws(() => buf.write('more\n'), refused);
    assert.throws(() => buf.newLine(), refused);
    assert.throws(
      () => buf.writeError(new Error('late')),
      (e: unknown) => e instanceof ClosedError,
    );
    assert.deepEqual(await buf.read(), ['last words']);
    await buf.clear();
  });

  it('a write past maxQueuedChars is refused whole, with a LimitError', async () => {
    const buf = new LineFileBuffer(log, { maxQueuedChars: 10, tmpId: 'queue' });
    buf.write('12345');
    assert.throws(() => buf.write('1234567\n'), {
      name: 'LimitError',
      code: 'SYNCSTREAM_LIMIT',
      message:
        'LineFileBuffer: 5 characters already wait for the disk; a write of 8 more would ' +
        'pass maxQueuedChars (10)',
    });
    buf.write('6789\n');
    assert.deepEqual(await buf.read(), ['123456789']);
    buf.write('1234567890');
    await buf.flush();
    assert.deepEqual(await buf.read(), ['123456789', '1234567890']);
    await buf.clear();
  });

  it('a partial line past maxLineLength is refused, and flush reports it', async () => {
    const buf = new LineFileBuffer(log, { maxLineLength: 5, tmpId: 'long' });
    buf.write('ok\n');
    await buf.flush();
    buf.write('fine\n123');
    buf.write('456');
    await assert.rejects(buf.flush(), (error: unknown) => {
      assert.ok(error instanceof DeliveryError);
      assert.equal(error.undeliveredLines, 2);
      assert.equal(
        error.message,
        `2 lines were not delivered to the log ${join(dir, 'run')}: LineFileBuffer: ` +
          'a write would leave a partial line of 6 characters, over maxLineLength (5)',
      );
      assert.ok(error.cause instanceof LimitError);
      return true;
    });
    assert.deepEqual(await buf.read(), ['ok']);
    await buf.flush();
    buf.write('12345\n');
    await buf.flush();
    assert.deepEqual(await buf.read(), ['ok', '12345']);
    await buf.clear();
  });
});

function tmpIdMessage(got: string): string {
  return `tmpId must be a string of 1 to 128 characters without "/", "\\" or NUL, got ${got}`;
}

function timeoutMessage(got: string): string {
  return `lockTimeoutMs must be a number of milliseconds >= 0 (or Infinity), got ${got}`;
}
