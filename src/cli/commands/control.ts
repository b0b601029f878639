/** `syncstream stop`, `reset` and `clear`: change a host buffer's stop flag or items. */
import type { Command } from 'commander';

import type { LineHostReader } from '../../host/reader.js';
import {
  expectSuccess,
  timeoutOption,
  urlArgument,
  withReader,
  type ClientOptions,
} from './common.js';

interface ControlCommand {
  name: string;
  description: string;
  act(reader: LineHostReader): Promise<boolean>;
  /** What is printed once done. */
  done(url: string): string;
}

const COMMANDS: ControlCommand[] = [
  {
    name: 'stop',
    description: 'set the stop flag: every mirror writing to the buffer stops',
    act: (reader) => reader.stopAllMirrors(),
    done: (url) => `stop flag set on ${url}; mirrors writing to it will stop`,
  },
  {
    name: 'reset',
    description: 'clear the stop flag so mirrors can write again (items stay)',
    act: (reader) => reader.resetStates(),
    done: (url) => `stop flag cleared on ${url}`,
  },
  {
    name: 'clear',
    description: 'remove every item and partial line (the stop flag stays)',
    act: (reader) => reader.clear(),
    done: (url) => `removed every item from ${url}`,
  },
];

/** Adds the `stop`, `reset` and `clear` commands. */
export function registerControl(program: Command): void {
  for (const command of COMMANDS) {
    program
      .command(command.name)
      .description(command.description)
      .addArgument(urlArgument())
      .addOption(timeoutOption())
      .action(async (url: string, options: ClientOptions) => {
        expectSuccess(await withReader(url, options, command.act), `${command.name} ${url}`);
        process.stdout.write(`${command.done(url)}\n`);
      });
  }
}
