import {
  ClosedError,
  UnsupportedError,
  checkReadSize,
  readCount,
  readWindow,
  serializeItem,
  type Item,
  type SerializedItem,
  type SplitState,
} from '../core/index.js';
import {
  resolveHostOptions,
  type LineHostBufferOptions,
  type ResolvedHostOptions,
} from './host-options.js';
import type { StateName, WriteCommand } from './protocol.js';
import { SourceTable, type EvictedSource } from './source-table.js';
import type { ItemStore, NewEntry } from './store/item-store.js';
import { MemoryStore } from './store/memory-store.js';
import { mount, type MountTarget } from './serve.js';

/** What the host answers to an applied (or dropped) write. */
export interface WriteOutcome {
  /** The request repeated one already applied (same source, seq not above the last). */
  duplicate: boolean;
  /** The stop flag, so a mirror learns it without another request. */
  closed: boolean;
  /** How many times a line longer than `maxLineLength` was cut by this write. */
  cut: number;
}

/** What a checked write stores, and the partial line it leaves. */
interface WritePlan extends SplitState {
  readonly entries: NewEntry[];
  /** How many times an over-long line was cut. */
  readonly cut: number;
}

/** The newest `n` entries of `list` (all of it when shorter). */
function newest<T>(list: T[], n: number): T[] {
  return list.length > n ? list.slice(list.length - n) : list;
}

/**
 * `text` in memory of its own. V8 keeps a substring as a view of the string it was cut
 * from, so a short partial line would otherwise hold a whole request body for as long as
 * its writer stays silent: up to `bodyLimit` for each source. Copying only after a
 * break keeps the cost linear: the copy is at most as long as the request's text.
 */
function ownCopy(text: string): string {
  return ` ${text}`.slice(1);
}

/** The routes a host buffer answers on. */
export interface HostRoutes {
  /** Items: GET, POST, DELETE. */
  items: string;
  /** States: GET, POST, DELETE. */
  state: string;
  /** The OpenAPI document of the two above: GET. */
  openapi: string;
}

/**
 * The host side of host mode: keeps the newest `maxlen` items that mirrors on any host
 * send over HTTP, and the stop flag they watch. Mount it on an Express app or a
 * Fastify instance with {@link LineHostBuffer.serve}, or run it alone with `listen`
 * from `syncstream/host`.
 *
 * Requests are applied one at a time, so a write is checked and stored whole or not at
 * all, and a read never sees half of one.
 */
export class LineHostBuffer {
  /** The resolved options. */
  readonly options: Readonly<ResolvedHostOptions>;
  /** The routes, from `apiRoute`. */
  readonly routes: HostRoutes;
  readonly #store: ItemStore;
  readonly #sources: SourceTable;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;
  #evictedSources = 0;
  #droppedForSize = 0;
  #cutLines = 0;

  constructor(options: LineHostBufferOptions = {}) {
    this.options = Object.freeze(resolveHostOptions(options));
    const { apiRoute, maxlen, store } = this.options;
    this.routes = Object.freeze({
      items: apiRoute,
      state: `${apiRoute}-state`,
      openapi: `${apiRoute}-openapi.json`,
    });
    this.#store = store ?? this.#memoryStore(maxlen);
    this.#sources = new SourceTable(this.options);
  }

  /** How many times a line longer than `maxLineLength` was cut into pieces. */
  get cutLines(): number {
    return this.#cutLines;
  }

  /** How many items were dropped to keep the memory store within `maxStoredChars`. */
  get droppedForSize(): number {
    return this.#droppedForSize;
  }

  /** How many items the buffer keeps. */
  get maxlen(): number {
    return this.options.maxlen;
  }

  /** Whether {@link close} was called; writes are then refused. */
  get closed(): boolean {
    return this.#closed;
  }

  /** How many sources were forgotten to keep within `maxSources`. */
  get evictedSources(): number {
    return this.#evictedSources;
  }

  /** How many entries {@link read} returns: stored items and non-empty partial lines. */
  get length(): Promise<number> {
    return this.#exclusive(() => this.#length());
  }

