/**
 * Host mode: N writer processes x M lines of 80 bytes through LineHostMirrors into one
 * LineHostBuffer on loopback. Prints lines/s, latency from write to stored (p50, p99,
 * sampled one line in 1000, or 10 when paced) and the host process's peak RSS: for two M
 * flat out, to show the host's memory does not grow with M, then at a steady rate, to
 * show the latency a person watching sees.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export const name = 'host mode: writer processes -> mirrors -> host on loopback';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const MAXLEN = 10_000;
const RUNS = [
  { writers: 4, lines: Number(process.env.BENCH_LINES ?? 250_000), perTick: 0 },
  { writers: 4, lines: 1_000_000, perTick: 0 },
  // A steady rate (about 4 x 2,500 lines/s) shows the latency a watcher sees.
  { writers: 4, lines: 10_000, perTick: 25 },
];

interface HostStats {
  stored: number;
  curlen: number;
  maxRssKiB: number;
  p50: number;
  p99: number;
  samples: number;
}

function message<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (msg: { type: string }) => {
      if (msg.type !== type) return;
      child.off('message', onMessage);
      resolve(msg as T);
    };
    child.on('message', onMessage);
    child.once('exit', (code) =>
      reject(new Error(`a bench process exited (${code}) before "${type}"`)),
    );
  });
}

async function runOnce(writers: number, lines: number, perTick: number) {
  const total = writers * lines;
  const host = fork(here('host-server.mjs'), [String(MAXLEN), String(total)]);
  const { url } = await message<{ url: string }>(host, 'ready');
  const procs = Array.from({ length: writers }, (_, i) =>
    fork(here('host-writer.mjs'), [url, `w${i}`, String(lines), String(perTick)]),
  );
  const exited = procs.map((p) => once(p, 'exit'));
  await Promise.all(procs.map((p) => message(p, 'ready')));

  const hostDone = message(host, 'done');
  const start = performance.now();
  for (const p of procs) p.send({ type: 'go' });
  await hostDone;
  const seconds = (performance.now() - start) / 1000;

  await Promise.all(exited);
  const hostExited = once(host, 'exit');
  host.send({ type: 'stats' });
  const stats = await message<HostStats>(host, 'stats');
  await hostExited;
  return { writers, lines, total, seconds, stats };
}

export async function run(): Promise<void> {
  console.log(
    'writers  lines/writer  total lines  seconds  lines/s    p50 ms  p99 ms  host peak RSS  pace',
  );
  for (const { writers, lines, perTick } of RUNS) {
    const r = await runOnce(writers, lines, perTick);
    if (r.stats.stored !== r.total || r.stats.curlen !== Math.min(MAXLEN, r.total)) {
      throw new Error(`stored ${r.stats.stored} of ${r.total} lines, curlen ${r.stats.curlen}`);
    }
    console.log(
      [
        String(writers).padEnd(7),
        String(lines).padEnd(13),
        String(r.total).padEnd(12),
        r.seconds.toFixed(2).padEnd(8),
        Math.round(r.total / r.seconds)
          .toLocaleString('en-US')
          .padEnd(10),
        r.stats.p50.toFixed(1).padEnd(7),
        r.stats.p99.toFixed(1).padEnd(7),
        `${(r.stats.maxRssKiB / 1024).toFixed(0)} MiB`.padEnd(13),
        perTick > 0 ? `${perTick} lines / 10 ms per writer` : 'flat out',
      ].join('  '),
    );
  }
}
