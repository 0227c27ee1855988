// The message as the mail server hands it over on stdin.
import type { Readable } from 'node:stream';

export async function readAll(input: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Without the mbox envelope line ("From sender date", no colon) that Postfix's local delivery and
 * Exim's pipe transport put before the headers: it is no header, and would spoil the first one.
 */
export function withoutEnvelopeLine(message: Buffer): Buffer {
  if (message.subarray(0, 5).toString('latin1') !== 'From ') return message;
  const end = message.indexOf(0x0a);
  return end === -1 ? Buffer.alloc(0) : message.subarray(end + 1);
}
