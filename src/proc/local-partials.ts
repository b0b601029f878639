import { lastLineBreak } from '../core/index.js';
import type { StdioStream } from '../capture/index.js';

/**
 * A mirror's partial lines, one per stream, kept in the writer so that only completed
 * lines travel (the default mode). A write is cut after its last line break: what
 * comes before goes to the buffer as written, the rest waits. The buffer splits the
 * text it gets with the same rules, so a `\r` ending one write and a `\n` starting the
 * next are still one break there. Only a search from the end runs per write.
 */
export class LocalPartials {
  readonly #partials: Record<StdioStream, string> = { stdout: '', stderr: '' };

  /** The characters held in both partial lines. */
  get chars(): number {
    return this.#partials.stdout.length + this.#partials.stderr.length;
  }

  /** The partial line of `stream`. */
  partial(stream: StdioStream): string {
    return this.#partials[stream];
  }

  /** Adds a write; returns the text that is ready to send ('' when none). */
  cut(stream: StdioStream, text: string): string {
    const at = lastLineBreak(text);
    if (at < 0) {
      this.#partials[stream] += text;
      return '';
    }

    const ready = this.#partials[stream] + text.slice(0, at + 1);
    this.#partials[stream] = text.slice(at + 1);
    return ready;
  }

  /** Takes the partial line of `stream` out ('' when empty). */
  take(stream: StdioStream): string {
    const partial = this.#partials[stream];
    this.#partials[stream] = '';
    return partial;
  }
}
