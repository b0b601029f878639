import type { Readable } from 'node:stream';
import type { StdioStream } from '../capture/index.js';
import { GroupedMessage, type Item } from '../core/index.js';
import { batchOf, type MirrorOp } from './protocol.js';
import { SourceLines, type LinesSink } from './source-lines.js';

/** How long a link waits, after its process or thread is gone, for its output to end. */
const OUTPUT_GRACE_MS = 2000;

/** What a {@link ProcLink} needs from its buffer. */
export interface LinkHost extends LinesSink {
  readonly maxLineLength: number;
  readonly recordCrashes: boolean;
  /** The item a line of plain output becomes. */
  tagLine(line: string, source: string, stream: StdioStream): string;
  /** Hears that a link took something in. */
  changed(): void;
  /** Hears that a link has ended for good. */
  linkDone(link: ProcLink): void;
}

/** What a link does to the thread or process at its other end. */
export interface LinkControl {
  /** Tells the mirror the stop flag is set. */
  stop(): void;
  /** Ends the thread or process at once. */
  kill(): void;
}

/**
 * The buffer's side of one worker thread or child process: applies what its mirror
 * sends, collects its plain output, and decides when it has ended: when the mirror
 * ended (end signal or error record) or the process or thread is gone, and its plain
 * output (if collected) has ended too.
 */
export class ProcLink {
  readonly source: string;
  readonly #kind: string;
  readonly #host: LinkHost;
  readonly #lines = new Map<string, SourceLines>();
  readonly #outputs: Readable[] = [];
  #control: LinkControl | undefined;
  #mirrorEnded = false;
  #gone = false;
  #killed = false;
  #done = false;
  #openOutputs = 0;
  #crash: GroupedMessage | undefined;
  #graceTimer: NodeJS.Timeout | undefined;

  /** @param kind - how the far end is named in a crash record ('worker thread'). */
  constructor(host: LinkHost, source: string, kind: string) {
    this.#host = host;
    this.source = source;
    this.#kind = kind;
  }

  /** Whether the link has ended for good. */
  get done(): boolean {
    return this.#done;
  }

  /** Connects the link to its far end. */
  setControl(control: LinkControl): void {
    this.#control = control;
  }

  /** Applies a batch from the mirror; returns its seq to acknowledge (undefined if none). */
  applyBatch(message: unknown): number | undefined {
    const batch = batchOf(message);
    if (!batch) return undefined;
    if (this.#mirrorEnded) return batch.seq;

    try {
      for (const op of batch.ops) this.#apply(op);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.#take([new GroupedMessage(`malformed message from ${this.source}: ${reason}`, 'error')]);
    }
    this.#host.changed();
    this.#finishIfDone();
    return batch.seq;
  }

  /** Collects a stream of plain output, line by line, tagged by source. */
  collect(stream: StdioStream, readable: Readable): void {
    const lines = new SourceLines(this.source, this.#host, this.#host.maxLineLength, (line) =>
      this.#host.tagLine(line, this.source, stream),
    );
    this.#lines.set(`output:${stream}`, lines);
    this.#outputs.push(readable);
    this.#openOutputs += 1;
    readable.setEncoding('utf8');
    readable.on('data', (text: string) => {
      lines.push(text);
      this.#host.changed();
    });

    let open = true;
    const end = (): void => {
      if (!open) return;
      open = false;
      lines.commit();
      this.#openOutputs -= 1;
      this.#finishIfDone();
    };
    readable.once('end', end).once('close', end).once('error', end);
  }

  /** The thread or process failed with `error` (kept as its crash record). */
  failed(error: unknown): void {
    if (this.#done || this.#killed || this.#mirrorEnded || !this.#host.recordCrashes) return;

    this.#crash ??= GroupedMessage.fromError(error, 'error');
  }

  /** The thread or process is gone, and every message it sent has been taken in. */
  gone(code: number | null, signal: string | null): void {
    if (this.#gone) return;

    this.#gone = true;
    const abnormal = (code !== null && code !== 0) || signal !== null;
    if (abnormal && !this.#killed && !this.#mirrorEnded && this.#host.recordCrashes) {
      const how = signal === null ? `exited with code ${code}` : `was killed by ${signal}`;
      this.#crash ??= new GroupedMessage(`${this.#kind} ${this.source} ${how}`, 'error');
    }
    if (this.#openOutputs > 0) {
      // A grandchild may hold the output open; the link must still end.
      this.#graceTimer = setTimeout(() => this.endOutputs(), OUTPUT_GRACE_MS);
    }
    this.#finishIfDone();
  }

  /** Stops collecting plain output now: what came in stays, the partial lines too. */
  endOutputs(): void {
    for (const readable of this.#outputs) readable.destroy();
  }

  /** Passes the stop flag on. */
  stop(): void {
    if (!this.#done) this.#control?.stop();
  }

  /** Ends the far end at once; no crash record is kept for it. */
  kill(): void {
    if (this.#done) return;

    this.#killed = true;
    this.#control?.kill();
  }

  /** Forgets every partial line. */
  clearPartials(): void {
    for (const lines of this.#lines.values()) lines.clear();
  }

  #apply(op: MirrorOp): void {
    switch (op.op) {
      case 'text':
        if (typeof op.text !== 'string') throw new TypeError('text must be a string');
        return this.#mirrorLines(op.stream).push(op.text);
      case 'newLine':
        return this.#mirrorLines(op.stream).commit();
      case 'record':
        this.#commitMirror();
        return this.#take([GroupedMessage.deserialize(op.record)]);
      case 'end':
        this.#commitMirror();
        if (op.error !== undefined) this.#take([GroupedMessage.deserialize(op.error)]);
        this.#mirrorEnded = true;
        return;
      default:
        throw new TypeError(`unknown op ${JSON.stringify((op as { op: unknown }).op)}`);
    }
  }

  #mirrorLines(stream: unknown): SourceLines {
    if (stream !== 'stdout' && stream !== 'stderr') {
      throw new TypeError('stream must be stdout or stderr');
    }

    const key = `mirror:${stream}`;
    let lines = this.#lines.get(key);
    if (!lines) {
      lines = new SourceLines(this.source, this.#host, this.#host.maxLineLength);
      this.#lines.set(key, lines);
    }
    return lines;
  }

  #commitMirror(): void {
    this.#lines.get('mirror:stdout')?.commit();
    this.#lines.get('mirror:stderr')?.commit();
  }

  #take(items: Item[]): void {
    this.#host.take(items, this.source);
  }

  #finishIfDone(): void {
    if (this.#done || !(this.#mirrorEnded || this.#gone) || this.#openOutputs > 0) return;

    this.#done = true;
    clearTimeout(this.#graceTimer);
    for (const lines of this.#lines.values()) lines.commit();
    if (this.#crash) this.#take([this.#crash]);
    this.#host.linkDone(this);
  }
}
