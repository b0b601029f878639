/**
 * Where a shared-disk log keeps its files. The layout is the reference's, so Node and
 * Python writers can share one log:
 *
 * - the path without its extension is the stem `P`;
 * - items are `P-0.log` (newest) to `P-<maxlen-1>.log` (oldest), one item per file;
 * - a writer's partial line is `P-<tmpId>.tmp`;
 * - `P.lock` guards the items and `P-<tmpId>.lock` the partial line.
 *
 * Two more names are ours: a new file is first written to `P.item.part` or
 * `P-<tmpId>.tmp.part` and then renamed into place, so no reader ever sees half of one.
 */
import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';

/** The longest `tmpId` taken. */
export const MAX_TMP_ID_LENGTH = 128;

/** The files of one log, as seen by one writer (one `tmpId`). */
export interface FileLayout {
  /** The folder of the log, with symbolic links resolved. */
  readonly dir: string;
  /** The file name of the stem: items are `<base>-<i>.log` in `dir`. */
  readonly base: string;
  /** The stem `P`, an absolute path. */
  readonly stem: string;
  /** `P.lock`: guards the items. */
  readonly itemsLock: string;
  /** `P-<tmpId>.lock`: guards the partial line. */
  readonly partialLock: string;
  /** `P-<tmpId>.tmp`: the partial line. */
  readonly partial: string;
  /** Where a new partial line is written before it is renamed into place. */
  readonly partialPart: string;
  /** Where a new item is written before it is renamed into place. */
  readonly itemPart: string;
}

/** The file of the item at `index` (0 is the newest). */
export function itemPath(layout: FileLayout, index: number): string {
  return `${layout.stem}-${index}.log`;
}

/** Matches the name of an item file of `base` and captures its index. */
export function itemNamePattern(base: string): RegExp {
  return new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(0|[1-9][0-9]*)\\.log$`);
}

/**
 * The layout of the log at `path` for the writer `tmpId`. Checks that the path names a
 * file in an existing folder; the files themselves need not exist.
 */
export function fileLayout(path: string, tmpId: string): FileLayout {
  const absolute = resolve(path);
  const dir = existingFolder(dirname(absolute), path);
  const base = dropExtension(basename(absolute));
  const stem = join(dir, base);
  return {
    dir,
    base,
    stem,
    itemsLock: `${stem}.lock`,
    partialLock: `${stem}-${tmpId}.lock`,
    partial: `${stem}-${tmpId}.tmp`,
    partialPart: `${stem}-${tmpId}.tmp.part`,
    itemPart: `${stem}.item.part`,
  };
}

/**
 * The file name without its extension, by Python's `os.path.splitext` rules (which the
 * reference uses): leading dots do not start an extension, so `.log` and `..log` have
 * none, while Node's `extname` would say `..log` has one.
 */
export function dropExtension(name: string): string {
  const leading = name.length - name.replace(/^\.+/, '').length;
  const dot = name.lastIndexOf('.');
  return dot > leading ? name.slice(0, dot) : name;
}

/** Checks the `path` argument: a string that names a file. */
export function checkFilePath(value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(`path must be a non-empty string, got ${describe(value)}`);
  }
  if (value.includes('\0')) throw new TypeError('path must not contain a NUL character');

  const name = basename(value);
  if (value.endsWith(sep) || value.endsWith('/') || name === '.' || name === '..') {
    throw new TypeError(`path must name a file, not a folder, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Checks a `tmpId` option: it becomes part of two file names. */
export function checkTmpId(value: unknown): string {
  if (
    typeof value !== 'string' ||
    value === '' ||
    value.length > MAX_TMP_ID_LENGTH ||
    /[/\\\0]/.test(value)
  ) {
    throw new TypeError(
      `tmpId must be a string of 1 to ${MAX_TMP_ID_LENGTH} characters without "/", "\\" ` +
        `or NUL, got ${describe(value)}`,
    );
  }
  return value;
}

/** The real path of `dir`; an error with the fs code when it is missing or not a folder. */
function existingFolder(dir: string, path: string): string {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch (error) {
    throw folderError(`the folder ${dir} of ${path} does not exist`, error);
  }
  if (!statSync(real).isDirectory()) {
    throw folderError(`${dir} (the folder of ${path}) is not a folder`, { code: 'ENOTDIR' });
  }
  return real;
}

function folderError(what: string, cause: unknown): Error {
  const code = (cause as { code?: unknown }).code;
  const error = new Error(`LineFileBuffer: ${what}`, { cause });
  return Object.assign(error, { code: typeof code === 'string' ? code : 'ENOENT' });
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : typeof value;
}
