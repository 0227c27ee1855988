// The mail thread (see mail-sender.ts): renders each e-mail (render.ts) and builds its MIME
// message, and, when the plugin sends through its own SMTP settings, holds the SMTP connections
// too. Templates, MIME encoding and an SMTP conversation's round trips are all work the panel's
// event loop does not have to do between its requests.
import { parentPort, workerData } from 'node:worker_threads';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import type { MailThreadOptions, MailThreadReply, MailThreadRequest, OutgoingMail } from './mail-sender';
import { mailRenderer } from './render';

function main(): void {
  const port = parentPort!;
  const options = workerData as MailThreadOptions;
  const render = options.render ? mailRenderer(options.render) : null;
  const smtp = options.smtp ? nodemailer.createTransport(options.smtp) : null;

  /** The message with its text and HTML parts, rendered from its content. */
  function rendered({ content, ...message }: OutgoingMail): Mail.Options {
    if (!content) return message;
    if (!render) throw new Error('the mail thread has no templates to render with');
    return { ...message, ...render(content) };
  }

  async function work(request: Exclude<MailThreadRequest, { op: 'close' }>): Promise<Buffer | null> {
    if (request.op === 'build') return new MailComposer(rendered(request.message)).compile().build();
    if (!smtp) throw new Error('the mail thread has no SMTP settings');
    if (request.op === 'send') await smtp.sendMail(rendered(request.message));
    else await smtp.verify();
    return null;
  }

  port.on('message', (request: MailThreadRequest) => {
    if (request.op === 'close') {
      smtp?.close();
      port.close();
      return;
    }
    work(request).then(
      (raw) => port.postMessage({ id: request.id, ok: true, raw } satisfies MailThreadReply),
      (err: Error & { code?: string; responseCode?: number; response?: string; command?: string }) =>
        port.postMessage({
          id: request.id,
          ok: false,
          // What the retry policy and the admin page read of a failure.
          error: { message: err.message, code: err.code, responseCode: err.responseCode, response: err.response, command: err.command },
        } satisfies MailThreadReply),
    );
  });
}

if (parentPort) main();
