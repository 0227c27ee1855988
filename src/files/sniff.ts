// Tells a file's type from its content. Only the types the plugin may accept are recognised;
// everything else is "application/octet-stream" and is refused by the allowed-types rule.
import { isUtf8 } from 'node:buffer';

/** How many leading bytes detectBinaryType needs (tar's magic sits at offset 257). */
export const SNIFF_BYTES = 512;

const signatures: Array<{ type: string; offset: number; bytes: number[] }> = [
  { type: 'image/png', offset: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', offset: 0, bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/gif', offset: 0, bytes: [0x47, 0x49, 0x46, 0x38] },
  { type: 'application/pdf', offset: 0, bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { type: 'application/zip', offset: 0, bytes: [0x50, 0x4b, 0x03, 0x04] },
  { type: 'application/zip', offset: 0, bytes: [0x50, 0x4b, 0x05, 0x06] },
  { type: 'application/gzip', offset: 0, bytes: [0x1f, 0x8b] },
  { type: 'application/x-tar', offset: 257, bytes: [0x75, 0x73, 0x74, 0x61, 0x72] },
];

function matches(head: Buffer, offset: number, bytes: number[]): boolean {
  return head.length >= offset + bytes.length && bytes.every((b, i) => head[offset + i] === b);
}

/** A recognised binary format, or null. */
export function detectBinaryType(head: Buffer): string | null {
  if (matches(head, 0, [0x52, 0x49, 0x46, 0x46]) && matches(head, 8, [0x57, 0x45, 0x42, 0x50])) return 'image/webp';
  return signatures.find((s) => matches(head, s.offset, s.bytes))?.type ?? null;
}

/**
 * Follows a stream chunk by chunk and says whether all of it is UTF-8 text without NUL bytes
 * (plain text and logs). Streaming keeps memory flat for large log files.
 */
export class TextDetector {
  private text = true;
  /** The start of a character the last chunk split: at most three bytes, checked with the next chunk. */
  private carry: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): void {
    if (!this.text) return;
    if (chunk.includes(0)) {
      this.text = false;
      return;
    }
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const whole = wholeCharactersEnd(data);
    // isUtf8 checks the bytes in place; decoding them would build a string of the whole file.
    this.text = isUtf8(data.subarray(0, whole));
    this.carry = Buffer.from(data.subarray(whole));
  }

  isText(): boolean {
    return this.text && this.carry.length === 0;
  }
}

/** Where the last whole character of UTF-8 bytes ends: before a lead byte whose sequence is cut off. */
function wholeCharactersEnd(data: Buffer): number {
  for (let i = data.length - 1; i >= Math.max(0, data.length - 3); i--) {
    const byte = data[i]!;
    if (byte < 0x80) return data.length;
    if (byte >= 0xc0) {
      const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return i + length > data.length ? i : data.length;
    }
  }
  return data.length;
}
