import { HexdumpFormatter } from './hexdump-formatter.js';
import type { TeeFormat } from './tee-format.js';

/** Turns the bytes a tee sees, in order, into the bytes it writes. */
export interface TeeEncoder {
  /** The output for the next bytes; may hold some back (a partial hexdump line, a split character). */
  encode(data: Uint8Array): Uint8Array;
  /** The output still held back; call once, after the last bytes. */
  end(): Uint8Array;
}

const nothing = new Uint8Array(0);

/** A new {@link TeeEncoder} for one output in `format`. */
export function createTeeEncoder(format: TeeFormat): TeeEncoder {
  switch (format) {
    case 'binary':
      return { encode: (data) => data, end: () => nothing };
    case 'hex': {
      const formatter = new HexdumpFormatter();
      return { encode: (data) => formatter.push(data), end: () => formatter.end() };
    }
    case 'text': {
      const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
      return {
        encode: (data) => Buffer.from(decoder.decode(data, { stream: true }), 'utf8'),
        end: () => Buffer.from(decoder.decode(), 'utf8'),
      };
    }
  }
}
