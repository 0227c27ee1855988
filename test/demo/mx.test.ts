// The demo's MX: an SMTP server on loopback that hands every message to the plugin's intake. On
// its own with a recording intake (what it hands over, what it answers), then inside the demo
// panel, where the plugin's real receiveMail answers and mail in is set up out of the box.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import request from 'supertest';
import type { IntakeOptions, IntakeResult } from 'support-requests';
import { createDemoApp, type DemoApp } from '../../demo/app';
import { INBOUND_SECRET_FILE } from '../../demo/inbound-secret';
import { demoMxPortFromEnv } from '../../demo/mail-config';
import { DemoMx, outcomeOf } from '../../demo/mx';
import { memoryLogger } from './panel-session';

type Sent = { response: string };

async function send(port: number, mail: SendMailOptions): Promise<Sent> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    return (await transport.sendMail({ from: 'ivan@example.ru', to: 'support@panel.example', ...mail })) as Sent;
  } finally {
    transport.close();
  }
}

describe('demo MX', () => {
  const received: Buffer[] = [];
  let answer: () => Promise<IntakeResult>;
  let mx: DemoMx;
  const logger = memoryLogger();

  before(async () => {
    mx = await DemoMx.start({
      port: 0,
      maxBytes: 4000,
      logger,
      receive: async (raw) => {
        received.push(raw);
        return answer();
      },
    });
  });
  beforeEach(() => {
    received.length = 0;
    answer = async () => ({ outcome: 'stored', ticketNumber: '12345678' });
  });
  after(() => mx?.close());

  it('hands the whole message to the intake and answers 250 with its outcome', async () => {
    const sent = await send(mx.port, {
      subject: 'Сайт снова работает',
      text: 'Спасибо!\n.\nВсё хорошо.',
      messageId: '<mx-test@example.ru>',
    });
    assert.equal(sent.response, '250 stored #12345678');
    assert.equal(received.length, 1);
    const parsed = await simpleParser(received[0]!);
    assert.equal(parsed.subject, 'Сайт снова работает');
    assert.equal(parsed.messageId, '<mx-test@example.ru>');
    // A line of one dot travels dot-stuffed and arrives as it was written.
    assert.equal(parsed.text?.trim(), 'Спасибо!\n.\nВсё хорошо.');
    assert.deepEqual(outcomeOf(sent.response), { outcome: 'stored', ticketNumber: '12345678' });
  });

  it('answers 451 (try again later) when the intake cannot store the message', async () => {
    answer = async () => {
      throw new Error('database unavailable');
    };
    await assert.rejects(send(mx.port, { subject: 'x', text: 'x' }), (err: Error & { responseCode?: number }) => {
      assert.equal(err.responseCode, 451);
      return true;
    });
    assert.equal(received.length, 1);
  });

  it('refuses a message over its size with 552, before the intake sees it', async () => {
    await assert.rejects(send(mx.port, { subject: 'big', text: 'x'.repeat(8000) }), (err: Error & { responseCode?: number }) => {
      assert.equal(err.responseCode, 552);
      return true;
    });
    assert.equal(received.length, 0);
  });

  it('says which port is taken', async () => {
    await assert.rejects(
      DemoMx.start({ port: mx.port, receive: answer }),
      new RegExp(`demo MX: cannot listen on 127\\.0\\.0\\.1:${mx.port}.*EADDRINUSE`),
    );
  });

  it('reads its port from MX_PORT: 2526 unless set, 0 for any', () => {
    assert.equal(demoMxPortFromEnv({}), 2526);
    assert.equal(demoMxPortFromEnv({ MX_PORT: '' }), 2526);
    assert.equal(demoMxPortFromEnv({ MX_PORT: '0' }), 0);
    assert.equal(demoMxPortFromEnv({ MX_PORT: '2600' }), 2600);
    assert.throws(() => demoMxPortFromEnv({ MX_PORT: 'smtp' }), /MX_PORT must be a port number/);
  });

  it('reads an outcome only from a reply of its own shape', () => {
    assert.deepEqual(outcomeOf('250 held (unknownSender)'), { outcome: 'held', reason: 'unknownSender' });
    assert.equal(outcomeOf('250 OK: message queued'), null);
    assert.equal(outcomeOf('451 try again'), null);
  });
});

describe('demo panel with its MX', () => {
  let dataDir: string;
  let demo: DemoApp;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'panel-mx-'));
    demo = await createDemoApp({ dataDir, mail: { catcherPort: 0 }, mx: { port: 0 }, logger: memoryLogger() });
  });
  after(async () => {
    await demo?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('hands a message to plugin.receiveMail as SMTP mail, and answers with the plugin’s outcome', async () => {
    const calls: Array<{ raw: Buffer; options: IntakeOptions | undefined; result: IntakeResult }> = [];
    const real = demo.plugin.receiveMail;
    demo.plugin.receiveMail = async (raw, options) => {
      const result = await real(raw, options);
      calls.push({ raw: raw as Buffer, options, result });
      return result;
    };
    try {
      assert.ok(demo.mx && demo.mx.port > 0);
      const sent = await send(demo.mx.port, { to: demo.inboundAddress, subject: 'Вопрос по счёту', text: 'Здравствуйте!' });
      assert.equal(calls.length, 1);
      assert.deepEqual(calls[0]!.options, { source: 'smtp' });
      assert.equal((await simpleParser(calls[0]!.raw)).subject, 'Вопрос по счёту');
      assert.deepEqual(outcomeOf(sent.response), calls[0]!.result, sent.response);
    } finally {
      demo.plugin.receiveMail = real;
    }
  });

  it('sets up mail in: the support address at the demo’s domain, and a secret of the data folder the pipe can use', async () => {
    assert.equal(demo.inboundAddress, 'support@panel.example');
    const file = path.join(dataDir, INBOUND_SECRET_FILE);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600, 'only its owner reads it');
    const secret = fs.readFileSync(file, 'utf8').trim();
    assert.ok(secret.length >= 32);
    const res = await request(demo.app)
      .post(`${demo.plugin.mountPath}/mail-in`)
      .set('Authorization', `Bearer ${secret}`)
      .set('Content-Type', 'message/rfc822')
      .send('From: ivan@example.ru\r\nTo: support@panel.example\r\nSubject: pipe\r\n\r\nHello\r\n');
    assert.equal(res.status, 200, res.text);
    assert.match(res.body.outcome, /^(stored|opened|held|ignored|duplicate|bounce)$/);
  });

  it('keeps the data folder’s secret across restarts', async () => {
    const before = fs.readFileSync(path.join(dataDir, INBOUND_SECRET_FILE), 'utf8');
    const again = await createDemoApp({ dataDir, databaseUrl: path.join(dataDir, 'second.sqlite'), logger: memoryLogger() });
    await again.close();
    assert.equal(fs.readFileSync(path.join(dataDir, INBOUND_SECRET_FILE), 'utf8'), before);
  });
});
