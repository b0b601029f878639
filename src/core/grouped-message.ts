/**
 * Grouped records (protocol.md section 3): a multi-line message, such as an error with
 * its stack, kept whole as one item.
 */

/** The kinds a grouped record can have. */
export const RECORD_KINDS = ['str', 'warning', 'error'] as const;

/** One of {@link RECORD_KINDS}. */
export type RecordKind = (typeof RECORD_KINDS)[number];

/** The wire form of a grouped record, as the reference writes it. */
export interface SerializedGroupedMessage {
  '/is_syncsdata': true;
  '/type': 'GroupedMessage';
  type: RecordKind;
  data: string[];
}

/** Nested causes and inner errors deeper than this are left out (and a cycle ends). */
const MAX_ERROR_DEPTH = 16;

/** A multi-line message kept as one item of a buffer. */
export class GroupedMessage {
  /** What kind of message this is. */
  readonly type: RecordKind;
  /** Its lines. */
  readonly data: readonly string[];

  /**
   * @param data - the lines, or one text that is split at `\n`.
   * @param type - the kind of record. @default 'str'
   */
  constructor(data: string | readonly string[], type: RecordKind = 'str') {
    if (!isRecordKind(type)) {
      throw new TypeError(`GroupedMessage type must be one of ${RECORD_KINDS.join(', ')}`);
    }
    const lines = typeof data === 'string' ? data.split('\n') : [...data];
    if (!lines.every((line) => typeof line === 'string')) {
      throw new TypeError('GroupedMessage data must be a string or an array of strings');
    }
    this.type = type;
    this.data = Object.freeze(lines);
  }

  /**
   * A record from a thrown value: the error's stack (name and message first), then
   * each `cause` in turn, then the inner errors of an `AggregateError`.
   */
  static fromError(error: unknown, type: RecordKind = 'error'): GroupedMessage {
    return new GroupedMessage(errorLines(error, new Set(), 0), type);
  }

  /** Whether `value` is the serialized form of a grouped record. */
  static isSerialized(value: unknown): value is SerializedGroupedMessage {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;

    const v = value as Record<string, unknown>;
    return (
      v['/is_syncsdata'] === true &&
      v['/type'] === 'GroupedMessage' &&
      isRecordKind(v['type']) &&
      Array.isArray(v['data']) &&
      v['data'].every((line) => typeof line === 'string')
    );
  }

  /** The record of a serialized form; a `TypeError` when `value` is not one. */
  static deserialize(value: unknown): GroupedMessage {
    if (!GroupedMessage.isSerialized(value)) {
      throw new TypeError(
        'not a serialized GroupedMessage: expected {"/is_syncsdata": true, ' +
          '"/type": "GroupedMessage", "type": "str"|"warning"|"error", "data": [strings]}',
      );
    }
    return new GroupedMessage(value.data, value.type);
  }

  /** The wire form. */
  serialize(): SerializedGroupedMessage {
    return {
      '/is_syncsdata': true,
      '/type': 'GroupedMessage',
      type: this.type,
      data: [...this.data],
    };
  }

  /** `JSON.stringify` writes the wire form. */
  toJSON(): SerializedGroupedMessage {
    return this.serialize();
  }

  /** The lines joined with `\n`. */
  toString(): string {
    return this.data.join('\n');
  }
}

/** Whether `value` names a record kind. */
export function isRecordKind(value: unknown): value is RecordKind {
  return typeof value === 'string' && (RECORD_KINDS as readonly string[]).includes(value);
}

function errorLines(error: unknown, seen: Set<unknown>, depth: number): string[] {
  if (!(error instanceof Error)) return String(error).split('\n');

  seen.add(error);
  const lines = ownLines(error);
  if (depth >= MAX_ERROR_DEPTH) return lines;

  const { cause } = error as { cause?: unknown };
  if (cause !== undefined && !seen.has(cause)) {
    lines.push(...labelled('Caused by: ', errorLines(cause, seen, depth + 1)));
  }
  if (error instanceof AggregateError) {
    const inner = error.errors.filter((e) => !seen.has(e));
    inner.forEach((e, i) => {
      const label = `Error ${i + 1} of ${inner.length}: `;
      lines.push(...labelled(label, errorLines(e, seen, depth + 1)));
    });
  }
  return lines;
}

/** The error's header (`Name: message`) and its stack frames. */
function ownLines(error: Error): string[] {
  const header = error.message === '' ? error.name : `${error.name}: ${error.message}`;
  const stack = typeof error.stack === 'string' ? error.stack : '';
  if (stack.startsWith(header)) return stack.split('\n');

  // A stack that was set by hand or lost its header still gets the name and message.
  const frames = stack.split('\n').filter((line) => /^\s+at /.test(line));
  return [...header.split('\n'), ...frames];
}

function labelled(label: string, lines: string[]): string[] {
  const [first = '', ...rest] = lines;
  return [label + first, ...rest];
}
