/**
 * The storage interface behind a host buffer. Memory answers at once, but a durable or
 * shared store (a file database, Redis) will not, so every method returns a promise;
 * the HTTP layer and the public API only ever talk to this interface.
 */
import type { Item, StreamName } from '../../core/index.js';

export type { StreamName };

/** An item with what the host knows of it. */
export interface StoredEntry {
  /** Increases by one for each stored item, never reused, also across `clear`. */
  readonly id: number;
  readonly item: Item;
  /** The writer's source id, when it sent one. */
  readonly source?: string;
  /** The stream the writer printed it to, when it said so. */
  readonly stream?: StreamName;
  /** When the host received it, in milliseconds since the epoch. */
  readonly time: number;
}

/** An entry before the store has given it an id. */
export type NewEntry = Omit<StoredEntry, 'id'>;

/** Where a host buffer keeps its items and its shared states. */
export interface ItemStore {
  /** How many items it keeps; the oldest is dropped past it. */
  readonly maxlen: number;
  /** Appends entries in order, all or none. */
  append(entries: readonly NewEntry[]): Promise<void>;
  /** The newest `n` entries, oldest first. */
  read(n: number): Promise<StoredEntry[]>;
  /** How many entries are held. */
  length(): Promise<number>;
  /** Removes every entry. */
  clear(): Promise<void>;
  /** The stop flag shared by everyone who uses this store. */
  readStopFlag(): Promise<boolean>;
  /** Sets or clears the stop flag. */
  writeStopFlag(value: boolean): Promise<void>;
  /** Releases what the store holds open. */
  close(): Promise<void>;
}