  /** The newest `n` items (all when omitted), oldest first. */
  async read(n?: number): Promise<Item[]> {
    // async, so a bad `n` rejects like every other failure of this promise API.
    const size = checkReadSize(n);
    return this.#exclusive(() => this.#read(size));
  }

  /** As {@link read}, in the JSON wire form. */
  async readSerialized(n?: number): Promise<SerializedItem[]> {
    return (await this.read(n)).map(serializeItem);
  }

  /** A state as `GET R-state` answers it. */
  readState(name: StateName): Promise<boolean | number> {
    return this.#exclusive(async () => {
      if (name === 'closed') return this.#store.readStopFlag();
      if (name === 'maxlen') return this.maxlen;
      return this.#length();
    });
  }

  /** Applies a checked `POST R` body (see `syncstream/host` protocol helpers). */
  applyWrite(command: WriteCommand): Promise<WriteOutcome> {
    return this.#exclusive(async () => {
      if (this.#closed) throw new ClosedError('the host buffer is closed; it takes no more writes');

      const duplicate = this.#isDuplicate(command);
      const cut = duplicate ? 0 : await this.#apply(command);
      return { duplicate, closed: await this.#store.readStopFlag(), cut };
    });
  }

  /**
   * Registers the buffer's routes (protocol.md section 4) on an Express app or router,
   * or a Fastify instance, and changes nothing else on it.
   */
  serve(app: MountTarget): void {
    mount(app, this);
  }

  /** Writes do not go to a host buffer directly; they come through mirrors. */
  write(_text?: string): never {
    throw new UnsupportedError(
      'LineHostBuffer does not take writes directly; writers send them through a ' +
        'LineHostMirror (or POST to the items route)',
    );
  }

  /** Removes every item and partial line; the stop flag stays as it is. */
  clear(): Promise<void> {
    return this.#exclusive(async () => {
      await this.#store.clear();
      this.#sources.clearPartials();
      this.options.logger?.info({ endpoint: this.options.endpoint }, 'buffer cleared');
    });
  }

  /** Sets the stop flag: mirrors refuse further writes once they see it. */
  stopAllMirrors(): Promise<true> {
    return this.#setStopFlag(true);
  }

  /** Clears the stop flag so the buffer can be reused; `maxlen` is kept. */
  resetStates(): Promise<true> {
    return this.#setStopFlag(false);
  }

  /** Sets the stop flag to `value`. */
  setStopFlag(value: boolean): Promise<true> {
    return this.#setStopFlag(value);
  }

  /**
   * Stores every partial line and refuses further writes; reads keep working. Only the
   * first call does anything. A store passed in options is left open for its owner.
   */
  close(): Promise<void> {
    return this.#exclusive(async () => {
      if (this.#closed) return;

      const entries = this.#sources
        .pending()
        .map(({ partial, source }) => this.#entry(partial, source));
      await this.#store.append(newest(entries, this.maxlen));
      // Only now: a store that failed leaves the buffer open with its partial lines.
      this.#closed = true;
      this.#sources.clearPartials();
    });
  }

  #isDuplicate({ source, seq }: WriteCommand): boolean {
    if (source === undefined || seq === undefined) return false;

    // An exact match, not "not above the last": two writers that were given the same
    // source name (or a writer restarted under it) must not drop each other's requests.
    return this.#sources.peek(source)?.recentSeqs.includes(seq) ?? false;
  }

  async #apply(command: WriteCommand): Promise<number> {
    // A close only ends a source; it must not make room for one that is not there.
    const evicted = command.type === 'close' ? undefined : this.#sources.wouldEvict(command.source);
    const before = this.#sources.peek(command.source)?.assembler.partial ?? '';
    const plan = this.#plan(command, before, evicted);
    await this.#store.append(plan.entries);
    this.#commit(command, evicted, before, plan);
    if (plan.cut > 0) this.#logCut(command.source, plan.cut);
    return plan.cut;
  }

  /** What `command` stores and leaves as the partial line; throws when over a limit. */
  #plan(command: WriteCommand, before: string, evicted: EvictedSource | undefined): WritePlan {
    const entries: NewEntry[] = [];
    if (evicted?.partial !== undefined) entries.push(this.#entry(evicted.partial, evicted.source));
    if (command.type !== 'str') {
      const stream = command.stream ?? this.#sources.peek(command.source)?.partialStream;
      if (before !== '') entries.push(this.#entry(before, command.source, stream));
      if (command.type !== 'close') entries.push(this.#entry(command.record, command.source));
      return { entries, partial: '', pendingCr: false, cut: 0 };
    }

    const result = this.#sources.preview(command.source, command.text, evicted);
    // Only the newest maxlen items of one write can stay, so no entry is made for the rest.
    for (const line of newest(result.lines, this.maxlen)) {
      entries.push(this.#entry(line, command.source, command.stream));
    }
    // After a break the partial line is a substring of this request's text; keep a copy.
    const partial = result.lines.length > 0 ? ownCopy(result.partial) : result.partial;
    const { pendingCr, cut } = result;
    return { entries: newest(entries, this.maxlen), partial, pendingCr, cut };
  }

  #commit(
    command: WriteCommand,
    evicted: EvictedSource | undefined,
    before: string,
    plan: WritePlan,
  ): void {
    if (evicted) this.#logEviction(evicted);
    if (command.type === 'close' && command.source !== undefined) {
      this.#sources.forget(command.source);
      return;
    }

    const state = this.#sources.use(command.source, evicted);
    state.assembler.apply(plan);
    state.partialStream = plan.partial === '' ? undefined : command.stream;
    this.#sources.track(before.length, plan.partial.length);
    if (command.seq !== undefined) rememberSeq(state.recentSeqs, command.seq);
  }

  #memoryStore(maxlen: number): MemoryStore {
    const { maxStoredChars, logger, endpoint } = this.options;
    const onDrop = (count: number) => {
      this.#droppedForSize += count;
      logger?.warn(
        { endpoint, dropped: count, droppedForSize: this.#droppedForSize, maxStoredChars },
        'stored items over maxStoredChars: dropped the oldest before maxlen was reached',
      );
    };
    return new MemoryStore({ maxlen, maxChars: maxStoredChars, onDrop });
  }

  #logCut(source: string | undefined, cut: number): void {
    this.#cutLines += cut;
    const { endpoint, maxLineLength } = this.options;
    this.options.logger?.warn(
      { endpoint, source, cut, cutLines: this.#cutLines, maxLineLength },
      'a line longer than maxLineLength was stored in pieces',
    );
  }

  #logEviction(evicted: EvictedSource): void {
    this.#evictedSources += 1;
    this.options.logger?.warn(
      {
        endpoint: this.options.endpoint,
        source: evicted.source,
        maxSources: this.options.maxSources,
      },
      'too many sources: forgot the least recently active one and stored its partial line',
    );
  }

  async #setStopFlag(value: boolean): Promise<true> {
    await this.#exclusive(() => this.#store.writeStopFlag(value));
    const msg = value ? 'stop flag set' : 'stop flag cleared';
    this.options.logger?.info({ endpoint: this.options.endpoint, closed: value }, msg);
    return true;
  }

  async #length(): Promise<number> {
    const stored = await this.#store.length();
    return Math.min(this.maxlen, stored + this.#sources.partials().length);
  }

  async #read(n: number | undefined): Promise<Item[]> {
    const window = readWindow(this.#sources.partials(), readCount(n, this.maxlen));
    const stored = window.storedCount > 0 ? await this.#store.read(window.storedCount) : [];
    return [...stored.map((entry) => entry.item), ...window.partials];
  }

  #entry(item: Item, source?: string, stream?: NewEntry['stream']): NewEntry {
    // One shape for every entry (absent fields undefined): made for every stored line.
    return { item, time: Date.now(), source, stream };
  }

  /** Runs `task` after every earlier one has finished, so requests never interleave. */
  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

/** How many `seq` values per source are kept to recognise a retried request. */
const RECENT_SEQS = 32;

function rememberSeq(recent: number[], seq: number): void {
  recent.push(seq);
  if (recent.length > RECENT_SEQS) recent.shift();
}
