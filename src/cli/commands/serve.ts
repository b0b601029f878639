/** `syncstream serve`: runs a host buffer on a server of its own until SIGINT/SIGTERM. */
import { once } from 'node:events';

import { Option, type Command } from 'commander';
import { pino, type Logger } from 'pino';

import { listen, type HostServer } from '../../host/adapters/node-http.js';
import { LineHostBuffer } from '../../host/host-buffer.js';
import { CliError } from '../fail.js';
import { CLI_DEFAULTS, parseBytes, parseMaxlen, parsePort, parseRoute } from '../options.js';

interface ServeOptions {
  host: string;
  port: number;
  route: string;
  maxlen: number;
  bodyLimit?: number;
}

/** What a failure to listen means, by its system error code. */
const LISTEN_FAILURES: Record<string, string> = {
  EADDRINUSE: 'the port is already in use',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'the address is not one of this machine',
  ENOTFOUND: 'the host name could not be resolved',
};

/** Adds the `serve` command. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'run a host buffer that mirrors write to and readers read; logs JSON lines to stderr',
    )
    .addOption(
      new Option('--host <address>', 'the address to bind (0.0.0.0 for every interface)').default(
        CLI_DEFAULTS.host,
      ),
    )
    .addOption(portOption())
    .addOption(
      new Option('--route <path>', 'the route of the items; states are at <path>-state')
        .default(CLI_DEFAULTS.route)
        .argParser(parseRoute),
    )
    .addOption(
      new Option('--maxlen <N>', 'how many items the buffer keeps (the oldest go first)')
        .default(CLI_DEFAULTS.maxlen)
        .argParser(parseMaxlen),
    )
    .option('--body-limit <bytes>', 'the largest request body, e.g. 4m (default: 4m)', parseBytes)
    .addHelpText(
      'after',
      `
Prints "syncstream host listening on <url>" once ready; give that URL to run, read,
state, stop, reset and clear. Stops cleanly on SIGINT (Ctrl-C) or SIGTERM.

Example:
  syncstream serve --port 5000 --maxlen 50000`,
    )
    .action((options: ServeOptions) => serve(options));
}

function portOption(): Option {
  return new Option('--port <number>', 'the TCP port; 0 picks a free one')
    .default(CLI_DEFAULTS.port)
    .argParser(parsePort);
}

async function serve(options: ServeOptions): Promise<void> {
  // Listen for the signals first, so one that comes while starting still stops cleanly.
  const stopSignal = firstSignal();
  const logger = pino({ name: 'syncstream' }, pino.destination({ dest: 2, sync: true }));
  const hbuf = new LineHostBuffer({
    apiRoute: options.route,
    maxlen: options.maxlen,
    logger,
    ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
  });
  const server = await start(hbuf, options);
  const { bodyLimit, endpoint } = hbuf.options;
  logger.info({ url: server.url, maxlen: hbuf.maxlen, bodyLimit, endpoint }, 'listening');
  process.stdout.write(`syncstream host listening on ${server.url}\n`);

  const signal = await stopSignal;
  hurryOnSecondSignal(logger, server);
  logger.info({ signal }, 'stopping');
  await server.close();
  await hbuf.close();
  logger.info({}, 'stopped');
}

async function start(hbuf: LineHostBuffer, options: ServeOptions): Promise<HostServer> {
  try {
    return await listen(hbuf, { host: options.host, port: options.port });
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    const reason = LISTEN_FAILURES[code] ?? (error as Error).message;
    throw new CliError(`cannot listen on ${options.host}:${options.port}: ${reason}`);
  }
}

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** Resolves with the first SIGINT or SIGTERM. */
function firstSignal(): Promise<NodeJS.Signals> {
  const controller = new AbortController();
  return Promise.race(
    STOP_SIGNALS.map(async (name) => {
      await once(process, name, { signal: controller.signal });
      return name;
    }),
  ).finally(() => controller.abort());
}

/** A second signal, while connections are still finishing, ends them at once. */
function hurryOnSecondSignal(logger: Logger, server: HostServer): void {
  const hurry = (name: NodeJS.Signals) => {
    logger.warn({ signal: name }, 'closing open connections now');
    server.server.closeAllConnections();
  };
  for (const name of STOP_SIGNALS) process.once(name, hurry);
}
