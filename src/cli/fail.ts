/**
 * How the CLI reports a failure: one line on stderr, `syncstream: <message>`, and an exit
 * code; never a stack.
 */
import { HttpStatusError } from '../core/index.js';

/** Exit codes of the CLI (besides `run`, which exits with its program's code). */
export const EXIT = {
  /** The request or operation failed. */
  failure: 1,
  /** The command line was wrong (unknown option, bad value, missing argument). */
  usage: 2,
  /** `run`: the program exists but could not be executed. */
  cannotExecute: 126,
  /** `run`: the program was not found. */
  notFound: 127,
} as const;

/** A failure the CLI reports with its own message and exit code. */
export class CliError extends Error {
  /** The exit code to leave with. */
  readonly exitCode: number;

  constructor(message: string, exitCode: number = EXIT.failure) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** The one-line message of any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof HttpStatusError) {
    return oneLine(`the host answered ${error.status}: ${error.message}`);
  }
  if (error instanceof Error) return oneLine(error.message || error.name);
  return oneLine(String(error));
}

/** Prints `syncstream: <message>` on stderr. */
export function printError(message: string): void {
  process.stderr.write(`syncstream: ${oneLine(message)}\n`);
}

/** Collapses line breaks and runs of spaces so a message stays on one line. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
