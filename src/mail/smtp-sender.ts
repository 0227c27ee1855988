// A pooled SMTP transport that runs in a worker thread (smtp-thread.ts) and looks like
// nodemailer's to the dispatcher: sendMail, verify, close. Failures come back with the fields
// nodemailer sets (code, responseCode, response), so retries are classified the same way.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type Mail from 'nodemailer/lib/mailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';

/** What the dispatcher needs of a transport: nodemailer's Transporter has it, and so does SmtpSender. */
export interface MailSender {
  sendMail(message: Mail.Options): Promise<unknown>;
  verify?(): Promise<unknown>;
  close(): void | Promise<void>;
}

export type SmtpRequest = { id: number; op: 'send'; message: Mail.Options } | { id: number; op: 'verify' } | { op: 'close' };

interface SmtpFailure {
  message: string;
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

export type SmtpReply = { id: number; ok: true } | { id: number; ok: false; error: SmtpFailure };

export class SmtpSender implements MailSender {
  private worker: Worker | null = null;
  private exited: Promise<void> = Promise.resolve();
  private readonly waiting = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  private nextId = 1;
  private closed = false;

  /** `options` are nodemailer's SMTP pool options; they must be plain data (they cross to the thread). */
  constructor(private readonly options: SMTPPool.Options) {}

  sendMail(message: Mail.Options): Promise<void> {
    return this.call((id) => ({ id, op: 'send', message }));
  }

  verify(): Promise<void> {
    return this.call((id) => ({ id, op: 'verify' }));
  }

  /** Closes the SMTP connections and waits for the thread to end. */
  async close(): Promise<void> {
    this.closed = true;
    this.worker?.postMessage({ op: 'close' } satisfies SmtpRequest);
    await this.exited;
  }

  private call(request: (id: number) => SmtpRequest): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the SMTP transport is closed'));
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage(request(id));
    });
  }

  /** Started on first use, and again after the thread died: its e-mails failed and will be retried. */
  private start(): Worker {
    const worker = new Worker(path.join(__dirname, 'smtp-thread.js'), { workerData: this.options });
    worker.on('message', (reply: SmtpReply) => {
      const call = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (!call) return;
      if (reply.ok) call.resolve();
      else call.reject(Object.assign(new Error(reply.error.message), reply.error));
    });
    worker.on('error', (err) => this.failAll(err));
    this.exited = new Promise((resolve) =>
      worker.once('exit', () => {
        if (this.worker === worker) this.worker = null;
        this.failAll(new Error('the SMTP thread stopped'));
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
