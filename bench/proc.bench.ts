/**
 * Process mode: 4 worker threads, then 4 child processes, each writing M lines of 80
 * characters through its LineProcMirror into one LineProcBuffer in this process. Prints
 * lines/s (from "go" to the last mirror ended) and this process's peak RSS and heap,
 * for two M (BENCH_LINES and 4 times it), to show memory does not grow with M. The
 * writers import dist/: build first (`npm run bench` does).
 */
import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';

import { LineProcBuffer } from '../src/proc/index.js';

export const name = 'process mode: worker threads and child processes -> one LineProcBuffer';

const WRITER = fileURLToPath(new URL('../test/fixtures/proc-bench-writer.mjs', import.meta.url));
const MAXLEN = 10_000;
const WRITERS = 4;
const SMALL = Number(process.env.BENCH_LINES ?? 250_000);
const RUNS = [
  { kind: 'worker', lines: SMALL },
  { kind: 'worker', lines: SMALL * 4 },
  { kind: 'child', lines: SMALL },
  { kind: 'child', lines: SMALL * 4 },
] as const;

type Writer = Worker | ChildProcess;
type Kind = 'worker' | 'child';

function start(pbuf: LineProcBuffer, kind: Kind, source: string, lines: number): Writer {
  const spec = { source, lines };
  return kind === 'worker'
    ? pbuf.worker(WRITER, { workerData: spec, source })
    : pbuf.fork(WRITER, [JSON.stringify(spec)], { source });
}

function go(writer: Writer): void {
  if ('postMessage' in writer) writer.postMessage('go');
  else writer.send('go');
}

async function runOnce(kind: Kind, lines: number) {
  const pbuf = new LineProcBuffer({ maxlen: MAXLEN });
  const writers = Array.from({ length: WRITERS }, (_, i) => start(pbuf, kind, `w${i}`, lines));
  await Promise.all(writers.map((w) => once(w, 'message')));

  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 20);

  const t0 = performance.now();
  writers.forEach(go);
  await pbuf.wait();
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);

  const total = WRITERS * lines;
  const items = pbuf.read();
  const whole = items.every((item) => typeof item === 'string' && item.length === 79);
  return {
    kind,
    writers: WRITERS,
    linesEach: lines,
    linesPerSecond: Math.round(total / seconds),
    seconds: Number(seconds.toFixed(2)),
    kept: `${items.length}/${MAXLEN}${whole ? ' whole' : ' BROKEN'}`,
    peakRssMiB: Math.round(peakRss / 2 ** 20),
    peakHeapMiB: Math.round(peakHeap / 2 ** 20),
  };
}

export async function run(): Promise<void> {
  const rows = [];
  for (const { kind, lines } of RUNS) rows.push(await runOnce(kind, lines));
  console.table(rows);
  console.log(
    'targets: >= 1,000,000 lines/s from 4 worker threads, >= 500,000 from 4 child processes',
  );
}
