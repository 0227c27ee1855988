// A panel that already sends mail hands its own nodemailer transport over through the host
// contract: it wins over the plugin's SMTP settings, its from-address is used, it is handed each
// e-mail whole (rendered and built in the plugin's mail thread), and the plugin never closes it
// (it is the panel's).
import assert from 'node:assert/strict';
import nodemailer from 'nodemailer';
import { databases } from '../support/databases';
import { startPlugin, type TestPlugin } from '../support/test-host';
import { createTicket } from '../support/tickets';
import { SmtpSink } from '../support/smtp-sink';

describe("the host's own mail transport", () => {
  let sink: SmtpSink;
  let t: TestPlugin | null = null;
  beforeEach(async () => {
    sink = await SmtpSink.started();
  });
  afterEach(async () => {
    await t?.close();
    await sink.stop();
  });

  it('is used instead of the SMTP settings, with the panel’s from-address, and is left open on close', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: sink.port, secure: false, ignoreTLS: true });
    const unused = await SmtpSink.onFreePort(); // nothing listens there
    t = await startPlugin(
      databases[0]!,
      { departments: { technical: { emails: ['tech@panel.example'] } }, mail: { ...unused.settings(), confirmToCustomer: false } },
      { hostMail: { transport, from: 'Example Hosting <panel@host.example>' } },
    );
    const number = await createTicket(t, t.as('ivan'), { department: 'technical', message: 'Сервер молчит <b>с 10:00</b>.' });
    const [mail] = await sink.waitFor(1);
    assert.match(mail!.parsed.subject ?? '', new RegExp(`\\[#${number}\\]`));
    assert.deepEqual(mail!.parsed.from?.value, [{ address: 'panel@host.example', name: 'Example Hosting' }]);
    // The envelope the host's transport was given, and both parts the thread rendered.
    assert.deepEqual(mail!.recipients, ['tech@panel.example']);
    assert.match(mail!.parsed.text ?? '', /Сервер молчит <b>с 10:00<\/b>\./);
    assert.match(String(mail!.parsed.html), /Сервер молчит &lt;b&gt;с 10:00&lt;\/b&gt;\./);
    assert.equal(mail!.parsed.messageId?.startsWith(`<sr.${number}.`), true);
    assert.match((await t.as('admin').get('/admin/mail')).text, /The panel&#39;s own mail transport|Почтовый транспорт панели/);

    await t.close();
    t = null;
    await transport.sendMail({
      from: 'panel@host.example',
      to: 'billing@panel.example',
      subject: 'Still open',
      text: 'The panel keeps using it.',
    });
    assert.equal((await sink.waitFor(2))[1]!.parsed.subject, 'Still open');
    transport.close();
  });
});
