/**
 * Starting the program `syncstream run` wraps, and describing how it ended.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { constants } from 'node:os';
import type { Readable } from 'node:stream';

import { CliError, EXIT } from '../fail.js';

/** A started program whose stdout and stderr are pipes. */
export type Program = ChildProcessByStdio<null, Readable, Readable>;

/** The program could not be started; `reason` says why, without the program's name. */
export class StartError extends CliError {
  /** Why, e.g. `command not found`. */
  readonly reason: string;

  constructor(file: string, reason: string, exitCode: number) {
    super(`cannot run ${file}: ${reason}`, exitCode);
    this.reason = reason;
  }
}

/** How a program ended. */
export interface Ending {
  /** Its exit code, or `null` when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Starts `file` with `args`, stdin inherited and stdout/stderr piped. Rejects with a
 * {@link StartError} (exit 127 when not found, 126 when not executable) if it cannot start.
 */
export async function startProgram(file: string, args: string[]): Promise<Program> {
  const child = spawn(file, args, { stdio: ['inherit', 'pipe', 'pipe'] });
  try {
    await once(child, 'spawn');
  } catch (error) {
    throw cannotStart(file, error);
  }
  return child;
}

/** Resolves once the program has exited and its stdout and stderr are closed. */
export async function ended(child: Program): Promise<Ending> {
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  return { code, signal };
}

/** The exit code `syncstream run` leaves with: the program's, or 128 + a signal's number. */
export function exitCodeOf(ending: Ending): number {
  if (ending.code !== null) return ending.code;

  const number = ending.signal ? constants.signals[ending.signal] : undefined;
  return 128 + (number ?? 0);
}

/** `exit code 3`, `killed by signal SIGTERM`. */
export function describeEnding(ending: Ending): string {
  return ending.code !== null ? `exit code ${ending.code}` : `killed by signal ${ending.signal}`;
}

/** The command line as a person would type it, for messages. */
export function commandLine(file: string, args: string[]): string {
  return [file, ...args].map(quote).join(' ');
}

function quote(arg: string): string {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

function cannotStart(file: string, error: unknown): StartError {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return new StartError(file, 'command not found', EXIT.notFound);
  if (code === 'EACCES') return new StartError(file, 'permission denied', EXIT.cannotExecute);
  return new StartError(file, (error as Error).message, EXIT.cannotExecute);
}
