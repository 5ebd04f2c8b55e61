// UTF-16 input (PowerShell's `>` writes it, so does Python's 'utf-16' codec) becomes UTF-8 bytes:
// read as UTF-8, every other byte is NUL and no error text in it could match.
import { Readable } from 'node:stream';

type Order = 'le' | 'be' | 'none';

/** Bytes at the start of a file that isUtf16 looks at. */
export const UTF16_HEAD = 4098;

/** Whether `head` (the first UTF16_HEAD bytes or fewer) starts with a confirmed UTF-16 byte order mark. */
export function isUtf16(head: Buffer): boolean {
  return byteOrder(head) !== 'none';
}

/**
 * A byte order mark, confirmed by the text after it: log text is mostly ASCII, whose UTF-16 code
 * units have a NUL high byte. Binary junk or broken UTF-8 that happens to start with FF FE has not.
 */
function byteOrder(head: Buffer): Order {
  const order = head[0] === 0xff && head[1] === 0xfe ? 'le' : head[0] === 0xfe && head[1] === 0xff ? 'be' : 'none';
  if (order === 'none') return order;
  const high = order === 'le' ? 1 : 0;
  let units = 0;
  let nul = 0;
  for (let i = 2; i + 1 < Math.min(head.length, UTF16_HEAD); i += 2, units++) if (head[i + high] === 0) nul++;
  return units === 0 || nul * 4 >= units ? order : 'none';
}

async function* transcode(stream: Readable): AsyncGenerator<Buffer> {
  let order: Order | undefined;
  let head: Buffer = Buffer.alloc(0);
  // It drops the byte order mark; big-endian input is swapped into its order first.
  const decoder = new TextDecoder('utf-16le');
  let odd: Buffer | undefined;
  for await (const chunk of stream) {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    if (order === undefined) {
      // The first chunk decides; a byte order mark takes two bytes.
      head = head.length > 0 ? Buffer.concat([head, buf]) : buf;
      if (head.length < 2) continue;
      buf = head;
      order = byteOrder(buf);
    }
    if (order === 'none') {
      yield buf;
      continue;
    }
    if (order === 'be') {
      const joined = odd ? Buffer.concat([odd, buf]) : buf;
      const even = joined.length & ~1;
      odd = even < joined.length ? joined.subarray(even) : undefined;
      buf = Buffer.from(joined.subarray(0, even)).swap16();
    }
    const text = decoder.decode(buf, { stream: true });
    if (text) yield Buffer.from(text, 'utf8');
  }
  if (order === undefined && head.length > 0) yield head;
  if (order === 'le' || order === 'be') {
    const rest = decoder.decode(odd);
    if (rest) yield Buffer.from(rest, 'utf8');
  }
}

/** The stream as UTF-8 bytes: passed through unless it starts with a UTF-16 byte order mark. */
export function decodeUtf16(stream: Readable): Readable {
  return Readable.from(transcode(stream), { objectMode: false });
}
