import { lastLineBreak } from '../core/index.js';
import type { StreamName } from './store/item-store.js';

interface Pending {
  partial: string;
  pendingCr: boolean;
}

/**
 * A mirror's partial lines, one per stream, kept locally so that only completed lines
 * travel (protocol.md section 5). Text is cut after its last line break and sent as it
 * is; the host splits it. Only that search from the end runs per write.
 */
export class LocalLines {
  readonly #pending: Record<StreamName, Pending> = {
    stdout: { partial: '', pendingCr: false },
    stderr: { partial: '', pendingCr: false },
  };
  readonly #maxChars: number;

  /** @param maxChars - a partial line this long is sent on, so the host builds it up. */
  constructor(maxChars: number) {
    this.#maxChars = maxChars;
  }

  /** The partial line of `stream`. */
  partial(stream: StreamName): string {
    return this.#pending[stream].partial;
  }

  /** Adds a write; returns the text that is ready to send ('' when none). */
  cut(stream: StreamName, text: string): string {
    const p = this.#pending[stream];
    // A \n right after a \r that ended the last write is part of that break.
    const rest = p.pendingCr && text.charCodeAt(0) === 0x0a ? text.slice(1) : text;
    const at = lastLineBreak(rest);
    if (at < 0) {
      p.partial += rest;
      if (rest !== '') p.pendingCr = false;
      return p.partial.length >= this.#maxChars ? this.#takeRaw(p) : '';
    }

    const ready = p.partial + rest.slice(0, at + 1);
    p.partial = rest.slice(at + 1);
    p.pendingCr = at === rest.length - 1 && rest.charCodeAt(at) === 0x0d;
    return ready;
  }

  /** Ends the partial line of `stream`: returns it with a break, or '' when empty. */
  commit(stream: StreamName): string {
    const p = this.#pending[stream];
    if (p.partial === '') return '';

    const line = `${p.partial}\n`;
    p.partial = '';
    p.pendingCr = false;
    return line;
  }

  #takeRaw(p: Pending): string {
    const text = p.partial;
    p.partial = '';
    return text;
  }
}
