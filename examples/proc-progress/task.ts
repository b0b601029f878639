/**
 * A worker's task: `steps` steps of (pretend) work, printing its progress as it goes
 * and a log line now and then. It prints with console.log, captured into the mirror.
 */
// In your project: import { connectMirror } from 'syncstream/proc';
import { setTimeout as sleep } from 'node:timers/promises';
import { workerData } from 'node:worker_threads';
import { connectMirror } from '../../src/proc/index.js';

const { name, steps, stepMs } = workerData as { name: string; steps: number; stepMs: number };
const mirror = connectMirror();

await mirror.capture(async () => {
  console.log(`${name}: started`);
  for (let step = 1; step <= steps; step += 1) {
    await sleep(stepMs);
    console.log(`Progress: ${Math.round((step * 100) / steps)}%`);
    if (step % 2 === 0) console.log(`${name}: finished step ${step}`);
  }
  console.log(`${name}: done`);
});
await mirror.close();
