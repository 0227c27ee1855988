// An SMTP server on 127.0.0.1 that hands each whole message to a function: what the demo's mail
// catcher and its MX have in common. Plain SMTP on loopback (no certificate to make, no login
// to configure), a size limit refused with 552, and a port it cannot take reported in one line.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { HostLogger } from 'support-requests';

export interface LoopbackSmtpOptions {
  /** 0 picks a free port. */
  port: number;
  maxBytes: number;
  banner: string;
  /** Names the server in its log lines and its start error. */
  label: string;
  logger?: HostLogger;
  /** The message, whole; its callback answers the client (an error with responseCode refuses it). */
  onMessage(raw: Buffer, session: SMTPServerSession, reply: (err?: Error | null, message?: string) => void): void;
}

/** Starts listening; resolves with the server and the port it took. */
export async function listenLoopbackSmtp(options: LoopbackSmtpOptions): Promise<{ server: SMTPServer; port: number }> {
  const { maxBytes, label, logger } = options;
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    size: maxBytes,
    logger: false,
    banner: options.banner,
    // The plugin closes its pool first; a client left over is cut after a second.
    closeTimeout: 1000,
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null, message?: string) => void) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        // Past the limit smtp-server keeps reading; stop buffering what will be refused anyway.
        if (!stream.sizeExceeded) chunks.push(chunk);
      });
      stream.on('end', () => {
        if (stream.sizeExceeded) return callback(Object.assign(new Error(`message larger than ${maxBytes} bytes`), { responseCode: 552 }));
        options.onMessage(Buffer.concat(chunks), session, callback);
      });
    },
  });
  // A port it cannot take rejects the start (the caller says why in one line) and is not logged.
  const port = await new Promise<number>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) =>
      reject(
        Object.assign(new Error(`${label}: cannot listen on 127.0.0.1:${options.port}: ${err.message}`, { cause: err }), {
          code: err.code,
        }),
      );
    server.once('error', onError);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve((server.server.address() as AddressInfo).port);
    });
  });
  // Without a listener an SMTP client's protocol error would throw in the panel's process.
  server.on('error', (err) => logger?.warn(`${label}: ${err.message}`));
  return { server, port };
}
