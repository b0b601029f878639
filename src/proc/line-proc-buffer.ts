import { ChildProcess, fork, type ForkOptions } from 'node:child_process';
import {
  getEnvironmentData,
  setEnvironmentData,
  Worker,
  type WorkerOptions,
} from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import {
  checkReadSize,
  readCount,
  Ring,
  serializeItem,
  UnsupportedError,
  withPartials,
  type Item,
  type SerializedItem,
} from '../core/index.js';
import {
  resolveProcBufferOptions,
  splitLinkOptions,
  type LineProcBufferOptions,
  type LinkOptions,
  type ResolvedProcBufferOptions,
} from './buffer-options.js';
import { attachChild } from './child-link.js';
import { ProcLink, type LinkHost } from './proc-link.js';
import { createHandle, HANDLE_KEY, type MirrorHandle } from './protocol.js';
import type { SourceLines } from './source-lines.js';
import { attachWorker } from './worker-link.js';

/**
 * The parent's side of process mode: one buffer of the newest `maxlen` items, filled
 * by the mirrors of the worker threads and child processes it starts or adopts, and by
 * their plain output when collected. Each mirror has its own partial line, so lines of
 * different writers never merge.
 *
 * @example
 * const pbuf = new LineProcBuffer({ maxlen: 20 });
 * for (let i = 0; i < 4; i += 1) pbuf.worker(new URL('./task.js', import.meta.url));
 * await pbuf.wait();
 * console.log(pbuf.read());
 */
export class LineProcBuffer {
  /** The resolved options. */
  readonly options: Readonly<ResolvedProcBufferOptions>;
  readonly #ring: Ring<Item>;
  /** Sources with a non-empty partial line, in the order their partial lines began. */
  readonly #partials = new Set<SourceLines>();
  readonly #links = new Set<ProcLink>();
  readonly #host: LinkHost;
  #waiters: (() => void)[] = [];
  #stopped = false;
  #cutLines = 0;

  constructor(options: LineProcBufferOptions = {}) {
    this.options = Object.freeze(resolveProcBufferOptions(options));
    this.#ring = new Ring(this.options.maxlen);
    this.#host = this.#makeHost();
  }

  /** How many items the buffer keeps. */
  get maxlen(): number {
    return this.#ring.capacity;
  }

