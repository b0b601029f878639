/**
 * Runs 4 worker threads that report their progress, draws one progress bar for all of
 * them while they run, then prints the log lines the buffer kept.
 *
 * Run it with: npx tsx examples/proc-progress/main.ts
 */
import { ProgressBuffer } from './progress-buffer.js';

const names = ['alpha', 'beta', 'gamma', 'delta'];
const task = new URL('./task-entry.mjs', import.meta.url);
const pbuf = new ProgressBuffer({ maxlen: 10 });
const sources = names.map((name, i) => {
  pbuf.worker(task, { source: name, workerData: { name, steps: 10, stepMs: 50 + 40 * i } });
  return name;
});

function bar(percent: number): string {
  const filled = Math.round(percent / 5);
  return `[${'#'.repeat(filled)}${'.'.repeat(20 - filled)}] ${percent.toFixed(0).padStart(3)}%`;
}

// receive() resolves whenever the buffer took something in; true once all have ended.
for (let done = false; !done; ) {
  done = await pbuf.receive();
  process.stdout.write(`\r${bar(pbuf.overall(sources))}`);
}
process.stdout.write('\n\nThe newest log lines:\n');
for (const item of pbuf.read()) console.log(`  ${String(item)}`);
