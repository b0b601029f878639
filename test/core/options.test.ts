import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { LineBuffer } from '../../src/index.js';
import { LineHostBuffer, LineHostMirror, LineHostReader, listen } from '../../src/host/index.js';
import { connectMirror, LineProcBuffer } from '../../src/proc/index.js';
import { captureToBuffer, startBufferCapture } from '../../src/thread/index.js';

describe('options are checked by name, kind and range', () => {
  it('refuses a misspelt option, naming it and the real ones', () => {
    const url = 'http://127.0.0.1:1/sync-stream';
    const cases: [() => unknown, string][] = [
      [
        () => new LineBuffer({ mxlen: 3 } as never),
        'LineBuffer has no option "mxlen"; it has maxlen',
      ],
      [
        () => new LineHostReader(url, { tmeout: 5 } as never),
        'LineHostReader has no option "tmeout"; it has timeout',
      ],
      [
        () => new LineHostMirror(url, { agressive: true } as never),
        'LineHostMirror has no option "agressive"; it has aggressive, timeout, maxBatchChars, ' +
          'maxQueueChars, stateIntervalMs, retries, source',
      ],
      [
        () => new LineHostBuffer({ maxLen: 3 } as never),
        'LineHostBuffer has no option "maxLen"; it has apiRoute, endpoint, maxlen, store, ' +
          'bodyLimit, maxLineLength, maxPartialChars, maxSources, maxStoredChars, logger',
      ],
      [
        () => new LineProcBuffer({ max: 3 } as never),
        'LineProcBuffer has no option "max"; it has maxlen, maxLineLength, recordCrashes, tagLine',
      ],
    ];
    for (const [make, message] of cases) assert.throws(make, { name: 'TypeError', message });
  });

  it('refuses misspelt or wrong capture, listen and connectMirror options', async () => {
    const buf = new LineBuffer();
    await assert.rejects(
      captureToBuffer(buf, () => {}, { scope: 'asink' as never }),
      {
        name: 'TypeError',
        message: 'capture scope must be "process" or "async", got "asink"',
      },
    );
    await assert.rejects(
      captureToBuffer(buf, () => {}, { scop: 'async' } as never),
      {
        name: 'TypeError',
        message: 'capture has no option "scop"; it has scope, echo',
      },
    );
    assert.throws(() => startBufferCapture(buf, { echoo: true } as never), {
      name: 'TypeError',
      message: 'startCapture has no option "echoo"; it has echo',
    });
    await assert.rejects(listen(new LineHostBuffer(), { prot: 5001 } as never), {
      name: 'TypeError',
      message: 'listen has no option "prot"; it has port, host, signal',
    });
    assert.throws(() => connectMirror({ timout: 5 } as never), {
      name: 'TypeError',
      message:
        'connectMirror has no option "timout"; it has aggressive, timeout, maxBatchChars, ' +
        'maxQueueChars, forwardWarnings, handle',
    });
  });

  it('takes a maxlen of the wrong kind as a TypeError and one out of range as a RangeError', () => {
    assert.throws(() => new LineBuffer({ maxlen: '5' as never }), {
      name: 'TypeError',
      message: 'maxlen must be a positive integer, got "5"',
    });
    assert.throws(() => new LineBuffer({ maxlen: Infinity }), {
      name: 'RangeError',
      message: 'maxlen must be a positive integer, got Infinity',
    });
    assert.throws(() => new LineBuffer({ maxlen: 2 ** 32 }), {
      name: 'RangeError',
      message: 'maxlen must be at most 1073741824, got 4294967296',
    });
  });

  it('costs nothing for a large maxlen until it fills', () => {
    const buf = new LineBuffer({ maxlen: 2 ** 30 });
    buf.write('a\nb\n');
    assert.deepEqual(buf.read(), ['a', 'b']);
  });
});
