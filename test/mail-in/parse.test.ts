// Reading one raw message into what the intake decides on: the corpus of real-shaped messages
// (test/mail-in/corpus) gives each client's text with its quotes and signature cut, and the
// headers that matter; hand-made messages try each header rule, the limits and garbled input.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { parseMail } from '../../src/mail/in/parse';
import { countMimeParts } from '../../src/mail/in/part-count';
import { MailTooComplexError } from '../../src/model/errors';
import type { ParsedMail } from '../../src/model/inbound';
import { corpusFiles, corpusIndex, corpusMessage, fillPlaceholders, type CorpusValues } from '../support/mail-corpus';
import { exe, png } from '../support/samples';

const VALUES: CorpusValues = {
  replyTo: 'support+48213907.k3f9a2c1@provider.example',
  threadId: '<sr.48213907.0a1b2c3d4e5f6a7b8c@provider.example>',
  number: '48213907',
  customer: 'irina@romashka.example',
  staff: 'tech@provider.example',
  support: 'support@provider.example',
};
const LIMITS = { maxParts: 100 };

const parseCorpus = (file: string) => parseMail(corpusMessage(file, VALUES), LIMITS);

/** A message from header lines and a UTF-8 body, CRLF as on the wire. */
function message(headers: string[], body = 'Текст письма.'): Buffer {
  return Buffer.from(
    [...headers, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', body, ''].join(
      '\r\n',
    ),
  );
}
const encoded = (text: string) => `=?UTF-8?B?${Buffer.from(text).toString('base64')}?=`;

