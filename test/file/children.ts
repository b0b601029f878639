/** Starting the shared-disk fixture programs as real child processes. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import type { WriterConfig } from '../fixtures/file-writer.js';

const FIXTURES = new URL('../fixtures/', import.meta.url);
const live = new Set<ChildProcess>();

/** Kills every fixture still running (for `after` hooks, so a failed test leaves none). */
export function killLiveChildren(): void {
  for (const child of live) child.kill('SIGKILL');
}

/** A running fixture: its stdout lines, its exit, and what it wrote to stderr. */
export interface Child {
  readonly process: ChildProcess;
  /** Resolves with the next stdout line equal to `word` (earlier lines are skipped). */
  waitFor(word: string): Promise<void>;
  /** Sends one line to its stdin. */
  send(line: string): void;
  /** Resolves when it exits; rejects when it exits with a code other than `expectCode`. */
  exited(expectCode?: number | null): Promise<{ code: number | null; signal: string | null }>;
}

/** Starts the writer fixture (file-writer.ts) with `config`. */
export function startWriter(config: WriterConfig): Child {
  return startChild(process.execPath, [
    '--import',
    'tsx',
    fixture('file-writer.ts'),
    JSON.stringify(config),
  ]);
}

/** Starts a TypeScript fixture with arguments. */
export function startTsFixture(name: string, args: string[]): Child {
  return startChild(process.execPath, ['--import', 'tsx', fixture(name), ...args]);
}

/** Starts the Python fixture file-lock.py with arguments. */
export function startPython(args: string[]): Child {
  return startChild('python3', [fixture('file-lock.py'), ...args]);
}

export function fixture(name: string): string {
  return fileURLToPath(new URL(name, FIXTURES));
}

function startChild(command: string, args: string[]): Child {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  live.add(child);
  child.on('exit', () => live.delete(child));
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const out = createInterface({ input: child.stdout! });
  const seen: string[] = [];
  const waiting: { word: string; resolve: () => void }[] = [];
  out.on('line', (line) => {
    seen.push(line);
    for (const w of waiting.filter((x) => x.word === line)) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve();
    }
  });
  const exit = once(child, 'exit') as Promise<[number | null, string | null]>;

  return {
    process: child,
    waitFor(word) {
      if (seen.includes(word)) return Promise.resolve();
      const ready = new Promise<void>((resolve) => waiting.push({ word, resolve }));
      const died = exit.then(([code, signal]) => {
        throw new Error(`${args.at(-1)} exited (${code ?? signal}) before "${word}": ${stderr}`);
      });
      return Promise.race([ready, died]);
    },
    send(line) {
      child.stdin?.write(`${line}\n`);
    },
    async exited(expectCode = 0) {
      const [code, signal] = await exit;
      if (expectCode !== null && code !== expectCode) {
        throw new Error(`child exited with ${code ?? signal}, expected ${expectCode}: ${stderr}`);
      }
      return { code, signal };
    },
  };
}
