// The mail thread holding the plugin's SMTP pool, against a real SMTP server: what nodemailer says
// of a failure crosses the thread intact (so retries are classified the same), and a thread
// that dies is replaced by the next send instead of leaving it waiting forever.
import assert from 'node:assert/strict';
import type { Worker } from 'node:worker_threads';
import { MailThread } from '../../src/mail/mail-sender';
import { isPermanent } from '../../src/mail/retry-policy';
import { SmtpSink } from '../support/smtp-sink';

const message = (subject: string) => ({ from: 'support@panel.example', to: 'tech@panel.example', subject, text: 'Проверка' });

describe('the mail thread', () => {
  let sink: SmtpSink;
  let thread: MailThread;
  beforeEach(async () => {
    sink = await SmtpSink.started();
    thread = new MailThread({ smtp: { pool: true, host: '127.0.0.1', port: sink.port, secure: false, ignoreTLS: true }, render: null });
  });
  afterEach(async () => {
    await thread.close();
    await sink.stop();
  });

  it('sends, verifies, and brings back the server’s answer to a refused message', async () => {
    await thread.verify();
    await thread.sendMail(message('Первое'));
    sink.refusals.push(550);
    const refused = await thread.sendMail(message('Второе')).then(
      () => null,
      (err: unknown) => err,
    );
    assert.ok(refused instanceof Error);
    assert.equal((refused as { responseCode?: number }).responseCode, 550);
    assert.match((refused as { response?: string }).response ?? '', /test refusal 550/);
    assert.ok(isPermanent(refused));
    assert.deepEqual(
      sink.received.map((m) => m.parsed.subject),
      ['Первое'],
    );
  });

  it('starts a new thread when the last one died', async () => {
    await thread.sendMail(message('До'));
    await (thread as unknown as { worker: Worker }).worker.terminate();
    await thread.sendMail(message('После'));
    assert.deepEqual(
      sink.received.map((m) => m.parsed.subject),
      ['До', 'После'],
    );
  });

  it('refuses to send once closed', async () => {
    await thread.close();
    await assert.rejects(thread.sendMail(message('Поздно')), /closed/);
  });
});
