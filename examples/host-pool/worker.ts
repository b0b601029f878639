/**
 * One worker of the host-pool example: everything it prints while the mirror captures
 * goes to the host buffer whose URL it is given.
 *
 * In your own project, import from 'syncstream/host' instead.
 */
import { LineHostMirror } from '../../src/host/index.js';

const address = process.argv[2];
if (address === undefined) throw new Error('usage: worker.ts <host buffer URL>');

await using mirror = new LineHostMirror(address, { timeout: 5000 });
await mirror.capture(() => {
  console.log('example');
});
