/**
 * Copies a program's output to two places: the terminal, byte for byte, and a mirror,
 * decoded as UTF-8 across chunks so a character split between two reads arrives whole.
 */
import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

import type { LineHostMirror } from '../../host/mirror.js';
import type { StreamName } from '../../host/store/item-store.js';

/** Feeds the output streams of one program to the terminal and to one mirror. */
export class Tee {
  readonly #mirror: LineHostMirror;
  #mirroring = true;
  #mirrorError: unknown;

  constructor(mirror: LineHostMirror) {
    this.#mirror = mirror;
  }

  /** Why the mirror stopped taking text (the stop flag, say), if it did. */
  get mirrorError(): unknown {
    return this.#mirrorError;
  }

  /**
   * Copies `source` to `terminal` and to the mirror as `stream`; resolves once `source`
   * has ended. The terminal sets the pace: when it is slow the program is paused, as with
   * a pipe. The mirror never does: it queues (up to its limit, past which it counts).
   */
  copy(source: Readable, terminal: Writable, stream: StreamName): Promise<void> {
    const decoder = new StringDecoder('utf8');
    let terminalOpen = true;
    terminal.on('error', () => {
      // The terminal went away (a closed pipe): keep mirroring what the program prints.
      terminalOpen = false;
      source.resume();
    });

    source.on('data', (chunk: Buffer) => {
      if (terminalOpen && !terminal.write(chunk)) {
        source.pause();
        terminal.once('drain', () => source.resume());
      }
      this.#toMirror(decoder.write(chunk), stream);
    });
    return new Promise((resolve, reject) => {
      source.once('end', () => {
        this.#toMirror(decoder.end(), stream);
        resolve();
      });
      source.once('error', reject);
    });
  }

  #toMirror(text: string, stream: StreamName): void {
    if (!this.#mirroring || text === '') return;
    try {
      this.#mirror.write(text, stream);
    } catch (error) {
      // The stop flag was seen (or the mirror refused): the terminal still gets the rest.
      this.#mirroring = false;
      this.#mirrorError = error;
    }
  }
}
