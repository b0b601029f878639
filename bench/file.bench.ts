/**
 * Shared-disk mode: lines/s into one LineFileBuffer log on the local disk (os.tmpdir()),
 * from 1 and from 4 writer processes, each with its own tmpId, maxlen 20. Two ways to
 * write: `batched` writes every line and flushes at the end, so queued lines are stored
 * many per lock; `flush per line` awaits each line on disk, as the reference stores each
 * write. The clock runs from "go" to the last writer's close, so process start-up is
 * not counted. This file is also the writer process (started with an env variable).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { LineFileBuffer } from '../src/file/index.js';

export const name = 'shared-disk mode: writer processes -> LineFileBuffer on the local disk';

const CHILD_ENV = 'SYNCSTREAM_FILE_BENCH_CHILD';
const MAXLEN = 20;
const LINE = 'x'.repeat(72);

interface WriterJob {
  path: string;
  tmpId: string;
  lines: number;
  flushPerLine: boolean;
}

const RUNS = [
  { writers: 1, lines: 200_000, flushPerLine: false },
  { writers: 4, lines: 50_000, flushPerLine: false },
  { writers: 1, lines: 2_000, flushPerLine: true },
  { writers: 4, lines: 500, flushPerLine: true },
];

/** One writer process: waits for "go", writes its lines, closes, says "done". */
async function writer(job: WriterJob): Promise<void> {
  const buf = new LineFileBuffer(job.path, { maxlen: MAXLEN, tmpId: job.tmpId });
  const go = once(process, 'message');
  process.send?.('ready');
  await go;

  for (let i = 0; i < job.lines; i += 1) {
    buf.write(`${job.tmpId} ${i} ${LINE}\n`);
    if (job.flushPerLine) await buf.flush();
  }
  await buf.close();
  process.send?.('done');
  process.disconnect();
}

function waitFor(child: ChildProcess, word: string): Promise<void> {
  return new Promise((resolve, reject) => {
    child.on('message', (msg) => msg === word && resolve());
    child.once('exit', (code) => reject(new Error(`a writer exited (${code}) before "${word}"`)));
  });
}

async function runOnce(writers: number, lines: number, flushPerLine: boolean): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'syncstream-file-bench-'));
  const path = join(dir, 'bench.log');
  try {
    const procs = Array.from({ length: writers }, (_, k) => {
      const job: WriterJob = { path, tmpId: `w${k}`, lines, flushPerLine };
      return fork(fileURLToPath(import.meta.url), [], {
        execArgv: ['--import', 'tsx'],
        env: { ...process.env, [CHILD_ENV]: JSON.stringify(job) },
      });
    });
    await Promise.all(procs.map((p) => waitFor(p, 'ready')));

    const done = Promise.all(procs.map((p) => waitFor(p, 'done')));
    const start = performance.now();
    for (const p of procs) p.send('go');
    await done;
    const seconds = (performance.now() - start) / 1000;

    const stored = await new LineFileBuffer(path, { maxlen: MAXLEN }).length;
    if (stored !== Math.min(MAXLEN, writers * lines)) throw new Error(`stored ${stored} items`);
    return (writers * lines) / seconds;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  console.log(`maxlen ${MAXLEN}, lines of ${LINE.length + 10} characters, disk: ${tmpdir()}`);
  console.log('writers | mode           | lines/writer | lines/s');
  for (const { writers, lines, flushPerLine } of RUNS) {
    const rate = await runOnce(writers, lines, flushPerLine);
    const mode = flushPerLine ? 'flush per line' : 'batched       ';
    console.log(
      `${String(writers).padStart(7)} | ${mode} | ${String(lines).padStart(12)} | ` +
        `${Math.round(rate).toLocaleString('en-US').padStart(9)}`,
    );
  }
}

const childJob = process.env[CHILD_ENV];
if (childJob !== undefined) await writer(JSON.parse(childJob) as WriterJob);
