/**
 * `syncstream run`: runs a program, shows its output unchanged, mirrors each line of it
 * to a host buffer, and exits with the program's exit code.
 */
import { hostname } from 'node:os';
import { basename } from 'node:path';

import { Option, type Command } from 'commander';

import { GroupedMessage } from '../../core/index.js';
import { LineHostMirror } from '../../host/mirror.js';
import { describeError, printError } from '../fail.js';
import { CLI_DEFAULTS, parseSource, parseTimeout, parseUrl } from '../options.js';
import {
  commandLine,
  describeEnding,
  ended,
  exitCodeOf,
  startProgram,
  StartError,
  type Ending,
  type Program,
} from '../run/program.js';
import { Tee } from '../run/tee.js';
import { timeoutOption, type ClientOptions } from './common.js';

interface RunOptions extends ClientOptions {
  to: string;
  source?: string;
  aggressive?: boolean;
  killAfter: number;
}

/**
 * Signals that `run` passes on to its program instead of dying of them. SIGINT is only
 * ignored, not passed on: Ctrl-C reaches the program from the terminal already, and a
 * second one would interrupt its cleanup.
 */
const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP'];

/** Adds the `run` command. */
export function registerRun(program: Command): void {
  program
    .command('run')
    .description(
      'run a program, show its output unchanged and mirror each line of it to a host ' +
        "buffer; exits with the program's exit code",
    )
    .usage('--to <url> [options] -- <program> [args...]')
    .requiredOption(
      '--to <url>',
      'the host buffer URL, e.g. http://127.0.0.1:5000/sync-stream',
      parseUrl,
    )
    .option(
      '--source <name>',
      'the writer id sent with each line (default: <host>:<program>:<pid>)',
      parseSource,
    )
    .option('--aggressive', 'forward partial lines as they come, not only whole lines')
    .addOption(
      new Option(
        '--kill-after <ms>',
        'after the stop flag sent SIGTERM, how long to wait before SIGKILL, in milliseconds',
      )
        .default(CLI_DEFAULTS.killAfterMs)
        .argParser(parseTimeout),
    )
    .addOption(timeoutOption())
    .argument('<program>', 'the program to run')
    .argument('[args...]', 'its arguments')
    .passThroughOptions()
    .addHelpText(
      'after',
      `
The program's stdout and stderr still reach this terminal unchanged. Each line also goes
to the host, tagged with its stream; a non-zero exit or a signal is recorded there as an
error record. When the host's stop flag is set, the program is sent SIGTERM, and SIGKILL
if it has not ended --kill-after milliseconds later. SIGTERM
and SIGHUP sent to syncstream are passed on; Ctrl-C reaches the program from the
terminal, and syncstream waits for it to end.
Exit code: the program's (128 + the signal's number when a signal ended it); 127 when
the program is not found, 126 when it cannot be executed.

Example:
  syncstream run --to http://127.0.0.1:5000/sync-stream -- python3 train.py --epochs 3`,
    )
    .action((file: string, args: string[], options: RunOptions) => run(file, args, options));
}

async function run(file: string, args: string[], options: RunOptions): Promise<void> {
  const mirror = new LineHostMirror(options.to, {
    aggressive: options.aggressive ?? false,
    timeout: options.timeout,
    source: options.source ?? defaultSource(file),
  });
  const line = commandLine(file, args);
  let child: Program;
  try {
    child = await startProgram(file, args);
  } catch (error) {
    const reason = error instanceof StartError ? error.reason : describeError(error);
    mirror.sendError(new GroupedMessage([`Command failed: ${line}: ${reason}`], 'error'));
    await closeMirror(mirror);
    throw error;
  }

  const { ending, stoppedByHost } = await supervise(child, mirror, options.killAfter);
  if (ending.code !== 0) {
    const why = stoppedByHost ? " (sent because the host's stop flag was set)" : '';
    const message = `Command failed: ${line}: ${describeEnding(ending)}${why}`;
    mirror.sendError(new GroupedMessage([message], 'error'));
  }
  await closeMirror(mirror);
  process.exitCode = exitCodeOf(ending);
}

/**
 * Copies the program's output until it ends, passing on signals meant for it, and
 * sends it SIGTERM once the host's stop flag is seen.
 */
async function supervise(
  child: Program,
  mirror: LineHostMirror,
  killAfterMs: number,
): Promise<{ ending: Ending; stoppedByHost: boolean }> {
  let stoppedByHost = false;
  let killTimer: NodeJS.Timeout | undefined;
  const forward = (signal: NodeJS.Signals) => void child.kill(signal);
  const kill = () => {
    printError(`${child.spawnfile} did not end within ${killAfterMs} ms; sending SIGKILL`);
    child.kill('SIGKILL');
  };
  const stop = () => {
    stoppedByHost = true;
    printError(`the host's stop flag is set; sending SIGTERM to ${child.spawnfile}`);
    child.kill('SIGTERM');
    killTimer = setTimeout(kill, killAfterMs);
  };
  const ignore = () => undefined;
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  process.on('SIGINT', ignore);
  mirror.signal.addEventListener('abort', stop, { once: true });
  try {
    const tee = new Tee(mirror);
    const copies = Promise.all([
      tee.copy(child.stdout, process.stdout, 'stdout'),
      tee.copy(child.stderr, process.stderr, 'stderr'),
    ]);
    const ending = await ended(child);
    await copies;
    return { ending, stoppedByHost };
  } finally {
    clearTimeout(killTimer);
    for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
    process.off('SIGINT', ignore);
    mirror.signal.removeEventListener('abort', stop);
  }
}

/** Closes the mirror; a delivery failure is reported but does not change the exit code. */
async function closeMirror(mirror: LineHostMirror): Promise<void> {
  try {
    await mirror.close();
  } catch (error) {
    printError(describeError(error));
  }
  const cut = mirror.cutLines;
  if (cut > 0) {
    printError(
      `the host stored ${cut === 1 ? 'a line' : `lines`} longer than its maxLineLength in ` +
        `pieces (${cut} ${cut === 1 ? 'cut' : 'cuts'})`,
    );
  }
}

/** `<host>:<program>:<pid>`, within the 128 characters a source may have. */
function defaultSource(file: string): string {
  return `${hostname().slice(0, 60)}:${basename(file).slice(0, 50)}:${process.pid}`;
}
