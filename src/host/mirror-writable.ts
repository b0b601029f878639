import { StringDecoder } from 'node:string_decoder';
import { Writable } from 'node:stream';
import type { LineHostMirror } from './mirror.js';
import type { StreamName } from './store/item-store.js';

/** Options of `LineHostMirror.writable`. */
export interface MirrorWritableOptions {
  /**
   * The stream's own buffer, in bytes, before `write` returns false.
   * @default 65536
   */
  highWaterMark?: number;
}

/**
 * A `Writable` into a mirror. Bytes are decoded as UTF-8 across chunks, so a character
 * split between two pipe reads arrives whole. Ending the stream does not close the
 * mirror: several streams (stdout and stderr) may feed one mirror.
 */
export function mirrorWritable(
  mirror: LineHostMirror,
  stream: StreamName,
  options: MirrorWritableOptions = {},
): Writable {
  const decoder = new StringDecoder('utf8');
  return new Writable({
    highWaterMark: options.highWaterMark ?? 64 * 1024,
    decodeStrings: false,
    write(chunk: Buffer | string, _encoding, callback) {
      try {
        const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
        if (mirror.write(text, stream)) callback();
        else mirror.drain().then(() => callback(), callback);
      } catch (error) {
        callback(error as Error);
      }
    },
    final(callback) {
      try {
        const rest = decoder.end();
        if (rest !== '') mirror.write(rest, stream);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}
