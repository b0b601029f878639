/**
 * The files of a log (see layout.ts). The caller holds the right locks: the items lock
 * for item files, the partial lock for the partial line.
 *
 * Every file is written under a `.part` name and renamed into place, and items move by
 * rename, so a writer killed at any point leaves each item file whole or absent: at worst
 * a gap, which reads skip and later writes push out. It never leaves a half-written item
 * or one item in two files.
 *
 * The calls are synchronous on purpose: they run while this writer holds a lock that
 * every other writer waits for, and a synchronous rename takes a few microseconds where
 * a trip through libuv's thread pool takes tens, so the lock is held far shorter. The
 * event loop waits for one store step (about `maxlen` renames) at a time.
 */
import { readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { itemNamePattern, itemPath, type FileLayout } from './layout.js';

export class ItemFiles {
  readonly #layout: FileLayout;
  readonly #maxlen: number;

  constructor(layout: FileLayout, maxlen: number) {
    this.#layout = layout;
    this.#maxlen = maxlen;
  }

  /** The partial line; empty when there is none. */
  readPartial(): string {
    return readIfExists(this.#layout.partial) ?? '';
  }

  /** Replaces the partial line; an empty one removes its file. */
  writePartial(text: string): void {
    if (text === '') removeIfExists(this.#layout.partial);
    else writeWhole(this.#layout.partialPart, this.#layout.partial, text);
  }

  /** Adds `items` (oldest first) as the newest, dropping the oldest past `maxlen`. */
  push(items: readonly string[]): void {
    const newest = items.slice(-this.#maxlen);
    const shift = newest.length;
    for (let to = this.#maxlen - 1; to >= shift; to -= 1) this.#move(to - shift, to);

    // Oldest first, so a writer killed half way leaves gaps at the newest end only.
    for (let i = 0; i < shift; i += 1) {
      const to = shift - 1 - i;
      writeWhole(this.#layout.itemPart, itemPath(this.#layout, to), newest[i] as string);
    }
  }

  /** The newest `count` items, oldest first; gaps left by a killed writer are skipped. */
  readNewest(count: number): string[] {
    const found: string[] = [];
    for (let i = 0; i < this.#maxlen && found.length < count; i += 1) {
      const text = readIfExists(itemPath(this.#layout, i));
      if (text !== undefined) found.push(text);
    }
    return found.reverse();
  }

  /** How many item files exist within `maxlen`. */
  count(): number {
    const pattern = itemNamePattern(this.#layout.base);
    let count = 0;
    for (const name of readdirSync(this.#layout.dir)) {
      const index = pattern.exec(name)?.[1];
      if (index !== undefined && Number(index) < this.#maxlen) count += 1;
    }
    return count;
  }

  /**
   * Removes every item file (also those past `maxlen` that a writer with a larger
   * `maxlen` made), a leftover `.part` file, and this writer's partial line.
   */
  clear(): void {
    const pattern = itemNamePattern(this.#layout.base);
    for (const name of readdirSync(this.#layout.dir)) {
      if (pattern.test(name)) removeIfExists(join(this.#layout.dir, name));
    }
    removeIfExists(this.#layout.itemPart);
    removeIfExists(this.#layout.partialPart);
    removeIfExists(this.#layout.partial);
  }

  /** Renames item `from` to `to`; when `from` is a gap, `to` becomes one. */
  #move(from: number, to: number): void {
    try {
      renameSync(itemPath(this.#layout, from), itemPath(this.#layout, to));
    } catch (error) {
      if (!isMissing(error)) throw error;
      removeIfExists(itemPath(this.#layout, to));
    }
  }
}

function writeWhole(part: string, path: string, text: string): void {
  writeFileSync(part, text, 'utf8');
  renameSync(part, path);
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

function removeIfExists(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
}

function isMissing(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'ENOENT';
}
