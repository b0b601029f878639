/**
 * What a mirror has queued for its host, in order, and how it is cut into requests:
 * consecutive text of one stream goes out as one `str` request of at most `maxChars`
 * characters; each record and each `close` is a request of its own.
 */
import { splitAtBreaks, type GroupedMessage } from '../core/index.js';
import type { StreamName } from './store/item-store.js';

/** One queued request, or (for text) the start of one. */
export type OutboxOp =
  | { kind: 'text'; text: string; stream: StreamName | undefined }
  | { kind: 'record'; record: GroupedMessage }
  | { kind: 'close' };

/** The ordered queue of a mirror. */
export class Outbox {
  readonly #ops: OutboxOp[] = [];
  #head = 0;
  #chars = 0;

  /** The characters of text queued. */
  get chars(): number {
    return this.#chars;
  }

  /** Whether nothing is queued. */
  get empty(): boolean {
    return this.#head === this.#ops.length;
  }

  /** Queues text, joined to the text before it when that is of the same stream. */
  pushText(text: string, stream: StreamName | undefined): void {
    if (text === '') return;

    this.#chars += text.length;
    const last = this.#ops[this.#ops.length - 1];
    if (!this.empty && last?.kind === 'text' && last.stream === stream) last.text += text;
    else this.#ops.push({ kind: 'text', text, stream });
  }

  /** Queues a record or a close. */
  push(op: Exclude<OutboxOp, { kind: 'text' }>): void {
    this.#ops.push(op);
  }

  /** Takes the next request: a record, a close, or up to `maxChars` of one stream's text. */
  take(maxChars: number): OutboxOp | undefined {
    const op = this.#ops[this.#head];
    if (op === undefined) return undefined;
    if (op.kind !== 'text' || op.text.length <= maxChars) {
      this.#shift();
      if (op.kind === 'text') this.#chars -= op.text.length;
      return op;
    }

    const cut = safeCut(op.text, maxChars);
    const piece = op.text.slice(0, cut);
    op.text = op.text.slice(cut);
    this.#chars -= piece.length;
    return { kind: 'text', text: piece, stream: op.stream };
  }

  /** Removes and returns everything queued. */
  takeAll(): OutboxOp[] {
    const ops = this.#ops.splice(this.#head);
    this.#ops.length = 0;
    this.#head = 0;
    this.#chars = 0;
    return ops;
  }

  #shift(): void {
    this.#head += 1;
    // Compact now and then, so a long-lived queue does not keep its whole history.
    if (this.#head > 1024 && this.#head * 2 > this.#ops.length) {
      this.#ops.splice(0, this.#head);
      this.#head = 0;
    }
  }
}

/** How many lines (and records) an op holds, for reporting what was not delivered. */
export function countLines(op: OutboxOp): number {
  if (op.kind === 'record') return 1;
  if (op.kind === 'close') return 0;
  return countTextLines(op.text);
}

/** How many lines a text holds, a partial line after the last break counted as one. */
export function countTextLines(text: string): number {
  const parts = splitAtBreaks(text);
  return parts.length - (parts[parts.length - 1] === '' ? 1 : 0);
}

/** A cut at `at` or just before it, never between the halves of a surrogate pair. */
function safeCut(text: string, at: number): number {
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}
