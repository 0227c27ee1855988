// The mail-delivery bench's SMTP server, run as a worker thread so that receiving mail does not
// compete with the panel for its event loop (a real mail server never does). For each message it
// posts which ticket it is about and when its DATA ended, on the absolute clock
// (performance.timeOrigin + now()), unless it was started quiet (the create bench only needs a
// server that takes the mail). It does not parse the MIME body: it reads the Subject header,
// decodes its encoded-words and takes the number from "[#12345678]".
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { SMTPServer } from 'smtp-server';

export type MailKind = 'department' | 'confirmation' | 'other';

export interface SinkArrival {
  number: string | null;
  kind: MailKind;
  /** performance.timeOrigin + performance.now() when the message's DATA ended. */
  at: number;
}

/** The Subject header of a raw message, unfolded, with RFC 2047 encoded-words decoded. */
function subjectOf(raw: Buffer): string {
  let end = raw.indexOf('\r\n\r\n');
  if (end < 0) end = raw.length;
  const head = raw.subarray(0, end).toString('utf8');
  const match = /^subject:[ \t]*(.*(?:\r?\n[ \t].*)*)/im.exec(head);
  if (!match) return '';
  const folded = (match[1] as string).replace(/\r?\n[ \t]/g, ' ');
  // Whitespace between two encoded-words is not part of the text.
  const words = folded.replace(/\?=\s+=\?/g, '?==?');
  const bytes: Buffer[] = [];
  let last = 0;
  for (const w of words.matchAll(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g)) {
    bytes.push(Buffer.from(words.slice(last, w.index), 'utf8'));
    const text = w[3] as string;
    bytes.push(
      /b/i.test(w[2] as string)
        ? Buffer.from(text, 'base64')
        : Buffer.from(
            text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            'latin1',
          ),
    );
    last = (w.index ?? 0) + w[0].length;
  }
  bytes.push(Buffer.from(words.slice(last), 'utf8'));
  return Buffer.concat(bytes).toString('utf8');
}

function main(): void {
  const port = parentPort!;
  const options = workerData as { departmentAddresses: string[]; quiet?: boolean };
  const departmentAddresses = new Set(options.departmentAddresses);
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 1000,
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (options.quiet) return void callback();
        const at = performance.timeOrigin + performance.now();
        const number = /\[#(\d+)\]/.exec(subjectOf(Buffer.concat(chunks)))?.[1] ?? null;
        const recipients = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        const kind: MailKind = recipients.some((r) => departmentAddresses.has(r)) ? 'department' : number ? 'confirmation' : 'other';
        port.postMessage({ number, kind, at } satisfies SinkArrival);
        callback();
      });
    },
  });
  server.on('error', (err) => port.postMessage({ error: err.message }));
  server.listen(0, '127.0.0.1', () => port.postMessage({ port: (server.server.address() as AddressInfo).port }));
  port.on('message', (m) => {
    if (m === 'stop') server.close(() => port.close());
  });
}

if (parentPort) main();
