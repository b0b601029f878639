/** `syncstream read`: prints the items of a host buffer. */
import type { Command } from 'commander';

import type { Item } from '../../core/index.js';
import { parseCount } from '../options.js';
import { timeoutOption, urlArgument, withReader, type ClientOptions } from './common.js';

interface ReadOptions extends ClientOptions {
  items?: number;
  json?: boolean;
}

/** Adds the `read` command. */
export function registerRead(program: Command): void {
  program
    .command('read')
    .description('print the items of a host buffer, oldest first, one per line')
    .addArgument(urlArgument())
    .option('-n, --items <N>', 'only the newest N items', parseCount)
    .option('--json', 'print the items as one JSON array in their wire form')
    .addOption(timeoutOption())
    .action(async (url: string, options: ReadOptions) => {
      const items = await withReader(url, options, (reader) => reader.read(options.items));
      process.stdout.write(options.json ? `${JSON.stringify(items)}\n` : asText(items));
    });
}

/** One item per line; a record as its text form (its lines joined). */
function asText(items: Item[]): string {
  return items.map((item) => `${String(item)}\n`).join('');
}
