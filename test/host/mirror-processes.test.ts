import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { afterEach, describe, it } from 'node:test';

import { LineHostBuffer, listen, type HostServer } from '../../src/host/index.js';
import { finished, fixture, runNode } from '../helpers/children.js';

const WRITERS = ['w0', 'w1', 'w2', 'w3'];
const line = (source: string, i: number) => `${source} line ${i} ${'x'.repeat(40)}`;

let server: HostServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(maxlen: number): Promise<LineHostBuffer> {
  const hbuf = new LineHostBuffer({ maxlen });
  server = await listen(hbuf, { port: 0 });
  return hbuf;
}

describe('mirrors in four child processes', () => {
  it('deliver every line intact, each writer in its order', async () => {
    const hbuf = await serve(10_000);
    const results = await Promise.all(
      WRITERS.map((w) => runNode('mirror-writer.mjs', [server!.url, w, '500', '2'])),
    );
    assert.deepEqual(
      results.map((r) => [r.code, r.stderr]),
      WRITERS.map(() => [0, '']),
    );

    const items = (await hbuf.read()) as string[];
    assert.equal(items.length, 2000);
    for (const w of WRITERS) {
      const mine = items.filter((item) => item.startsWith(`${w} `));
      assert.deepEqual(
        mine,
        Array.from({ length: 500 }, (_, i) => line(w, i)),
      );
    }
  });

  it('keep the total within maxlen, every kept line whole', async () => {
    const hbuf = await serve(100);
    await Promise.all(WRITERS.map((w) => runNode('mirror-writer.mjs', [server!.url, w, '300'])));

    const items = (await hbuf.read()) as string[];
    assert.equal(items.length, 100);
    assert.equal(await hbuf.length, 100);
    const whole = new Set(
      WRITERS.flatMap((w) => Array.from({ length: 300 }, (_, i) => line(w, i))),
    );
    assert.deepEqual(
      items.filter((item) => !whole.has(item)),
      [],
    );
    for (const w of WRITERS) {
      const mine = items.filter((item) => item.startsWith(`${w} `));
      const numbers = mine.map((item) => Number(item.split(' ')[2]));
      assert.deepEqual(
        numbers,
        [...numbers].sort((a, b) => a - b),
        `${w} in order`,
      );
    }
  });

  it('the stop flag reaches writing and sleeping children, which end', async () => {
    const hbuf = await serve(1000);
    const modes = ['tick', 'tick', 'sleep', 'sleep'];
    const children = modes.map((mode, i) =>
      spawn(process.execPath, [fixture('mirror-until-stopped.mjs'), server!.url, `c${i}`, mode]),
    );
    const results = Promise.all(children.map(finished));
    await waitFor(async () => {
      const items = (await hbuf.read()) as string[];
      return modes.every((_, i) => items.some((item) => item.startsWith(`c${i} `)));
    });

    assert.equal(await hbuf.stopAllMirrors(), true);
    const ended = await results;
    assert.deepEqual(
      ended.map((r) => [r.code, r.stdout]),
      modes.map((_, i) => [0, `c${i} ended: StoppedError SYNCSTREAM_STOPPED\n`]),
    );
  });
});

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i += 1) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met within 30 s');
}
