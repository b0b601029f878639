// The host process of the host-mode benchmark: a LineHostBuffer on loopback whose store
// notes when lines arrive. Talks to the bench over IPC.
import { LineHostBuffer, listen, MemoryStore } from '../dist/host/index.js';

const maxlen = Number(process.argv[2]);
const expected = Number(process.argv[3]);
const latencies = [];
let stored = 0;

/** Counts stored lines and, for lines that carry a send time, how long they took. */
class TimedStore extends MemoryStore {
  async append(entries) {
    const now = performance.timeOrigin + performance.now();
    for (const { item } of entries) {
      // Sampled lines start with "T<send time> ".
      if (typeof item === 'string' && item.charCodeAt(0) === 84) {
        latencies.push(now - Number(item.slice(1, item.indexOf(' '))));
      }
    }
    stored += entries.length;
    await super.append(entries);
    if (stored >= expected) process.send({ type: 'done' });
  }
}

const hbuf = new LineHostBuffer({ store: new TimedStore({ maxlen }), maxlen });
const server = await listen(hbuf, { port: 0 });
process.send({ type: 'ready', url: server.url });
process.on('message', async (msg) => {
  if (msg.type !== 'stats') return;
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  process.send({
    type: 'stats',
    stored,
    curlen: await hbuf.length,
    maxRssKiB: process.resourceUsage().maxRSS,
    p50: at(0.5),
    p99: at(0.99),
    samples: latencies.length,
  });
  await server.close();
  process.exit(0);
});
