/**
 * The files of a log (see layout.ts). The caller holds the right locks: the items lock
 * for item files, the partial lock for the partial line.
 *
 * Every file is written under a `.part` name and renamed into place, and items move by
 * rename, so a writer killed at any point leaves each item file whole or absent: at worst
 * a gap, which reads skip and later writes push out. It never leaves a half-written item
 * or one item in two files.
 */
import { readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
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
  async readPartial(): Promise<string> {
    return (await readIfExists(this.#layout.partial)) ?? '';
  }

  /** Replaces the partial line; an empty one removes its file. */
  async writePartial(text: string): Promise<void> {
    if (text === '') await removeIfExists(this.#layout.partial);
    else await writeWhole(this.#layout.partialPart, this.#layout.partial, text);
  }

  /** Adds `items` (oldest first) as the newest, dropping the oldest past `maxlen`. */
  async push(items: readonly string[]): Promise<void> {
    const newest = items.slice(-this.#maxlen);
    const shift = newest.length;
    for (let to = this.#maxlen - 1; to >= shift; to -= 1) await this.#move(to - shift, to);

    // Oldest first, so a writer killed half way leaves gaps at the newest end only.
    for (let i = 0; i < shift; i += 1) {
      const to = shift - 1 - i;
      await writeWhole(this.#layout.itemPart, itemPath(this.#layout, to), newest[i] as string);
    }
  }

  /** The newest `count` items, oldest first; gaps left by a killed writer are skipped. */
  async readNewest(count: number): Promise<string[]> {
    const found: string[] = [];
    for (let from = 0; from < this.#maxlen && found.length < count; ) {
      const to = Math.min(this.#maxlen, from + count - found.length);
      const batch = [];
      for (let i = from; i < to; i += 1) batch.push(readIfExists(itemPath(this.#layout, i)));
      for (const text of await Promise.all(batch)) if (text !== undefined) found.push(text);
      from = to;
    }
    return found.reverse();
  }

  /** How many item files exist within `maxlen`. */
  async count(): Promise<number> {
    const pattern = itemNamePattern(this.#layout.base);
    let count = 0;
    for (const name of await readdir(this.#layout.dir)) {
      const index = pattern.exec(name)?.[1];
      if (index !== undefined && Number(index) < this.#maxlen) count += 1;
    }
    return count;
  }

  /**
   * Removes every item file (also those past `maxlen` that a writer with a larger
   * `maxlen` made), a leftover `.part` file, and this writer's partial line.
   */
  async clear(): Promise<void> {
    const pattern = itemNamePattern(this.#layout.base);
    const names = (await readdir(this.#layout.dir)).filter((name) => pattern.test(name));
    await Promise.all(names.map((name) => removeIfExists(join(this.#layout.dir, name))));
    await removeIfExists(this.#layout.itemPart);
    await removeIfExists(this.#layout.partialPart);
    await removeIfExists(this.#layout.partial);
  }

  /** Renames item `from` to `to`; when `from` is a gap, `to` becomes one. */
  async #move(from: number, to: number): Promise<void> {
    try {
      await rename(itemPath(this.#layout, from), itemPath(this.#layout, to));
    } catch (error) {
      if (!isMissing(error)) throw error;
      await removeIfExists(itemPath(this.#layout, to));
    }
  }
}

async function writeWhole(part: string, path: string, text: string): Promise<void> {
  await writeFile(part, text, 'utf8');
  await rename(part, path);
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

async function removeIfExists(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
}

function isMissing(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'ENOENT';
}
