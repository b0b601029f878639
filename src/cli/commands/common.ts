/** What the commands that talk to a running host share: the URL argument, the timeout. */
import { Argument, Option } from 'commander';

import { LineHostReader } from '../../host/reader.js';
import { CliError } from '../fail.js';
import { CLI_DEFAULTS, parseTimeout, parseUrl } from '../options.js';

/** Options every client command takes. */
export interface ClientOptions {
  /** Milliseconds a request may take. */
  timeout: number;
}

/** The `<url>` argument: a host buffer's items URL. */
export function urlArgument(): Argument {
  const description = 'the host buffer URL, e.g. http://127.0.0.1:5000/sync-stream';
  return new Argument('<url>', description).argParser(parseUrl);
}

/** The `--timeout <ms>` option. */
export function timeoutOption(): Option {
  return new Option('--timeout <ms>', 'how long one request may take, in milliseconds')
    .default(CLI_DEFAULTS.timeoutMs)
    .argParser(parseTimeout);
}

/** Runs `task` with a reader of `url`, closing it after. */
export async function withReader<T>(
  url: string,
  options: ClientOptions,
  task: (reader: LineHostReader) => Promise<T>,
): Promise<T> {
  await using reader = new LineHostReader(url, { timeout: options.timeout });
  return await task(reader);
}

/** Fails unless the host answered `success`. */
export function expectSuccess(succeeded: boolean, what: string): void {
  if (!succeeded) throw new CliError(`${what}: the host did not answer "success"`);
}
