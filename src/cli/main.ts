#!/usr/bin/env node
/**
 * The `syncstream` command line: `serve` runs a host buffer; `run` wraps a program and
 * mirrors its output; `read`, `state`, `stop`, `reset` and `clear` talk to a running host.
 */
import { readFileSync } from 'node:fs';

import { Command, CommanderError } from 'commander';

import { registerControl } from './commands/control.js';
import { registerRead } from './commands/read.js';
import { registerRun } from './commands/run.js';
import { registerServe } from './commands/serve.js';
import { registerState } from './commands/state.js';
import { CliError, EXIT, describeError, oneLine, printError } from './fail.js';

/** The whole program, with every command. */
export function createProgram(): Command {
  const program = new Command('syncstream')
    .description('gather the output lines of many programs into one bounded buffer over HTTP')
    .version(packageVersion(), '-v, --version')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      outputError: (text, write) => write(`syncstream: ${oneLine(text.replace(/^error: /, ''))}\n`),
    });
  registerServe(program);
  registerRun(program);
  registerRead(program);
  registerState(program);
  registerControl(program);
  return program;
}

/** Runs the command line; sets the exit code, never throws. */
export async function main(argv: string[] = process.argv): Promise<void> {
  process.stdout.on('error', reportStdoutError);
  try {
    await createProgram().parseAsync(argv);
  } catch (error) {
    process.exitCode = exitCodeFor(error);
  }
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has printed the help or its one-line message already.
    return error.exitCode === 0 ? 0 : EXIT.usage;
  }
  printError(describeError(error));
  return error instanceof CliError ? error.exitCode : EXIT.failure;
}

/** A reader that closed the pipe (`| head`) is no failure; anything else is reported. */
function reportStdoutError(error: NodeJS.ErrnoException): void {
  if (error.code === 'EPIPE') return;
  printError(`cannot write to stdout: ${error.message}`);
  process.exitCode = EXIT.failure;
}

function packageVersion(): string {
  const url = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

await main();
