import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `../shared` beside the repository, where the normative test vectors live. */
export const SHARED_DIR = fileURLToPath(new URL('../../../shared/', import.meta.url));

/** Parses `../shared/vectors/<name>`; throws (so the test fails) when it is missing. */
export function loadVectors<T>(name: string): T {
  const path = new URL(`vectors/${name}`, `file://${SHARED_DIR}`);
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** A step of a line-buffer case: a write, or a method call. */
export type LineStep = string | { op: 'newLine' | 'clear' };

/** One case of `lines.json`. */
export interface LineCase {
  name: string;
  maxlen: number;
  steps: LineStep[];
  reads: Record<string, unknown[]>;
  length: number;
}

/** The cases of `lines.json`. */
export function lineCases(): LineCase[] {
  const { cases } = loadVectors<{ cases: LineCase[] }>('lines.json');
  if (!Array.isArray(cases) || cases.length === 0) throw new Error('lines.json holds no cases');
  return cases;
}
