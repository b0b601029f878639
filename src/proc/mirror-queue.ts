import { splitAtBreaks } from '../core/index.js';
import type { StdioStream } from '../capture/index.js';
import { opWeight, type MirrorBatch, type MirrorOp } from './protocol.js';

interface InFlight {
  seq: number;
  chars: number;
  // Kept only to count what was lost if the buffer never acknowledges it.
  ops: MirrorOp[];
}

/**
 * A mirror's ops in order: those queued for the next batch and those sent that the
 * buffer has not acknowledged yet. Both count towards the mirror's queue limit, so
 * what a slow buffer has not taken in is bounded too.
 */
export class MirrorQueue {
  #ops: MirrorOp[] = [];
  #head = 0;
  #queuedChars = 0;
  #inFlight: InFlight[] = [];
  #inFlightChars = 0;
  #seq = 0;

  /** Characters queued or in flight. */
  get chars(): number {
    return this.#queuedChars + this.#inFlightChars;
  }

  /** Characters queued for the next batch. */
  get queuedChars(): number {
    return this.#queuedChars;
  }

  /** Whether nothing waits to be sent. */
  get empty(): boolean {
    return this.#head === this.#ops.length;
  }

  /** Whether nothing waits to be sent or acknowledged. */
  get settled(): boolean {
    return this.empty && this.#inFlight.length === 0;
  }

  /** Queues text, joined to the text before it when that is of the same stream. */
  pushText(stream: StdioStream, text: string): void {
    if (text === '') return;

    this.#queuedChars += text.length;
    const last = this.empty ? undefined : this.#ops[this.#ops.length - 1];
    if (last?.op === 'text' && last.stream === stream) last.text += text;
    else this.#ops.push({ op: 'text', text, stream });
  }

  /** Queues an op. */
  push(op: MirrorOp): void {
    this.#ops.push(op);
    this.#queuedChars += opWeight(op);
  }

  /** Takes the queued ops as a batch (at most about `maxChars`) and counts it in flight. */
  take(maxChars: number): MirrorBatch | undefined {
    if (this.empty) return undefined;

    const ops: MirrorOp[] = [];
    let chars = 0;
    while (!this.empty && chars < maxChars) {
      const op = this.#takeOp(maxChars - chars);
      ops.push(op);
      chars += opWeight(op);
    }
    this.#compact();
    this.#queuedChars -= chars;
    this.#seq += 1;
    this.#inFlight.push({ seq: this.#seq, chars, ops });
    this.#inFlightChars += chars;
    return { seq: this.#seq, ops };
  }

  /** Forgets the batches up to `seq`: the buffer has taken them in. */
  acknowledge(seq: number): void {
    let done = 0;
    // Seqs are compared as int32 differences: the shared slot that carries them wraps.
    for (const batch of this.#inFlight) {
      if (((seq - batch.seq) | 0) < 0) break;
      this.#inFlightChars -= batch.chars;
      done += 1;
    }
    if (done > 0) this.#inFlight.splice(0, done);
  }

  /** How many lines (and records) are queued or in flight. */
  countLines(): number {
    const inFlight = this.#inFlight.reduce((sum, batch) => sum + countOpsLines(batch.ops), 0);
    return inFlight + countOpsLines(this.#ops.slice(this.#head));
  }

  #takeOp(room: number): MirrorOp {
    const op = this.#ops[this.#head] as MirrorOp;
    if (op.op !== 'text' || op.text.length <= room) {
      this.#head += 1;
      return op;
    }

    // A long text goes in pieces; the buffer joins them, so lines still arrive whole.
    const cut = safeCut(op.text, Math.max(room, 1));
    const piece: MirrorOp = { op: 'text', text: op.text.slice(0, cut), stream: op.stream };
    op.text = op.text.slice(cut);
    return piece;
  }

  #compact(): void {
    if (this.#head === this.#ops.length) {
      this.#ops = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#ops.length) {
      this.#ops.splice(0, this.#head);
      this.#head = 0;
    }
  }
}

/** How many lines (and records) some ops hold; a text's unbroken tail counts as one. */
export function countOpsLines(ops: readonly MirrorOp[]): number {
  let lines = 0;
  for (const op of ops) {
    if (op.op === 'record' || (op.op === 'end' && op.error)) lines += 1;
    if (op.op === 'text') lines += countTextLines(op.text);
  }
  return lines;
}

/** How many lines a text holds, a partial line after the last break counted as one. */
export function countTextLines(text: string): number {
  const parts = splitAtBreaks(text);
  return parts.length - (parts[parts.length - 1] === '' ? 1 : 0);
}

/** A cut at `at` or just before it, never between the halves of a surrogate pair. */
function safeCut(text: string, at: number): number {
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff && at > 1 ? at - 1 : at;
}
