// A writer process of the host-mode benchmark: `lines` lines of 80 bytes (79 + "\n")
// through a LineHostMirror, one in 1000 stamped with its send time.
import { LineHostMirror } from '../dist/host/index.js';

const [url, source, lines] = process.argv.slice(2);
const total = Number(lines);
const pad = 'x'.repeat(80);
process.send({ type: 'ready' });
await new Promise((resolve) => process.once('message', resolve));

const mirror = new LineHostMirror(url, { source });
for (let i = 0; i < total; i += 1) {
  const head =
    i % 1000 === 0 ? `T${performance.timeOrigin + performance.now()} ` : `${source} ${i} `;
  const ok = mirror.write(`${head}${pad}`.slice(0, 79) + '\n');
  if (!ok) await mirror.drain();
}
await mirror.close();
process.send({ type: 'done' });
process.disconnect();
