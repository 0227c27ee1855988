// How the dispatcher hands an e-mail over: a MailSender. Two kinds, both keeping the work of
// building an e-mail off the panel's event loop, in the mail thread (mail-thread.ts):
// - MailThread: the plugin's own SMTP settings; the thread renders, builds and sends.
// - HostSender: the host's own nodemailer transport; the thread renders and builds the MIME
//   message, and the host's transport (which lives on the panel's loop) only sends those bytes.
// Failures come back with the fields nodemailer sets (code, responseCode, response), so retries
// are classified the same either way.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import type { RenderOptions, Unrendered } from './render';

/** An e-mail to send: nodemailer's message, whose text and HTML the mail thread renders from `content`. */
export type OutgoingMail = Omit<Mail.Options, 'text' | 'html'> & { text?: string; html?: string; content?: Unrendered };

/** What the dispatcher needs of a transport. */
export interface MailSender {
  sendMail(message: OutgoingMail): Promise<unknown>;
  verify?(): Promise<unknown>;
  close(): void | Promise<void>;
}

/** Plain data: it crosses to the thread. */
export interface MailThreadOptions {
  /** nodemailer's SMTP pool options; without them the thread only builds messages. */
  smtp: SMTPPool.Options | null;
  /** Where the templates are; without them the thread sends only messages that carry their text and HTML. */
  render: RenderOptions | null;
}

export type MailThreadRequest =
  { id: number; op: 'send' | 'build'; message: OutgoingMail } | { id: number; op: 'verify' } | { op: 'close' };

interface MailFailure {
  message: string;
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

export type MailThreadReply = { id: number; ok: true; raw: Uint8Array | null } | { id: number; ok: false; error: MailFailure };

export class MailThread implements MailSender {
  private worker: Worker | null = null;
  private exited: Promise<void> = Promise.resolve();
  private readonly waiting = new Map<number, { resolve: (raw: Uint8Array | null) => void; reject: (err: Error) => void }>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: MailThreadOptions) {}

  /** Renders, builds and sends the e-mail over the thread's SMTP connections. */
  async sendMail(message: OutgoingMail): Promise<void> {
    await this.call((id) => ({ id, op: 'send', message }));
  }

  /** The e-mail as a whole MIME message, rendered and built in the thread. */
  async build(message: OutgoingMail): Promise<Buffer> {
    const raw = await this.call((id) => ({ id, op: 'build', message }));
    if (!raw) throw new Error('the mail thread built no message');
    return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  }

  async verify(): Promise<void> {
    await this.call((id) => ({ id, op: 'verify' }));
  }

  /** Closes the SMTP connections and waits for the thread to end. */
  async close(): Promise<void> {
    this.closed = true;
    this.worker?.postMessage({ op: 'close' } satisfies MailThreadRequest);
    await this.exited;
  }

  private call(request: (id: number) => MailThreadRequest): Promise<Uint8Array | null> {
    if (this.closed) return Promise.reject(new Error('the mail thread is closed'));
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage(request(id));
    });
  }

  /** Started on first use, and again after the thread died: its e-mails failed and will be retried. */
  private start(): Worker {
    const worker = new Worker(path.join(__dirname, 'mail-thread.js'), { workerData: this.options });
    worker.on('message', (reply: MailThreadReply) => {
      const call = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (!call) return;
      if (reply.ok) call.resolve(reply.raw);
      else call.reject(Object.assign(new Error(reply.error.message), reply.error));
    });
    worker.on('error', (err) => this.failAll(err));
    this.exited = new Promise((resolve) =>
      worker.once('exit', () => {
        if (this.worker === worker) this.worker = null;
        this.failAll(new Error('the mail thread stopped'));
        resolve();
      }),
    );
    this.worker = worker;
    return worker;
  }

  private failAll(err: Error): void {
    for (const call of this.waiting.values()) call.reject(err);
    this.waiting.clear();
  }
}

/** The host's transport, fed whole messages the mail thread built; closing it closes only the thread. */
export class HostSender implements MailSender {
  constructor(
    private readonly host: Transporter,
    private readonly thread: MailThread,
  ) {}

  async sendMail(message: OutgoingMail): Promise<unknown> {
    const raw = await this.thread.build(message);
    return this.host.sendMail({ envelope: { from: addressOf(message.from), to: message.to }, raw });
  }

  verify(): Promise<unknown> {
    return this.host.verify();
  }

  close(): Promise<void> {
    return this.thread.close();
  }
}

/** The envelope's sender: the address of "Name <address>". */
function addressOf(from: Mail.Options['from']): string | undefined {
  return from === undefined || typeof from === 'string' ? from : 'address' in from ? from.address : undefined;
}
