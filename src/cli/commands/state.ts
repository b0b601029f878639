/** `syncstream state`: prints a host buffer's states. */
import type { Command } from 'commander';

import { STATE_NAMES } from '../../host/protocol.js';
import { timeoutOption, urlArgument, withReader, type ClientOptions } from './common.js';

interface StateOptions extends ClientOptions {
  json?: boolean;
}

/** Adds the `state` command. */
export function registerState(program: Command): void {
  program
    .command('state')
    .description('print the stop flag (closed), the capacity (maxlen) and the length (curlen)')
    .addArgument(urlArgument())
    .option('--json', 'print the states as one JSON object')
    .addOption(timeoutOption())
    .action(async (url: string, options: StateOptions) => {
      const states = await withReader(url, options, async (reader) => {
        const values: Record<string, unknown> = {};
        for (const name of STATE_NAMES) values[name] = await reader.readState(name);
        return values;
      });
      const text = options.json
        ? JSON.stringify(states)
        : Object.entries(states)
            .map(([name, value]) => `${name}: ${String(value)}`)
            .join('\n');
      process.stdout.write(`${text}\n`);
    });
}
