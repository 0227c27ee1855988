// The worker thread that holds the plugin's own SMTP connections (see smtp-sender.ts). An SMTP
// conversation is several round trips, each waiting for an event-loop turn; here those turns
// are this thread's, not the panel's, so mail keeps flowing while the panel is busy with requests.
import { parentPort, workerData } from 'node:worker_threads';
import nodemailer from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import type { SmtpRequest, SmtpReply } from './smtp-sender';

function main(): void {
  const port = parentPort!;
  const transporter = nodemailer.createTransport(workerData as SMTPPool.Options);
  port.on('message', (request: SmtpRequest) => {
    if (request.op === 'close') {
      transporter.close();
      port.close();
      return;
    }
    const work = request.op === 'send' ? transporter.sendMail(request.message) : transporter.verify();
    work.then(
      () => port.postMessage({ id: request.id, ok: true } satisfies SmtpReply),
      (err: Error & { code?: string; responseCode?: number; response?: string; command?: string }) =>
        port.postMessage({
          id: request.id,
          ok: false,
          // What the retry policy and the admin page read of a failure.
          error: { message: err.message, code: err.code, responseCode: err.responseCode, response: err.response, command: err.command },
        } satisfies SmtpReply),
    );
  });
}

if (parentPort) main();
