/**
 * The reference page's example in TypeScript: an Express app serves a host buffer of
 * 10 items, and `GET /test` starts four worker processes that each print through a
 * mirror, then answers with what the buffer holds.
 *
 *   npx tsx examples/host-pool/server.ts      (PORT=0 picks a free port)
 *   curl http://127.0.0.1:5000/test
 *
 * In your own project, import from 'syncstream/host' instead.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

import express from 'express';

import { LineHostBuffer } from '../../src/host/index.js';

const WORKERS = 4;
const workerFile = fileURLToPath(new URL('./worker.ts', import.meta.url));

const app = express();
const hbuf = new LineHostBuffer({ apiRoute: '/sync-stream', maxlen: 10 });
hbuf.serve(app);

let address = '';

app.get('/test', async (_req, res) => {
  await Promise.all(Array.from({ length: WORKERS }, () => runWorker(address)));
  res.json({ message: 'success', items: await hbuf.readSerialized() });
});

/** Runs one worker process (with this process's loader flags, so `.ts` runs) to its end. */
async function runWorker(url: string): Promise<void> {
  const worker = fork(workerFile, [url]);
  const [code, signal] = (await once(worker, 'exit')) as [number | null, string | null];
  if (code !== 0) throw new Error(`a worker failed: ${signal ?? `exit code ${code}`}`);
}

const server = app.listen(Number(process.env.PORT ?? 5000), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  address = `http://127.0.0.1:${port}${hbuf.routes.items}`;
  console.log(`host-pool example listening on http://127.0.0.1:${port} (try GET /test)`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
  });
}
