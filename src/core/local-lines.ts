import { lastLineBreak } from './line-breaks.js';

/** The standard stream a write was made to. */
export type StreamName = 'stdout' | 'stderr';

interface Pending {
  partial: string;
  pendingCr: boolean;
}

/**
 * A mirror's partial lines, one per stream, kept in the writer so that only completed
 * lines travel (protocol.md section 5). A write is cut after its last line break: what
 * comes before is sent as written and the receiving buffer splits it. Only that search
 * from the end runs per write.
 *
 * A `\r` that ends one write and a `\n` that starts the next are one break: the `\n` is
 * dropped here, so even a receiver that splits each request on its own (the Python
 * reference) stores no empty line between them.
 */
export class LocalLines {
  readonly #pending: Record<StreamName, Pending> = {
    stdout: { partial: '', pendingCr: false },
    stderr: { partial: '', pendingCr: false },
  };
  readonly #maxChars: number;

  /**
   * @param maxChars - a partial line this long is handed on unfinished, so the receiver
   * builds up a line longer than one request. @default Infinity
   */
  constructor(maxChars = Number.POSITIVE_INFINITY) {
    this.#maxChars = maxChars;
  }

  /** The characters held in both partial lines. */
  get chars(): number {
    return this.#pending.stdout.partial.length + this.#pending.stderr.partial.length;
  }

  /** The partial line of `stream`. */
  partial(stream: StreamName): string {
    return this.#pending[stream].partial;
  }

  /** Adds a write; returns the text that is ready to send ('' when none). */
  cut(stream: StreamName, text: string): string {
    const p = this.#pending[stream];
    const rest = p.pendingCr && text.charCodeAt(0) === 0x0a ? text.slice(1) : text;
    const at = lastLineBreak(rest);
    if (at < 0) {
      p.partial += rest;
      if (rest !== '') p.pendingCr = false;
      return p.partial.length >= this.#maxChars ? this.take(stream) : '';
    }

    const ready = p.partial + rest.slice(0, at + 1);
    p.partial = rest.slice(at + 1);
    p.pendingCr = at === rest.length - 1 && rest.charCodeAt(at) === 0x0d;
    return ready;
  }

  /** Takes the partial line of `stream` out as it is ('' when empty). */
  take(stream: StreamName): string {
    const p = this.#pending[stream];
    const partial = p.partial;
    p.partial = '';
    p.pendingCr = false;
    return partial;
  }

  /** Ends the partial line of `stream`: returns it with a break, or '' when empty. */
  commit(stream: StreamName): string {
    const partial = this.take(stream);
    return partial === '' ? '' : `${partial}\n`;
  }
}