describe('reading a message', () => {
  describe('the corpus', () => {
    it('lists every .eml once in index.json', () => {
      assert.deepEqual(
        corpusIndex()
          .map((entry) => entry.file)
          .sort(),
        corpusFiles(),
      );
    });

    it('has CRLF line endings and its placeholders whole', () => {
      for (const file of corpusFiles()) {
        const raw = corpusMessage(file, VALUES).toString('latin1');
        assert.doesNotMatch(raw, /(^|[^\r])\n/, `${file} has a bare LF`);
        assert.doesNotMatch(raw, /\{\{|\}\}/, `${file} keeps a placeholder the fill did not know`);
      }
    });

    for (const entry of corpusIndex()) {
      it(`${entry.file}: the subject and the new text, quotes and signature cut`, async () => {
        const mail = await parseCorpus(entry.file);
        assert.equal(mail.subject, fillPlaceholders(entry.subject, VALUES));
        assert.equal(mail.text, fillPlaceholders(entry.text, VALUES));
        assert.ok(mail.fullText.length >= mail.text.length);
        assert.deepEqual(
          mail.files.map((f) => ({ filename: f.filename, inline: f.inline })),
          (entry.files ?? []).map((f) => ({ filename: f.filename, inline: f.inline })),
        );
        for (const text of [mail.text, mail.fullText]) {
          assert.doesNotMatch(text, /<(script|style|iframe|div|p|br|blockquote|html|body)\b/i, 'HTML markup left in the text');
          assert.doesNotMatch(text, /\r|\u0000|\ufeff/);
        }
      });
    }
  });

  describe('charsets and encodings', () => {
    it('decodes windows-1251 (quoted-printable and 8bit), KOI8-R and base64 bodies and their encoded headers', async () => {
      const outlook = await parseCorpus('outlook-reply.eml');
      assert.deepEqual(outlook.from, { address: VALUES.staff, name: 'Алексей Морозов' });
      assert.match(outlook.fullText, /Новый запрос \[#48213907\]: Не приходит почта на домен/);
      const koi8 = await parseCorpus('koi8r-reply.eml');
      assert.deepEqual(koi8.from, { address: VALUES.customer, name: 'Ирина Соколова' });
      assert.match(koi8.fullText, /Вы писали 26 ноября 2026 г\., 10:15:/);
      const cp1251 = await parseCorpus('windows-1251.eml');
      assert.equal(cp1251.subject, 'Ошибка 502 на сайте romashka.example');
      const mailru = await parseCorpus('mailru-reply.eml');
      assert.match(mailru.fullText, /от Служба поддержки <support@provider\.example>:/);
    });

    it('keeps the whole text, history included, in fullText', async () => {
      const mail = await parseCorpus('thunderbird-reply.eml');
      assert.match(mail.fullText, /^On 26\.11\.2026 10:15, Служба поддержки wrote:\n> Здравствуйте, Ирина!/);
      assert.match(mail.fullText, /\n--\nИрина Соколова\nООО «Ромашка»/);
      assert.ok(mail.fullText.includes(mail.text));
    });
  });

  describe('headers', () => {
    it('reads Message-ID, In-Reply-To, References with their angle brackets, and the date', async () => {
      const mail = await parseCorpus('thunderbird-reply.eml');
      assert.equal(mail.messageId, '<5f0c7e1a-92d4-4b6e-8c3f-1a2b3c4d5e6f@romashka.example>');
      assert.deepEqual(mail.inReplyTo, [VALUES.threadId]);
      assert.deepEqual(mail.references, [VALUES.threadId]);
      assert.equal(mail.date, Date.UTC(2026, 10, 26, 8, 2, 37));
    });

    it('brackets bare ids, keeps each once, and keeps a long References to its start and end', async () => {
      const ids = Array.from({ length: 150 }, (_, i) => `<id${i}@example.net>`);
      const mail = await parseMail(
        message([
          'From: a@example.net',
          'Message-ID: bare-id@example.net',
          'In-Reply-To: <x@example.net> <x@example.net>',
          `References: ${ids.join('\r\n ')}`,
          'Date: not a date',
        ]),
        LIMITS,
      );
      assert.equal(mail.messageId, '<bare-id@example.net>');
      assert.deepEqual(mail.inReplyTo, ['<x@example.net>']);
      assert.equal(mail.references.length, 100);
      assert.deepEqual(mail.references.slice(0, 10), ids.slice(0, 10));
      assert.equal(mail.references.at(-1), ids.at(-1));
      assert.equal(mail.date, null);
    });

    it('gathers To, Cc, Delivered-To and X-Original-To, lower-cased, once each; From lower-cased with its decoded name', async () => {
      const mail = await parseMail(
        message([
          `From: ${encoded('Ирина Соколова')} <Irina@Romashka.Example>`,
          'To: "Support" <Support+48213907.k3f9a2c1@Provider.Example>, other@example.net',
          'Cc: Team: petr@romashka.example, OTHER@example.net;',
          'Delivered-To: support+48213907.k3f9a2c1@provider.example',
          'X-Original-To: tech@provider.example',
        ]),
        LIMITS,
      );
      assert.deepEqual(mail.from, { address: 'irina@romashka.example', name: 'Ирина Соколова' });
      assert.deepEqual(mail.recipients, [
        'support+48213907.k3f9a2c1@provider.example',
        'other@example.net',
        'petr@romashka.example',
        'tech@provider.example',
      ]);
    });

    it('makes the subject one decoded line without control characters, at most 998 characters', async () => {
      const injected = await parseCorpus('subject-injection.eml');
      assert.equal(injected.subject, 'Не работает сайт Bcc: victim@elsewhere.example <b>x</b>');
      const long = await parseMail(message(['From: a@example.net', `Subject: ${encoded('Тема\u0007\u0085 '.repeat(400))}`]), LIMITS);
      assert.ok(long.subject.length <= 998, `${long.subject.length} characters`);
      assert.match(long.subject, /^Тема Тема Тема/);
      assert.doesNotMatch(long.subject, /[\u0000-\u001f\u007f-\u009f]/);
      const none = await parseMail(message(['From: a@example.net']), LIMITS);
      assert.equal(none.subject, '');
    });
  });

  describe('automatic mail', () => {
    const automatic = async (...headers: string[]) => (await parseMail(message(['From: a@example.net', ...headers]), LIMITS)).automatic;

    it('names the header of the corpus auto-replies and the newsletter, and nothing for a person', async () => {
      assert.equal((await parseCorpus('auto-reply.eml')).automatic, 'Auto-Submitted: auto-replied');
      assert.equal((await parseCorpus('out-of-office-exchange.eml')).automatic, 'X-Auto-Response-Suppress: All');
      assert.equal((await parseCorpus('newsletter.eml')).automatic, 'Precedence: bulk');
      assert.equal((await parseCorpus('thunderbird-reply.eml')).automatic, null);
    });

    it('leaves a mailer daemon without such headers to the intake (it reads From)', async () => {
      const bounce = await parseCorpus('qmail-bounce.eml');
      assert.equal(bounce.automatic, null);
      assert.equal(bounce.from?.address, 'mailer-daemon@mail.old-host.example');
    });

    it('reads each rule', async () => {
      assert.equal(await automatic('Auto-Submitted: auto-generated'), 'Auto-Submitted: auto-generated');
      assert.equal(await automatic('Auto-Submitted: no'), null);
      assert.equal(await automatic('Auto-Submitted: No (a person wrote it)'), null);
      assert.equal(await automatic('X-Autoreply: yes'), 'X-Autoreply: yes');
      assert.equal(await automatic('X-Autorespond: vacation'), 'X-Autorespond: vacation');
      assert.equal(await automatic('X-Auto-Response-Suppress: DR, OOF, AutoReply'), 'X-Auto-Response-Suppress: DR, OOF, AutoReply');
      assert.equal(await automatic('X-Auto-Response-Suppress: DR, RN, NRN'), null);
      for (const value of ['bulk', 'junk', 'list', 'auto_reply', 'Bulk'])
        assert.equal(await automatic(`Precedence: ${value}`), `Precedence: ${value}`);
      assert.equal(await automatic('Precedence: first-class'), null);
      assert.equal(await automatic('List-Id: Hosting news <news.example.net>'), 'List-Id: Hosting news <news.example.net>');
      assert.equal(await automatic('Subject: Auto-Submitted: auto-replied'), null);
    });
  });

  describe('delivery reports', () => {
    it('reads the original Message-ID from the returned headers and each recipient from the status part', async () => {
      const mail = await parseCorpus('dsn-bounce.eml');
      assert.deepEqual(mail.report, {
        originalMessageId: VALUES.threadId,
        recipients: [
          {
            address: VALUES.customer,
            action: 'failed',
            status: '5.1.1',
            diagnostic: `550 5.1.1 <${VALUES.customer}>: Recipient address rejected: User unknown in virtual mailbox table`,
          },
        ],
      });
      assert.deepEqual(mail.files, [], 'the report parts are not files');
      assert.equal(mail.partCount, 4);
    });

    it('reads a returned message/rfc822 and several recipients', async () => {
      const mail = await parseCorpus('dsn-exchange.eml');
      assert.equal(mail.report?.originalMessageId, VALUES.threadId);
      assert.deepEqual(
        mail.report?.recipients.map((r) => [r.address, r.action, r.status]),
        [
          [VALUES.customer, 'failed', '5.2.2'],
          ['petr@romashka.example', 'delayed', '4.4.7'],
        ],
      );
      assert.match(mail.report?.recipients[0]?.diagnostic ?? '', /^554 5\.2\.2 mailbox full; STOREDRV/);
    });

    it('is null for any other message, a bounce without a report included', async () => {
      assert.equal((await parseCorpus('qmail-bounce.eml')).report, null);
      assert.equal((await parseCorpus('thunderbird-reply.eml')).report, null);
    });
  });

  describe('Authentication-Results', () => {
    const verdict = async (from: string, ...results: string[]) =>
      (await parseMail(message([...results.map((r) => `Authentication-Results: mx.provider.example; ${r}`), `From: ${from}`]), LIMITS))
        .authVerdict;

    it('reads the corpus: pass, fail, none', async () => {
      assert.equal((await parseCorpus('outlook-reply.eml')).authVerdict, 'pass');
      assert.equal((await parseCorpus('forged-from.eml')).authVerdict, 'fail');
      assert.equal((await parseCorpus('newsletter.eml')).authVerdict, 'none');
    });

    it('passes on DMARC for the From domain, DKIM signed by it or its parent, SPF for an envelope sender of it', async () => {
      assert.equal(await verdict('a@shop.example', 'dmarc=pass header.from=shop.example'), 'pass');
      assert.equal(await verdict('a@shop.example', 'dmarc=pass header.from=other.example'), 'none');
      assert.equal(await verdict('a@shop.example', 'dkim=pass header.d=shop.example header.s=mail'), 'pass');
      assert.equal(await verdict('a@mail.shop.example', 'dkim=pass (good signature) header.d=shop.example'), 'pass');
      assert.equal(await verdict('a@shop.example', 'dkim=pass header.i=@shop.example'), 'pass');
      assert.equal(await verdict('a@shop.example', 'dkim=pass header.d=sendgrid.net; spf=pass smtp.mailfrom=bounces@sendgrid.net'), 'none');
      assert.equal(await verdict('a@shop.example', 'spf=pass smtp.mailfrom=bounce@shop.example'), 'pass');
      assert.equal(await verdict('a@shop.example', 'spf=softfail smtp.mailfrom=shop.example; dkim=none'), 'fail');
      assert.equal(await verdict('a@shop.example', 'dkim=fail header.d=shop.example; dmarc=pass header.from=shop.example'), 'pass');
      assert.equal(await verdict('a@shop.example', 'none'), 'none');
      assert.equal(await verdict('a@shop.example'), 'none');
    });

    it('compares an internationalized From domain in its ASCII form', async () => {
      assert.equal(await verdict('ivan@пример.рф', 'dkim=pass header.d=xn--e1afmkfd.xn--p1ai'), 'pass');
    });

    it('believes the topmost header only: one the sender wrote below it changes nothing', async () => {
      assert.equal(
        await verdict(
          'a@shop.example',
          'spf=fail smtp.mailfrom=x@attacker.example; dmarc=fail header.from=shop.example',
          'dmarc=pass header.from=shop.example',
        ),
        'fail',
      );
    });
  });

  describe('files', () => {
    it('gives each attachment and inline image its bytes; one the HTML shows by cid: is inline', async () => {
      const mail = await parseCorpus('inline-image.eml');
      const [screenshot, log] = mail.files;
      assert.deepEqual([screenshot?.filename, screenshot?.declaredType, screenshot?.inline], ['screenshot.png', 'image/png', true]);
      assert.ok(screenshot?.content.equals(png));
      assert.deepEqual([log?.filename, log?.declaredType, log?.inline], ['maillog.txt', 'text/plain', false]);
      assert.match(log?.content.toString() ?? '', /^2026-11-26 09:40:12 postfix\/smtpd/);
      assert.equal(mail.partCount, 7);
    });

    it('hands an executable over as it came, whatever it is called', async () => {
      const mail = await parseCorpus('exe-attachment.eml');
      assert.deepEqual(
        mail.files.map((f) => [f.filename, f.declaredType, f.content.subarray(0, 2).toString('latin1')]),
        [
          ['setup.exe', 'application/x-msdownload', 'MZ'],
          ['photo.jpg', 'image/jpeg', 'MZ'],
          ['screen.png', 'image/png', '\u0089P'],
        ],
      );
    });

    it('reads a 5 MB attachment whole', async () => {
      const big = Buffer.concat([exe, crypto.randomBytes(5 * 1024 * 1024)]);
      const raw = Buffer.from(
        [
          'From: a@example.net',
          'Subject: big',
          'MIME-Version: 1.0',
          'Content-Type: multipart/mixed; boundary="b"',
          '',
          '--b',
          'Content-Type: text/plain; charset=utf-8',
          '',
          'Дамп прилагаю.',
          '--b',
          'Content-Type: application/octet-stream; name="dump.bin"',
          'Content-Disposition: attachment; filename="dump.bin"',
          'Content-Transfer-Encoding: base64',
          '',
          big.toString('base64').replace(/.{76}/g, '$&\r\n'),
          '--b--',
          '',
        ].join('\r\n'),
      );
      const mail = await parseMail(raw, LIMITS);
      assert.equal(mail.text, 'Дамп прилагаю.');
      assert.equal(mail.files.length, 1);
      assert.ok(mail.files[0]?.content.equals(big));
    });
  });

  describe('HTML', () => {
    it('keeps the words and drops scripts, styles, handlers, frames and javascript: addresses', async () => {
      const mail = await parseCorpus('html-script.eml');
      for (const text of [mail.text, mail.fullText]) {
        assert.doesNotMatch(text, /<script|alert\(|document\.cookie|onerror|onclick|onload|iframe|javascript:|evil\.example/i);
      }
      assert.match(mail.text, /Теги <b> и <\/b> я пишу как текст\./, 'text the sender typed stays');
    });

    it('reads HTML nested 100,000 deep as a flat list of words, in time', async () => {
      const html = `<script>alert(1)</script>${'<div><b>'.repeat(50_000)}глубоко внутри${'</b></div>'.repeat(50_000)}`;
      const raw = Buffer.from(`From: a@example.net\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${html}\r\n`);
      const started = performance.now();
      const mail = await parseMail(raw, LIMITS);
      const took = performance.now() - started;
      assert.equal(mail.text, 'глубоко внутри');
      assert.ok(took < 5000, `took ${Math.round(took)} ms`);
    });

    it('cuts the quoted history of an HTML-only reply like a plain one', async () => {
      const mail = await parseCorpus('html-only.eml');
      assert.match(mail.fullText, /> Здравствуйте, Ирина!/);
      assert.doesNotMatch(mail.text, /Здравствуйте, Ирина|писал\(а\)/);
    });
  });

  describe('cutting the history', () => {
    const cut = async (body: string, subject = 'Re: вопрос') =>
      (await parseMail(message(['From: a@example.net', `Subject: ${encoded(subject)}`], body), LIMITS)).text;

    it('keeps a sentence that only looks like an attribution, and pasted headers', async () => {
      const typed = 'Вчера в 10:15 ваш сотрудник написал:\nперезагрузите сервер.\nНе помогло.';
      assert.equal(await cut(typed), typed);
      const pasted =
        'Заголовки письма:\nReceived: from mx.example.net\nFrom: Иван <ivan@example.net>\nDate: Thu, 26 Nov 2026 10:15:00 +0300\nSubject: тест\n\nЧто с ним не так?';
      assert.equal(await cut(pasted), pasted);
    });

    it('cuts a Russian attribution with its quote and keeps an answer below it', async () => {
      assert.equal(await cut('26.11.2026 10:15, Служба поддержки пишет:\n> Вопрос?\n\nОтвет ниже цитаты.'), 'Ответ ниже цитаты.');
      assert.equal(await cut('Ответ.\n\nчт, 26 нояб. 2026 г. в 10:15, Служба <support@provider.example>:\n\n> Вопрос?'), 'Ответ.');
    });

    it('cuts everything below Outlook’s block and a sign-off', async () => {
      assert.equal(await cut('Ответ.\n\nОт: Хостинг Пример\nОтправлено: 26 ноября 2026 г. 10:15\nТема: x\n\nИстория'), 'Ответ.');
      assert.equal(await cut('Ответ.\n\nС уважением, Алексей Морозов\nТехническая поддержка\n+7 495 000-00-00'), 'Ответ.');
      assert.equal(await cut('Ответ.\n\nОтправлено из мобильной Почты Mail.ru'), 'Ответ.');
    });

    it('keeps an Outlook forward (FW:) whole below the note', async () => {
      const forward =
        'Посмотрите.\n\nFrom: Регистратор <noreply@registrar.example>\nSent: Thursday, November 26, 2026 8:00 AM\nSubject: Домен\n\nСрок истёк.';
      assert.equal(await cut(forward, 'FW: Домен'), forward);
    });

    it('gives a very long line back whole', async () => {
      const line = `${'длинная строка '.repeat(2000)}конец`;
      assert.equal(await cut(`${line}\n\nOn Thu, 26 Nov 2026 at 10:15, Служба <support@provider.example> wrote:\n\n> Вопрос?`), line);
    });

    it('passes a line built to make the parser backtrack around it, quickly', async () => {
      // Each pattern of email-reply-parser tests each line; on this one some take seconds.
      const line = '12.34.2026 '.repeat(9000).trim();
      const started = performance.now();
      assert.equal(await cut(`${line}\n\n> Вопрос?`), line);
      const took = performance.now() - started;
      assert.ok(took < 2000, `took ${Math.round(took)} ms`);
    });

    it('is empty when nothing new is left, and fullText keeps it all', async () => {
      const mail = await parseMail(message(['From: a@example.net'], '> Только цитата\n> и ничего больше'), LIMITS);
      assert.equal(mail.text, '');
      assert.equal(mail.fullText, '> Только цитата\n> и ничего больше');
    });
  });

  describe('limits and garbled input', () => {
    function manyParts(count: number, contentType = 'multipart/mixed; boundary="b"', boundary = 'b'): Buffer {
      const parts = Array.from({ length: count }, (_, i) => `--${boundary}\r\nContent-Type: text/plain\r\n\r\nчасть ${i}\r\n`);
      return Buffer.from(
        `From: a@example.net\r\nSubject: many\r\nMIME-Version: 1.0\r\nContent-Type: ${contentType}\r\n\r\n${parts.join('')}--${boundary}--\r\n`,
      );
    }

    it('refuses 10,000 parts quickly, before decoding them', async () => {
      const raw = manyParts(10_000);
      const started = performance.now();
      await assert.rejects(
        parseMail(raw, LIMITS),
        (err: unknown) => err instanceof MailTooComplexError && err.code === 'MAIL_TOO_COMPLEX' && err.maxParts === 100,
      );
      const took = performance.now() - started;
      assert.ok(took < 1000, `took ${Math.round(took)} ms`);
    });

    it('refuses too many parts even when the count cannot read the boundary (RFC 2231 continuations)', async () => {
      const raw = manyParts(500, 'multipart/mixed; boundary*0="ab"; boundary*1="cd"', 'abcd');
      await assert.rejects(parseMail(raw, LIMITS), MailTooComplexError);
      assert.equal((await parseMail(raw, { maxParts: 1000 })).text.split('\n').length, 500, 'under a higher limit it is read');
    });

    it('counts the parts from the boundary lines, nested ones too, not the closing ones or look-alikes', () => {
      const raw = Buffer.from(
        [
          'Content-Type: multipart/mixed; boundary=outer',
          '',
          '--outer',
          'Content-Type: multipart/alternative; boundary="inner"',
          '',
          '--inner',
          '',
          'текст',
          '--inner ',
          '',
          '--outer-but-not-quite',
          '--inner--',
          '--outer',
          '',
          '--outer--',
          '',
        ].join('\r\n'),
      );
      assert.equal(countMimeParts(raw, 100), 5);
      assert.throws(() => countMimeParts(raw, 4), MailTooComplexError);
      assert.equal(countMimeParts(Buffer.from('Subject: x\r\n\r\n--outer\r\n'), 1), 1);
    });

    it('takes a message at the limit and counts its parts', async () => {
      const mail = await parseMail(manyParts(99), LIMITS);
      assert.equal(mail.partCount, 100);
      assert.match(mail.text, /^часть 0\nчасть 1\n/);
    });

    it('reads what it can of garbled messages and never throws', async () => {
      const cases: Record<string, Buffer> = {
        empty: Buffer.alloc(0),
        random: crypto.randomBytes(4096),
        headersOnly: Buffer.from(`From: ${encoded('Ирина')} <irina@romashka.example>\r\nSubject: =?koi8-r?Q?=F0=D2=C9=D7=C5=D4?=`),
        truncated: Buffer.from(
          'From: a@example.net\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary="q"\r\n\r\n--q\r\nContent-Type: text/plain; charset=x-no-such-charset\r\nContent-Transfer-Encoding: base64\r\n\r\n0J/RgNC40LLQtdGC!!@@\r\n--q\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0',
        ),
        controlCharacters: Buffer.from('From: <a@example.net>\r\nSubject: a\u0000b\r\nDate: garbage\r\n\r\nпривет\u0000 мир\u0007\r\n'),
        hugeHeader: Buffer.from(`From: a@example.net\r\nX-Padding: ${'a'.repeat(2 * 1024 * 1024)}\r\nSubject: big header\r\n\r\nтекст\r\n`),
      };
      const read: Record<string, ParsedMail> = {};
      for (const [name, raw] of Object.entries(cases)) read[name] = await parseMail(raw, LIMITS);
      assert.equal(read.empty?.from, null);
      assert.equal(read.random?.text.includes('\u0000'), false);
      assert.deepEqual([read.headersOnly?.from?.name, read.headersOnly?.subject], ['Ирина', 'Привет']);
      assert.equal(read.truncated?.subject, 'x');
      assert.equal(read.truncated?.files[0]?.declaredType, 'application/pdf');
      assert.deepEqual(
        [read.controlCharacters?.subject, read.controlCharacters?.text, read.controlCharacters?.date],
        ['a b', 'привет мир', null],
      );
      assert.deepEqual(
        [read.hugeHeader?.from?.address, read.hugeHeader?.subject],
        ['a@example.net', 'big header'],
        'the headers read again within limits',
      );
    });
  });
});
