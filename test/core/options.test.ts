import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { LineBuffer } from '../../src/index.js';
import { LineHostBuffer, LineHostMirror, LineHostReader } from '../../src/host/index.js';
import { LineProcBuffer } from '../../src/proc/index.js';

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
