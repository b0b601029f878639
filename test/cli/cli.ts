/**
 * Helpers of the CLI tests: run the built `syncstream` binary as a real child process
 * and collect what it prints.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

/** The built binary (the test command builds `dist/` first). */
export const BIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/**
 * A host URL nothing answers on: port 1 (tcpmux) is privileged and unused, so no test
 * process can take it, unlike a port freed a moment ago.
 */
export const DEAD_URL = 'http://127.0.0.1:1/sync-stream';

/** A fixture program's path. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

/** How a finished command went. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout as the bytes the binary wrote. */
  stdoutBytes: Buffer;
  stderrBytes: Buffer;
}

type Child = ChildProcessByStdio<Writable | null, Readable, Readable>;

/** Starts `syncstream ...args`. */
export function spawnCli(args: string[]): Child {
  return spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }) as Child;
}

/** Waits for a started command to end and collects its output. */
export async function collect(child: Child): Promise<CliResult> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  const stdoutBytes = Buffer.concat(out);
  const stderrBytes = Buffer.concat(err);
  return {
    code,
    signal,
    stdout: stdoutBytes.toString('utf8'),
    stderr: stderrBytes.toString('utf8'),
    stdoutBytes,
    stderrBytes,
  };
}

/** Runs `syncstream ...args` to its end. */
export function cli(...args: string[]): Promise<CliResult> {
  return collect(spawnCli(args));
}

/** A `syncstream serve` running as a child process. */
export interface ServeProcess {
  /** The items URL it printed. */
  url: string;
  /** Its first stdout line. */
  banner: string;
  child: Child;
  /** Sends `signal` and waits for the end. */
  stop(signal?: NodeJS.Signals): Promise<CliResult & { logs: Record<string, unknown>[] }>;
}

/** Starts `syncstream serve --port 0 ...args` and waits for the line with its URL. */
export async function startServe(...args: string[]): Promise<ServeProcess> {
  const child = spawnCli(['serve', '--port', '0', ...args]);
  const result = collect(child);
  const banner = await firstLine(child.stdout);
  const url = /listening on (\S+)$/.exec(banner)?.[1];
  if (url === undefined) {
    child.kill('SIGKILL');
    const { stderr } = await result;
    throw new Error(`serve printed ${JSON.stringify(banner)}; stderr: ${stderr}`);
  }
  return {
    url,
    banner,
    child,
    async stop(signal = 'SIGTERM') {
      child.kill(signal);
      const done = await result;
      const logs = done.stderr
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      return { ...done, logs };
    },
  };
}

/** The first line a stream gives (without its break), or what it gave before it ended. */
function firstLine(stream: Readable): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const end = text.indexOf('\n');
      if (end < 0) return;
      stream.off('data', onData);
      resolve(text.slice(0, end));
    };
    stream.on('data', onData);
    stream.once('end', () => resolve(text));
  });
}

/** Polls `probe` until it returns a value that `done` accepts (a generous deadline). */
export async function waitFor<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  deadlineMs = 30_000,
): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > end) {
      throw new Error(`timed out waiting for ${what}; last ${JSON.stringify(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
