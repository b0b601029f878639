/**
 * Keeps the error codes, their classes and docs/errors.md in step: a class added
 * without a code, a code without a class, or either missing from the docs fails here.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import * as errors from '../../src/core/errors.js';
import {
  BadRequestError,
  ClosedError,
  DeliveryError,
  ERROR_CODES,
  HttpStatusError,
  LimitError,
  RequestFailedError,
  StoppedError,
  SyncStreamError,
  UnsupportedError,
} from '../../src/core/errors.js';

/** One instance of every error class, made as its constructor expects. */
const SAMPLES: Record<string, () => SyncStreamError> = {
  ClosedError: () => new ClosedError('m'),
  StoppedError: () => new StoppedError('m'),
  UnsupportedError: () => new UnsupportedError('m'),
  BadRequestError: () => new BadRequestError('m'),
  LimitError: () => new LimitError('m'),
  HttpStatusError: () => new HttpStatusError(503, 'm'),
  RequestFailedError: () => new RequestFailedError('m'),
  DeliveryError: () => new DeliveryError(2, 'm'),
};

/** The classes errors.ts exports that extend SyncStreamError, by name. */
function exportedErrorClasses(): string[] {
  return Object.entries(errors)
    .filter(
      ([, value]) => typeof value === 'function' && value.prototype instanceof SyncStreamError,
    )
    .map(([name]) => name)
    .sort();
}

/** The rows of the table in docs/errors.md, as code to class name. */
function documentedCodes(): Map<string, string> {
  const text = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const rows = text.matchAll(/^\| `(SYNCSTREAM_[A-Z_]+)` \| `([A-Za-z]+)` \| (.+?) \|/gm);
  return new Map([...rows].map((row) => [row[1] as string, `${row[2]}: ${row[3]}`]));
}

describe('error codes', () => {
  it('has a sample for every exported error class', () => {
    assert.deepEqual(exportedErrorClasses(), Object.keys(SAMPLES).sort());
  });

  it('gives every class its own code from ERROR_CODES, and every code a class', () => {
    const codes = Object.entries(SAMPLES).map(([name, make]) => {
      const error = make();
      assert.deepEqual([error.name, error instanceof Error, error.message], [name, true, 'm']);
      return error.code;
    });
    assert.equal(new Set(codes).size, codes.length, 'two classes share a code');
    assert.deepEqual([...codes].sort(), Object.keys(ERROR_CODES).sort());
  });

  it('documents every code with its class and meaning in docs/errors.md', () => {
    const want = new Map(
      Object.entries(SAMPLES).map(([name, make]) => {
        const { code } = make();
        return [code, `${name}: ${ERROR_CODES[code]}`];
      }),
    );
    assert.deepEqual(documentedCodes(), want);
  });

  it('keeps what the classes with extra fields carry', () => {
    const status = new HttpStatusError(503, 'busy', { cause: 'x' });
    const delivery = new DeliveryError(7, 'lost');
    assert.deepEqual([status.status, status.cause, delivery.undeliveredLines], [503, 'x', 7]);
  });
});