  /** How many entries {@link read} returns: stored items and non-empty partial lines. */
  get length(): number {
    return Math.min(this.maxlen, this.#ring.size + this.#partials.size);
  }

  /** Whether the stop flag is set ({@link stopAllMirrors}). */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** How many workers and children have not ended yet. */
  get liveMirrors(): number {
    return this.#links.size;
  }

  /** How many items were cut from partial lines longer than `maxLineLength`. */
  get cutLines(): number {
    return this.#cutLines;
  }

  /**
   * Starts a child process (`child_process.fork`) whose {@link connectMirror} reaches
   * this buffer. Node's fork options pass through; `collectOutput` pipes its stdout and
   * stderr into the buffer.
   */
  fork(
    modulePath: string | URL,
    args: readonly string[] = [],
    options: ForkOptions & LinkOptions = {},
  ): ChildProcess {
    const [link, forkOptions] = splitLinkOptions(options);
    const stdio: ForkOptions['stdio'] = ['inherit', 'pipe', 'pipe', 'ipc'];
    const piped: ForkOptions = link.collectOutput ? { stdio } : {};
    const child = fork(modulePath, args, { ...piped, ...forkOptions });
    this.#linkChild(child, link);
    return child;
  }

  /**
   * Starts a worker thread whose {@link connectMirror} reaches this buffer. Node's
   * worker options pass through; `collectOutput` takes its stdout and stderr into the
   * buffer instead of the parent's.
   */
  worker(filename: string | URL, options: WorkerOptions & LinkOptions = {}): Worker {
    const [link, workerOptions] = splitLinkOptions(options);
    const piped = link.collectOutput ? { stdout: true, stderr: true } : {};
    const handle = createHandle(`syncstream-proc:${randomUUID()}`);
    const start = () => new Worker(filename, { ...workerOptions, ...piped });
    const worker = withInheritedHandle(handle, start);
    this.#linkWorker(worker, handle, link);
    return worker;
  }

  /**
   * Links a worker or child started elsewhere. A child's {@link connectMirror} finds the
   * buffer over its IPC channel; a worker needs the returned handle, passed to it (in a
   * message, say) for `connectMirror({ handle })`. Adopt a child right after starting it,
   * so that none of its messages come before.
   */
  adopt(target: Worker, options?: LinkOptions): MirrorHandle;
  adopt(target: ChildProcess, options?: LinkOptions): undefined;
  adopt(target: Worker | ChildProcess, options: LinkOptions = {}): MirrorHandle | undefined {
    const [link] = splitLinkOptions(options);
    if (target instanceof Worker) {
      const handle = createHandle(`syncstream-proc:${randomUUID()}`);
      this.#linkWorker(target, handle, link);
      return handle;
    }
    if (target instanceof ChildProcess) return void this.#linkChild(target, link);
    throw new TypeError('adopt expects a Worker or a ChildProcess');
  }

  /** The newest `n` entries (all when `n` is omitted), oldest first. */
  read(n?: number): Item[] {
    const count = readCount(checkReadSize(n), this.maxlen);
    const partials = [...this.#partials].map((lines) => lines.partial);
    return withPartials((k) => this.#ring.last(k), partials, count);
  }

  /** As {@link read}, with records in their JSON wire form. */
  readSerialized(n?: number): SerializedItem[] {
    return this.read(n).map(serializeItem);
  }

  /** Removes every item and partial line; mirrors and the stop flag stay. */
  clear(): void {
    this.#ring.clear();
    for (const link of this.#links) link.clearPartials();
  }

  /**
   * Resolves once the buffer has taken in something more (a batch from a mirror, plain
   * output, or an end): `true` when no worker or child is left running a mirror.
   */
  receive(): Promise<boolean> {
    if (this.#links.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => this.#waiters.push(() => resolve(this.#links.size === 0)));
  }

  /**
   * Resolves once every mirror has ended: by its end signal, an error record, or the
   * death of its worker or child (so it never hangs on one that crashed).
   */
  async wait(): Promise<void> {
    while (!(await this.receive()));
  }

  /** Sets the stop flag: every mirror's `signal` aborts and its next write throws. */
  stopAllMirrors(): void {
    this.#stopped = true;
    for (const link of this.#links) link.stop();
  }

  /**
   * Clears the stop flag so the buffer can be used again. Throws an
   * {@link UnsupportedError} while a mirror is live: wait for them first.
   */
  resetStates(): void {
    if (this.#links.size > 0) {
      throw new UnsupportedError(
        `cannot reset the states of a LineProcBuffer while ${this.#links.size} mirrors are ` +
          'live: await wait() or forceStop() first',
      );
    }
    this.#stopped = false;
  }

  /** Kills every child (SIGKILL) and terminates every worker; resolves once all ended. */
  forceStop(): Promise<void> {
    for (const link of this.#links) link.kill();
    return this.wait();
  }

  /**
   * Receives completed items of `source` and stores them. Override it to consume some
   * items (a progress pattern, say) and pass the rest to `super.parseLines`.
   */
  protected parseLines(items: Item[], source: string): void {
    void source;
    this.#ring.pushAll(items);
  }

  #linkWorker(worker: Worker, handle: MirrorHandle, options: LinkOptions): void {
    const link = this.#newLink(options.source ?? `worker-${worker.threadId}`, 'worker thread');
    attachWorker(link, worker, handle);
    if (options.collectOutput) {
      link.collect('stdout', worker.stdout);
      link.collect('stderr', worker.stderr);
    }
    if (this.#stopped) link.stop();
  }

  #linkChild(child: ChildProcess, options: LinkOptions): void {
    const source = options.source ?? `child-${child.pid ?? 'unstarted'}`;
    const link = this.#newLink(source, 'child process');
    attachChild(link, child);
    if (options.collectOutput) {
      if (!child.stdout || !child.stderr) {
        throw new TypeError('collectOutput needs a child with piped stdout and stderr');
      }
      link.collect('stdout', child.stdout);
      link.collect('stderr', child.stderr);
    }
    if (this.#stopped) link.stop();
    const { exitCode, signalCode } = child;
    if (exitCode !== null || signalCode !== null) link.gone(exitCode, signalCode);
  }

  #newLink(source: string, kind: string): ProcLink {
    const link = new ProcLink(this.#host, source, kind);
    this.#links.add(link);
    return link;
  }

  #wake(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }

  #makeHost(): LinkHost {
    return {
      maxLineLength: this.options.maxLineLength,
      recordCrashes: this.options.recordCrashes,
      tagLine: (line, source, stream) => this.options.tagLine(line, { source, stream }),
      take: (items, source) => this.parseLines(items, source),
      partialChanged: (lines) => {
        if (lines.empty) this.#partials.delete(lines);
        else if (!this.#partials.has(lines)) this.#partials.add(lines);
      },
      countCut: (n) => {
        this.#cutLines += n;
      },
      changed: () => this.#wake(),
      linkDone: (link) => {
        this.#links.delete(link);
        this.#wake();
      },
    };
  }
}

/** Runs `make` (which starts a worker) with `handle` in the environment data it inherits. */
function withInheritedHandle<T>(handle: MirrorHandle, make: () => T): T {
  const previous = getEnvironmentData(HANDLE_KEY);
  setEnvironmentData(HANDLE_KEY, handle as never);
  try {
    return make();
  } finally {
    setEnvironmentData(HANDLE_KEY, previous as never);
  }
}
