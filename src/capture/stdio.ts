/**
 * Redirects `process.stdout` and `process.stderr` writes (so `console.*` too) to a
 * sink for a scope, and puts the real writers back after it, even when it throws.
 *
 * Two kinds of scope:
 * - `process`: every write in the process goes to the innermost such scope.
 * - `async`: only writes made inside the scope's async context (AsyncLocalStorage), so
 *   concurrent tasks, each in its own scope, fill their own sinks without mixing.
 * An async scope wins over a process scope.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { StringDecoder } from 'node:string_decoder';
import { checkOptionNames, describeValue } from '../core/index.js';

/** The stream a captured write was made to. */
export type StdioStream = 'stdout' | 'stderr';

/** Receives captured text. It may throw: the error reaches the code that wrote. */
export type StdioSink = (text: string, stream: StdioStream) => void;

/** Options of {@link captureStdio} and {@link startCapture}. */
export interface CaptureOptions {
  /**
   * Which writes reach the sink: all of the process's (`'process'`) or only those made
   * in the scope's async context (`'async'`).
   * @default 'process'
   */
  scope?: 'process' | 'async';
  /**
   * Also pass captured writes on to the real stream.
   * @default false
   */
  echo?: boolean;
}

/** A running capture; disposing it (or calling `stop`) ends it. */
export interface CaptureHandle extends Disposable {
  stop(): void;
}

type WriteFn = typeof process.stdout.write;

class Capture {
  readonly #decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };

  constructor(
    readonly sink: StdioSink,
    readonly echo: boolean,
  ) {}

  take(chunk: unknown, stream: StdioStream): void {
    const text = this.#decode(chunk, stream);
    if (text !== '') this.sink(text, stream);
  }

  #decode(chunk: unknown, stream: StdioStream): string {
    if (typeof chunk === 'string') return chunk;
    if (chunk instanceof Uint8Array) return this.#decoders[stream].write(Buffer.from(chunk));
    return String(chunk);
  }
}

const asyncScope = new AsyncLocalStorage<Capture>();
const processScopes: Capture[] = [];
let originals: { stdout: WriteFn; stderr: WriteFn } | undefined;
let activeCount = 0;

/**
 * Runs `fn` with the process's standard output and error going to `sink`.
 *
 * @example
 * await captureStdio((text) => buf.write(text), async () => console.log('hi'));
 */
export async function captureStdio<T>(
  sink: StdioSink,
  fn: () => T | Promise<T>,
  options: CaptureOptions = {},
): Promise<T> {
  const capture = new Capture(sink, checkCaptureOptions(options).echo);
  if (options.scope === 'async') {
    acquire();
    try {
      return await asyncScope.run(capture, fn);
    } finally {
      release();
    }
  }

  using _handle = begin(capture);
  return await fn();
}

/** Starts a process-wide capture that lasts until the handle is stopped or disposed. */
export function startCapture(sink: StdioSink, options: Omit<CaptureOptions, 'scope'> = {}) {
  checkOptionNames(options, ['echo'], 'startCapture');
  return begin(new Capture(sink, checkCaptureOptions(options).echo));
}

/** Checks capture options: known names, a known scope, a boolean echo. */
function checkCaptureOptions(options: CaptureOptions): { echo: boolean } {
  checkOptionNames(options, ['scope', 'echo'], 'capture');
  const { scope, echo = false } = options;
  if (scope !== undefined && scope !== 'process' && scope !== 'async') {
    throw new TypeError(`capture scope must be "process" or "async", got ${describeValue(scope)}`);
  }
  if (typeof echo !== 'boolean') {
    throw new TypeError(`capture echo must be a boolean, got ${describeValue(echo)}`);
  }
  return { echo };
}

function begin(capture: Capture): CaptureHandle {
  acquire();
  processScopes.push(capture);
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    // Scopes may end out of order when they overlap in time.
    processScopes.splice(processScopes.lastIndexOf(capture), 1);
    release();
  };
  return { stop, [Symbol.dispose]: stop };
}

function acquire(): void {
  activeCount += 1;
  if (originals) return;

  originals = { stdout: process.stdout.write, stderr: process.stderr.write };
  process.stdout.write = redirect('stdout');
  process.stderr.write = redirect('stderr');
}

function release(): void {
  activeCount -= 1;
  if (activeCount > 0 || !originals) return;

  process.stdout.write = originals.stdout;
  process.stderr.write = originals.stderr;
  originals = undefined;
}

function redirect(stream: StdioStream): WriteFn {
  const write = function (this: unknown, chunk: unknown, encoding?: unknown, cb?: unknown) {
    const real = originals?.[stream] ?? process[stream].write;
    const capture = asyncScope.getStore() ?? processScopes.at(-1);
    if (!capture)
      return real.call(process[stream], chunk as string, encoding as never, cb as never);

    capture.take(chunk, stream);
    if (capture.echo)
      return real.call(process[stream], chunk as string, encoding as never, cb as never);

    const done = typeof encoding === 'function' ? encoding : cb;
    if (typeof done === 'function') process.nextTick(done as () => void);
    return true;
  };
  return write as WriteFn;
}
