/** Helpers of the process-mode tests: start test/fixtures/proc-script.mjs with a script. */
import assert from 'node:assert/strict';
import type { ChildProcess, ForkOptions } from 'node:child_process';
import type { Worker, WorkerOptions } from 'node:worker_threads';

import { GroupedMessage, type Item } from '../../src/core/index.js';
import type { LineProcBuffer, LineProcMirrorOptions, LinkOptions } from '../../src/proc/index.js';
import { fixture } from '../helpers/children.js';

/** One step of a script (see the fixture for the steps it knows). */
export type Step = Record<string, unknown>;

const SCRIPT = fixture('proc-script.mjs');

/** Forks a child that runs `steps` through its mirror. */
export function forkScript(
  pbuf: LineProcBuffer,
  steps: Step[],
  options: ForkOptions & LinkOptions & { mirror?: LineProcMirrorOptions } = {},
): ChildProcess {
  const { mirror = {}, ...forkOptions } = options;
  return pbuf.fork(SCRIPT, [JSON.stringify({ steps, options: mirror })], forkOptions);
}

/** Starts a worker that runs `steps` through its mirror. */
export function workerScript(
  pbuf: LineProcBuffer,
  steps: Step[],
  options: WorkerOptions & LinkOptions & { mirror?: LineProcMirrorOptions } = {},
): Worker {
  const { mirror = {}, ...workerOptions } = options;
  return pbuf.worker(SCRIPT, { workerData: { steps, options: mirror }, ...workerOptions });
}

/** An item as text: a record as `<type>: <lines joined>`. */
export function show(item: Item): string {
  return item instanceof GroupedMessage ? `${item.type}: ${item.toString()}` : item;
}

/** Waits, as the buffer takes things in, until `check()` holds (gives up after ~2 min). */
export async function until(pbuf: LineProcBuffer, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('gave up waiting');
    // receive() also resolves once no mirror is live; the short sleep keeps that from spinning.
    if (await pbuf.receive()) await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** What each of `names` wrote in the buffer's items, in the order read. */
export function byWriter(items: string[], names: string[]): Record<string, string[]> {
  return Object.fromEntries(names.map((n) => [n, items.filter((item) => item.includes(`${n} `))]));
}

/** The 10 lines, warning and error each writer of the 4x12 tests writes. */
export function twelveSteps(name: string): Step[] {
  return [{ lines: 10, prefix: name }, { warning: `${name} warning` }, { error: `${name} error` }];
}

/** What a writer of {@link twelveSteps} leaves in a buffer, as {@link show} shows it. */
export function twelveItems(name: string): string[] {
  const lines = Array.from({ length: 10 }, (_, i) => `${name} ${i}`);
  return [...lines, `warning: ${name} warning`, `error: ${name} error`];
}

/**
 * Checks a buffer of maxlen 20 that 4 writers each sent twelveSteps to: exactly 20
 * items, each writer's kept items the newest of its own, in its order.
 */
export function assertTwentyKept(pbuf: LineProcBuffer, names: string[]): void {
  const items = pbuf.read().map(show);
  assert.equal(items.length, 20);
  assert.equal(pbuf.length, 20);
  const kept = byWriter(items, names);
  assert.equal(Object.values(kept).flat().length, 20);
  for (const name of names) {
    const mine = kept[name] ?? [];
    assert.deepEqual(mine, twelveItems(name).slice(12 - mine.length), name);
  }
}
