// One message's bytes from a Buffer or a stream, up to a limit: a larger one is refused whole
// without reading (or keeping) the rest of it in memory.
import type { Readable } from 'node:stream';

/** The message, or null when it is larger than `maxBytes`. */
export async function readMessage(raw: Buffer | NodeJS.ReadableStream, maxBytes: number): Promise<Buffer | null> {
  if (Buffer.isBuffer(raw)) return raw.length > maxBytes ? null : raw;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of raw as Readable) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += bytes.length;
    if (size > maxBytes) {
      (raw as Readable).destroy?.();
      return null;
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, size);
}
