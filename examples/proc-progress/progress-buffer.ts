/**
 * A LineProcBuffer that watches for `Progress: N%` lines: it keeps each source's latest
 * percentage instead of storing those lines, and stores every other item as usual.
 */
// In your project: import { LineProcBuffer, ... } from 'syncstream/proc';
import type { Item } from '../../src/core/index.js';
import { LineProcBuffer, type LineProcBufferOptions } from '../../src/proc/index.js';

const PROGRESS = /^\s*Progress:\s*(\d+(?:\.\d+)?)%\s*$/;

/** Options of {@link ProgressBuffer}. */
export interface ProgressBufferOptions extends LineProcBufferOptions {
  /** Called on every progress line, with its source and percentage. @default none */
  onProgress?: (source: string, percent: number) => void;
}

/** Tracks the progress each worker reports; keeps their other lines. */
export class ProgressBuffer extends LineProcBuffer {
  readonly #progress = new Map<string, number>();
  readonly #onProgress: ((source: string, percent: number) => void) | undefined;

  constructor(options: ProgressBufferOptions = {}) {
    const { onProgress, ...bufferOptions } = options;
    super(bufferOptions);
    this.#onProgress = onProgress;
  }

  /** The latest percentage of each source that reported one. */
  get progress(): ReadonlyMap<string, number> {
    return this.#progress;
  }

  /** The mean of the latest percentages over `sources` (0 for one that has not reported). */
  overall(sources: readonly string[]): number {
    if (sources.length === 0) return 0;
    const sum = sources.reduce((total, source) => total + (this.#progress.get(source) ?? 0), 0);
    return sum / sources.length;
  }

  protected override parseLines(items: Item[], source: string): void {
    const kept = items.filter((item) => {
      const match = typeof item === 'string' ? PROGRESS.exec(item) : null;
      if (!match) return true;

      const percent = Number(match[1]);
      this.#progress.set(source, percent);
      this.#onProgress?.(source, percent);
      return false;
    });
    if (kept.length > 0) super.parseLines(kept, source);
  }
}
