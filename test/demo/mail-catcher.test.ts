// The demo's SMTP catcher on its own: what it keeps, what it refuses, and that close() frees the port.
import assert from 'node:assert/strict';
import net from 'node:net';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { isUrgent, MailCatcher } from '../../demo/mail-catcher';
import { demoMailFromEnv } from '../../demo/mail-config';
import { safeFilename, textParts } from '../../demo/mailbox-routes';
import { memoryLogger } from './panel-session';

async function send(port: number, mails: SendMailOptions[]): Promise<void> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    for (const mail of mails) await transport.sendMail({ from: 'a@panel.example', to: 'b@panel.example', ...mail });
  } finally {
    transport.close();
  }
}

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('demo mail catcher', () => {
  it('keeps the newest e-mails, newest first, with envelope, headers, parts and files', async () => {
    const catcher = await MailCatcher.start({ port: 0, keep: 3, logger: memoryLogger() });
    try {
      await send(
        catcher.port,
        [1, 2, 3, 4].map((n) => ({ subject: `mail ${n}`, text: `text ${n}` })),
      );
      await send(catcher.port, [
        {
          subject: 'mail 5',
          to: 'To One <one@panel.example>',
          cc: 'cc@panel.example',
          bcc: 'hidden@panel.example',
          text: 'text 5',
          html: '<p>html 5</p>',
          inReplyTo: '<first@panel.example>',
          references: ['<first@panel.example>'],
          headers: { 'X-Priority': '1 (Highest)', Importance: 'high' },
          attachments: [{ filename: 'a.txt', content: 'abc', contentType: 'text/plain' }],
        },
      ]);
      const list = catcher.list();
      assert.deepEqual(
        list.map((m) => m.subject),
        ['mail 5', 'mail 4', 'mail 3'],
      );
      const [mail] = list;
      assert.ok(mail);
      assert.equal(catcher.get(mail.id), mail);
      assert.equal(catcher.get(1), undefined, 'the oldest ones were dropped');
      assert.equal(mail.envelope.from, 'a@panel.example');
      assert.deepEqual([...mail.envelope.to].sort(), ['cc@panel.example', 'hidden@panel.example', 'one@panel.example']);
      assert.match(mail.to, /^"?To One"? <one@panel\.example>$/);
      assert.equal(mail.cc, 'cc@panel.example');
      assert.equal(mail.text.trim(), 'text 5');
      assert.equal(mail.html.trim(), '<p>html 5</p>');
      assert.equal(mail.inReplyTo, '<first@panel.example>');
      assert.deepEqual(mail.references, ['<first@panel.example>']);
      assert.match(mail.messageId, /^<.+@.+>$/);
      assert.ok(mail.date instanceof Date);
      assert.ok(isUrgent(mail));
      assert.ok(!isUrgent(list[1] as never));
      assert.deepEqual(
        mail.attachments.map((a) => [a.filename, a.contentType, a.size, a.content.toString()]),
        [['a.txt', 'text/plain', 3, 'abc']],
      );
    } finally {
      await catcher.close();
    }
  });

  it('refuses an e-mail over the size limit with 552 and keeps nothing of it', async () => {
    const catcher = await MailCatcher.start({ port: 0, maxBytes: 2000, logger: memoryLogger() });
    try {
      await assert.rejects(send(catcher.port, [{ subject: 'big', text: 'x'.repeat(5000) }]), (err: Error & { responseCode?: number }) => {
        assert.equal(err.responseCode, 552);
        return true;
      });
      assert.equal(catcher.list().length, 0);
    } finally {
      await catcher.close();
    }
  });

  it('says which port is taken, and frees its port on close', async () => {
    const catcher = await MailCatcher.start({ port: 0, logger: memoryLogger() });
    assert.equal(await connects(catcher.port), true);
    await assert.rejects(
      MailCatcher.start({ port: catcher.port, logger: memoryLogger() }),
      new RegExp(`cannot listen on 127\\.0\\.0\\.1:${catcher.port}.*EADDRINUSE`),
    );
    await catcher.close();
    assert.equal(await connects(catcher.port), false);
  });
});

describe('demo mail settings from the environment', () => {
  it('uses the catcher on 2525 or SMTP_PORT when no SMTP_HOST is set', () => {
    assert.deepEqual(demoMailFromEnv({}), { catcherPort: 2525 });
    assert.deepEqual(demoMailFromEnv({ SMTP_PORT: '2600', SMTP_HOST: '' }), { catcherPort: 2600 });
    assert.deepEqual(demoMailFromEnv({ SMTP_PORT: '0' }), { catcherPort: 0 });
  });

  it('passes a real server through when SMTP_HOST is set', () => {
    assert.deepEqual(demoMailFromEnv({ SMTP_HOST: 'smtp.example.com' }), { smtp: { host: 'smtp.example.com' } });
    assert.deepEqual(
      demoMailFromEnv({
        SMTP_HOST: 'smtp.example.com',
        SMTP_PORT: '465',
        SMTP_SECURE: 'true',
        SMTP_USER: 'u',
        SMTP_PASSWORD: 'p',
        SMTP_FROM: 'help@example.com',
      }),
      { smtp: { host: 'smtp.example.com', port: 465, secure: true, user: 'u', password: 'p' }, from: 'help@example.com' },
    );
  });

  it('names the variable that is wrong', () => {
    assert.throws(() => demoMailFromEnv({ SMTP_PORT: 'abc' }), /SMTP_PORT must be a port number/);
    assert.throws(() => demoMailFromEnv({ SMTP_PORT: '70000' }), /SMTP_PORT/);
    assert.throws(() => demoMailFromEnv({ SMTP_HOST: 'h', SMTP_PORT: '0' }), /SMTP_PORT must be a port number \(1-65535\)/);
    assert.throws(() => demoMailFromEnv({ SMTP_HOST: 'h', SMTP_SECURE: 'maybe' }), /SMTP_SECURE must be true or false/);
  });
});

describe('demo mailbox helpers', () => {
  it('makes download names safe', () => {
    assert.equal(safeFilename('../../etc/passwd', 'x'), 'passwd');
    assert.equal(safeFilename('..\\evil".html', 'x'), 'evil.html');
    assert.equal(safeFilename('a\r\nb.txt', 'x'), 'ab.txt');
    assert.equal(safeFilename('...', 'fallback'), 'fallback');
    assert.equal(safeFilename('отчёт.pdf', 'x'), 'отчёт.pdf');
  });

  it('cuts text into plain runs and http(s) links, leaving trailing punctuation out of the link', () => {
    assert.deepEqual(textParts('See https://panel.example/t/1. Or javascript:alert(1)'), [
      { text: 'See ', link: false },
      { text: 'https://panel.example/t/1', link: true },
      { text: '. Or javascript:alert(1)', link: false },
    ]);
    assert.deepEqual(textParts(''), []);
  });
});
