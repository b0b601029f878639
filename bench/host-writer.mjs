// A writer process of the host-mode benchmark: `lines` lines of 80 bytes (79 + "\n")
// through a LineHostMirror, one in 1000 stamped with its send time (one in 10 when paced).
// With `perTick`, it writes that many lines every 10 ms instead of flat out.
import { LineHostMirror } from '../dist/host/index.js';

const [url, source, lines, perTick = '0'] = process.argv.slice(2);
const total = Number(lines);
const paced = Number(perTick);
const stampEvery = paced > 0 ? 10 : 1000;
const pad = 'x'.repeat(80);
process.send({ type: 'ready' });
await new Promise((resolve) => process.once('message', resolve));

const mirror = new LineHostMirror(url, { source });
for (let i = 0; i < total; i += 1) {
  const stamped = i % stampEvery === 0;
  const head = stamped ? `T${performance.timeOrigin + performance.now()} ` : `${source} ${i} `;
  const ok = mirror.write(`${head}${pad}`.slice(0, 79) + '\n');
  if (!ok) await mirror.drain();
  if (paced > 0 && i % paced === paced - 1) await new Promise((r) => setTimeout(r, 10));
}
await mirror.close();
process.send({ type: 'done' });
process.disconnect();
