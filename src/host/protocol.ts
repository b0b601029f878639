/**
 * The wire format of the host buffer (protocol.md section 4): parsing and checking of
 * what clients send. Everything here is pure; a bad request becomes a
 * {@link BadRequestError} that says what was wrong, before anything is changed.
 */
import { BadRequestError, GroupedMessage } from '../core/index.js';
import type { StreamName } from './store/item-store.js';

/** The longest source id a request may carry. */
export const MAX_SOURCE_LENGTH = 128;

/** The states that `GET R-state?state=` can read. */
export const STATE_NAMES = ['closed', 'maxlen', 'curlen'] as const;

/** One of {@link STATE_NAMES}. */
export type StateName = (typeof STATE_NAMES)[number];

/** Who sent a write, and where it stands in that writer's sequence. */
export interface WriterInfo {
  /** The writer's id; requests without one share one partial line. */
  source?: string;
  /** The request's number in the source's sequence, for dropping retried requests. */
  seq?: number;
  /** The stream the text was printed to. */
  stream?: StreamName;
}

/** A checked `POST R` body. */
export type WriteCommand = WriterInfo &
  (
    | { type: 'str'; text: string }
    | { type: 'error' | 'warning'; record: GroupedMessage }
    | { type: 'close' }
  );

/** A checked `POST R-state` body. */
export interface StateCommand {
  state: 'closed';
  value: boolean;
}

/** Parses a request body as JSON; a {@link BadRequestError} when it is not. */
export function parseJsonBody(raw: string): unknown {
  if (raw.trim() === '')
    throw new BadRequestError('the request has no body; a JSON object is expected');
  try {
    return JSON.parse(raw) as unknown;
  } catch (error) {
    throw new BadRequestError(`the body is not valid JSON: ${(error as Error).message}`);
  }
}

/** Checks a `POST R` body. */
export function parseWriteCommand(body: unknown): WriteCommand {
  const obj = expectObject(body, 'the body');
  const writer = parseWriterInfo(obj);
  const { type, data } = obj;
  if (type === 'str') return { ...writer, type, text: parseText(data) };
  if (type === 'close') return { ...writer, type };
  if (type === 'error' || type === 'warning')
    return { ...writer, type, record: parseRecord(type, data) };
  throw new BadRequestError(
    `"type" must be "str", "error", "warning" or "close", got ${describe(type)}`,
  );
}

/** Checks a `POST R-state` body. */
export function parseStateCommand(body: unknown): StateCommand {
  const obj = expectObject(body, 'the body');
  const { state } = obj;
  if (state === undefined)
    throw new BadRequestError('"state" is missing; only "closed" can be written');
  if (state !== 'closed') {
    throw new BadRequestError(`state ${describe(state)} cannot be written; only "closed" can`);
  }
  if (!('value' in obj)) throw new BadRequestError('"value" is missing');
  return { state, value: textForm(obj.value).trim().toLowerCase() === 'true' };
}

/** Checks the `state` query of `GET R-state`. */
export function parseStateName(value: string | null | undefined): StateName {
  if (value === null || value === undefined || value === '') {
    throw new BadRequestError(`the query "state" is missing; use one of ${STATE_NAMES.join(', ')}`);
  }
  if (!(STATE_NAMES as readonly string[]).includes(value)) {
    throw new BadRequestError(`unknown state "${value}"; use one of ${STATE_NAMES.join(', ')}`);
  }
  return value as StateName;
}

/** Checks the `n` query of `GET R`: absent, or an integer. */
export function parseReadSize(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (!/^\s*[+-]?\d+\s*$/.test(value)) {
    throw new BadRequestError(`the query "n" must be an integer, got "${value}"`);
  }
  return Number.parseInt(value, 10);
}

function parseWriterInfo(obj: Record<string, unknown>): WriterInfo {
  const { source, seq, stream } = obj;
  const info: WriterInfo = {};
  if (source !== undefined && source !== null) {
    if (typeof source !== 'string' || source === '' || source.length > MAX_SOURCE_LENGTH) {
      throw new BadRequestError(
        `"source" must be a string of 1 to ${MAX_SOURCE_LENGTH} characters, got ${describe(source)}`,
      );
    }
    info.source = source;
  }
  if (seq !== undefined && seq !== null) {
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
      throw new BadRequestError(`"seq" must be a non-negative integer, got ${describe(seq)}`);
    }
    info.seq = seq;
  }
  if (stream !== undefined && stream !== null) {
    if (stream !== 'stdout' && stream !== 'stderr') {
      throw new BadRequestError(`"stream" must be "stdout" or "stderr", got ${describe(stream)}`);
    }
    info.stream = stream;
  }
  return info;
}

const RECORD_SHAPE =
  '{"/is_syncsdata": true, "/type": "GroupedMessage", "type": "str"|"warning"|"error", ' +
  '"data": [strings]}';

function parseRecord(type: 'error' | 'warning', data: unknown): GroupedMessage {
  if (!GroupedMessage.isSerialized(data)) {
    const what = type === 'error' ? 'an "error"' : 'a "warning"';
    throw new BadRequestError(
      `"data" of ${what} write must be a serialized GroupedMessage: ${RECORD_SHAPE}`,
    );
  }
  return GroupedMessage.deserialize(data);
}

function parseText(data: unknown): string {
  const obj = expectObject(data, '"data" of a str write');
  if (typeof obj.value !== 'string') {
    throw new BadRequestError(
      `"data.value" of a str write must be a string, got ${describe(obj.value)}`,
    );
  }
  return obj.value;
}

function expectObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BadRequestError(`${what} must be a JSON object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

/** A JSON value as text: a string as it is, anything else as JSON (so `["true"]` is not `true`). */
function textForm(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A short, safe description of a value for an error message. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
