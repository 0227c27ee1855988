// The intake's rules on the memory store: which request a message answers, who may write there,
// what lands in the thread, what opens a request, and what is held or dropped as noise.
import assert from 'node:assert/strict';
import type { HostUser } from '../../src/host';
import type { MailFile, ParsedMail } from '../../src/model/inbound';
import type { Ticket } from '../../src/model/types';
import { replyAddresses } from '../../src/mail/reply-address';
import { domainWorld, ivan, olga, petr } from '../support/domain-world';
import { memoryInbound } from '../support/memory-inbound';
import { intakeOver } from '../support/intake-world';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';
const addresses = replyAddresses('support@panel.example', SECRET);

function parsed(extra: Omit<Partial<ParsedMail>, 'from'> & { from: string }): ParsedMail {
  const { from, ...rest } = extra;
  return {
    messageId: `<${Math.random().toString(36).slice(2)}@mail.example>`,
    inReplyTo: [],
    references: [],
    from: { address: from, name: '' },
    recipients: [],
    subject: 'Re: вопрос',
    date: null,
    text: 'Спасибо, помогло.',
    fullText: 'Спасибо, помогло.\n\n> старое письмо',
    files: [],
    automatic: null,
    report: null,
    authVerdict: 'none',
    partCount: 1,
    ...rest,
  };
}

const file = (filename: string, declaredType: string, bytes = 100): MailFile => ({
  filename,
  declaredType,
  content: Buffer.alloc(bytes, 1),
  inline: false,
});

async function world(options: { users?: HostUser[]; lookup?: boolean; perSenderPerHour?: number; requireAuthPassForStaff?: boolean } = {}) {
  const w = await domainWorld({ newTicketsPerHour: 2 });
  const inbound = memoryInbound();
  const kept: string[] = [];
  const logged: string[] = [];
  const users = options.users ?? [ivan, olga];
  const intake = intakeOver(w, inbound, addresses, {
    ...(options.lookup === false ? {} : { findUserByEmail: async (email: string) => users.find((u) => u.email === email) ?? null }),
    perSenderPerHour: options.perSenderPerHour ?? 0,
    requireAuthPassForStaff: options.requireAuthPassForStaff ?? false,
    mailboxDepartments: new Map([['emergency-box', 'emergency']]),
    log: (m) => void logged.push(m),
  });
  const take = (mail: ParsedMail, source: { mailbox?: string } = {}) =>
    intake.take(mail, Buffer.from('raw'), { keep: async () => ({ key: `raw-${kept.push('x')}`, size: 3 }) }, source);
  const thread = async (ticket: Ticket) => w.store.messages.thread(ticket.id, 'staff');
  return { ...w, inbound, take, thread, logged };
}

describe('domain: mail intake', () => {
  it("a customer's reply to the request's address lands in it, once, and tells the department", async () => {
    const w = await world();
    const ticket = await w.open(ivan);
    const mail = parsed({ from: ivan.email, recipients: [addresses.forTicket(ticket.number, 'customer')] });
    assert.deepEqual(await w.take(mail), { outcome: 'stored', ticketNumber: ticket.number });
    const thread = await w.thread(ticket);
    assert.equal(thread.length, 2);
    assert.equal(thread[1]!.body, 'Спасибо, помогло.');
    assert.equal(thread[1]!.authorKind, 'customer');
    assert.ok(w.mail.calls.includes(`department-reply #${ticket.number}`));
    // The same message again (an IMAP re-read, a retried pipe): nothing more.
    assert.deepEqual(await w.take(mail), { outcome: 'duplicate', ticketNumber: ticket.number });
    assert.equal((await w.thread(ticket)).length, 2);
    assert.equal(w.inbound.rows.length, 1);
    assert.equal(w.inbound.rows[0]!.messageId, thread[1]!.id);
  });

  it('a reply reopens a closed request', async () => {
    const w = await world();
    const ticket = await w.open(ivan);
    await w.customer.close(ivan, ticket.number);
    await w.take(parsed({ from: 'IVAN@example.ru'.toLowerCase(), recipients: [addresses.forTicket(ticket.number, 'customer')] }));
    const now = (await w.store.tickets.findByNumber(ticket.number))!;
    assert.notEqual(now.status, 'closed');
    assert.equal(now.closedAt, null);
  });

  it("the department's mailbox answers the customer; a staff member's #note stays internal", async () => {
    const w = await world();
    const ticket = await w.open(ivan);
    const to = [addresses.forTicket(ticket.number, 'department')];
    assert.equal(
      (await w.take(parsed({ from: 'technical@panel.example', recipients: to, text: 'Перезагрузили сервер.' }))).outcome,
      'stored',
    );
    assert.ok(w.mail.calls.includes(`customer-reply #${ticket.number}`));
    assert.equal(await w.customer.unseenAnswers(ivan), 1, 'an answer by e-mail is one the customer has to see, as one from the panel');
    const calls = w.mail.calls.length;
    assert.equal((await w.take(parsed({ from: petr.email, recipients: to, text: '#note\nклиент просил не звонить' }))).outcome, 'stored');
    assert.equal(w.mail.calls.length, calls, 'a note sends no e-mail');
    const thread = await w.thread(ticket);
    assert.deepEqual(
      thread.slice(1).map((m) => [m.authorKind, m.internal, m.body]),
      [
        ['staff', false, 'Перезагрузили сервер.'],
        ['staff', true, 'клиент просил не звонить'],
      ],
    );
    assert.equal((await w.store.tickets.findByNumber(ticket.number))!.status, 'answered');
    assert.deepEqual(
      (await w.customer.view(ivan, ticket.number)).messages.map((m) => m.body),
      [ticket.subject && thread[0]!.body, 'Перезагрузили сервер.'],
    );
    assert.equal(await w.customer.unseenAnswers(ivan), 0);
  });

  it('a token for one request used on another, or a valid token from someone else, never lands', async () => {
    const w = await world();
    const a = await w.open(ivan);
    const b = await w.open(olga, 'client_relations');
    const tokenOfA = addresses.forTicket(a.number, 'customer');
    const forged = tokenOfA.replace(a.number, b.number);
    assert.deepEqual(await w.take(parsed({ from: olga.email, recipients: [forged] })), { outcome: 'held', reason: 'forgedToken' });
    // A tampered reply address spoils the rest: a genuine Message-ID of B's does not carry it in.
    const withThread = parsed({ from: olga.email, recipients: [forged], inReplyTo: [addresses.newMessageId(b.number)] });
    assert.deepEqual(await w.take(withThread), { outcome: 'held', reason: 'forgedToken' });
    // Olga got hold of Ivan's reply address: she is not Ivan, nor staff of his department.
    assert.deepEqual(await w.take(parsed({ from: olga.email, recipients: [tokenOfA] })), {
      outcome: 'held',
      reason: 'senderNotAllowed',
      ticketNumber: a.number,
    });
    assert.equal((await w.thread(a)).length, 1);
    assert.equal((await w.thread(b)).length, 1);
  });

  it('a forged From with only a subject tag is held unless the receiving server vouched for the sender', async () => {
    const w = await world();
    const ticket = await w.open(ivan);
    const tagged = { from: ivan.email, recipients: ['support@panel.example'], subject: `Re: [#${ticket.number}] Сервер не отвечает` };
    assert.deepEqual(await w.take(parsed(tagged)), { outcome: 'held', reason: 'unverifiedSender', ticketNumber: ticket.number });
    assert.equal((await w.take(parsed({ ...tagged, authVerdict: 'pass' }))).outcome, 'stored');
  });

  it("In-Reply-To naming one of the plugin's signed Message-IDs finds the request; an unsigned look-alike does not", async () => {
    const w = await world();
    const ticket = await w.open(ivan);
    const ours = addresses.newMessageId(ticket.number);
    assert.equal((await w.take(parsed({ from: ivan.email, inReplyTo: [ours] }))).outcome, 'stored');
    const lookalike = ours.replace(/\.[a-f0-9]{16}@/, '.0000000000000000@');
    assert.deepEqual(await w.take(parsed({ from: ivan.email, inReplyTo: [lookalike] })), { outcome: 'held', reason: 'noMatch' });
  });

  it('auto-replies, mailer daemons and our own mail coming back are dropped, not stored', async () => {
    const w = await world();
    const ticket = await w.open(ivan);
    const to = [addresses.forTicket(ticket.number, 'customer')];
    assert.deepEqual(await w.take(parsed({ from: ivan.email, recipients: to, automatic: 'Auto-Submitted: auto-replied' })), {
      outcome: 'ignored',
      reason: 'automatic',
    });
    assert.equal((await w.take(parsed({ from: 'mailer-daemon@mx.example.ru', recipients: to }))).reason, 'mailerDaemon');
    assert.equal((await w.take(parsed({ from: 'support@panel.example', recipients: to }))).reason, 'ownMail');
    assert.equal(
      (await w.take(parsed({ from: ivan.email, recipients: to, messageId: addresses.newMessageId(ticket.number) }))).reason,
      'ownMail',
    );
    assert.equal((await w.thread(ticket)).length, 1);
    assert.equal(w.inbound.rows.length, 0);
  });

  it('a sender beyond the hourly limit is held, and beyond twice the limit dropped', async () => {
    const w = await world({ perSenderPerHour: 2 });
    const ticket = await w.open(ivan);
    const to = [addresses.forTicket(ticket.number, 'customer')];
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push((await w.take(parsed({ from: ivan.email, recipients: to }))).outcome);
    assert.deepEqual(outcomes, ['stored', 'stored', 'held', 'held', 'ignored']);
    w.clock.advance(3_600_001);
    assert.equal((await w.take(parsed({ from: ivan.email, recipients: to }))).outcome, 'stored');
  });

  it("a known customer's mail to a support address opens a request in its department", async () => {
    const w = await world();
    const result = await w.take(
      parsed({ from: ivan.email, recipients: ['support+technical@panel.example'], subject: 'Не работает почта' }),
    );
    assert.equal(result.outcome, 'opened');
    const ticket = (await w.store.tickets.findByNumber(result.ticketNumber!))!;
    assert.equal(ticket.departmentId, w.departments.technical!.id);
    assert.equal(ticket.subject, 'Не работает почта');
    assert.equal(ticket.serviceId, null);
    assert.ok(w.mail.calls.includes(`department-new #${ticket.number}`));
    // The plain address goes to the default department; a department's own mailbox to that department.
    const plain = await w.take(parsed({ from: olga.email, recipients: ['support@panel.example'], subject: '' }));
    const second = (await w.store.tickets.findByNumber(plain.ticketNumber!))!;
    assert.equal(second.departmentId, w.departments.client_relations!.id);
    assert.equal(second.subject, '(no subject)');
    const boxed = await w.take(parsed({ from: olga.email, recipients: ['noc@panel.example'] }), { mailbox: 'emergency-box' });
    assert.equal((await w.store.tickets.findByNumber(boxed.ticketNumber!))!.departmentId, w.departments.emergency!.id);
  });

  it('opening by e-mail: unknown senders, hosts without a lookup, and the hourly limit are held', async () => {
    const w = await world();
    const to = ['support+technical@panel.example'];
    assert.deepEqual(await w.take(parsed({ from: 'stranger@example.com', recipients: to })), { outcome: 'held', reason: 'unknownSender' });
    assert.deepEqual(await w.take(parsed({ from: petr.email, recipients: to })), { outcome: 'held', reason: 'unknownSender' });
    await w.take(parsed({ from: ivan.email, recipients: to }));
    await w.take(parsed({ from: ivan.email, recipients: to }));
    assert.deepEqual(await w.take(parsed({ from: ivan.email, recipients: to })), { outcome: 'held', reason: 'hourlyLimit' });
    const without = await world({ lookup: false });
    assert.deepEqual(await without.take(parsed({ from: ivan.email, recipients: to })), { outcome: 'held', reason: 'repliesOnly' });
    assert.deepEqual(await w.take(parsed({ from: ivan.email, recipients: ['support+archive@panel.example'] })), {
      outcome: 'held',
      reason: 'noDepartment',
    });
  });

  it('files go through the upload rules; what is refused is named in the message', async () => {
    const w = await world();
    const ticket = await w.open(ivan);
    const files = [file('screen.png', 'image/png'), file('setup.exe', 'application/x-msdownload'), file('huge.png', 'image/png', 5000)];
    await w.take(parsed({ from: ivan.email, recipients: [addresses.forTicket(ticket.number, 'customer')], files }));
    const last = (await w.thread(ticket)).at(-1)!;
    assert.deepEqual(
      last.attachments.map((a) => a.originalName),
      ['screen.png'],
    );
    assert.equal(last.body, 'Спасибо, помогло.\n\nNot taken: setup.exe (type), huge.png (size)');
    assert.ok(w.discarded.includes('mail-file-2'), 'the refused file is removed from storage');
  });

  it('a message whose quote cut left nothing keeps its whole text; one with nothing at all is held', async () => {
    const w = await world();
    const ticket = await w.open(ivan);
    const to = [addresses.forTicket(ticket.number, 'customer')];
    await w.take(parsed({ from: ivan.email, recipients: to, text: '', fullText: '> только цитата' }));
    assert.equal((await w.thread(ticket)).at(-1)!.body, '> только цитата');
    assert.deepEqual(await w.take(parsed({ from: ivan.email, recipients: to, text: '', fullText: '' })), {
      outcome: 'held',
      reason: 'empty',
      ticketNumber: ticket.number,
    });
  });

  it('a staff answer needs a passing Authentication-Results when the settings say so', async () => {
    const w = await world({ requireAuthPassForStaff: true });
    const ticket = await w.open(ivan);
    const to = [addresses.forTicket(ticket.number, 'department')];
    assert.equal((await w.take(parsed({ from: petr.email, recipients: to }))).reason, 'staffNotAuthenticated');
    assert.equal((await w.take(parsed({ from: petr.email, recipients: to, authVerdict: 'pass' }))).outcome, 'stored');
    // Customers are not asked for it.
    assert.equal((await w.take(parsed({ from: ivan.email, recipients: to }))).outcome, 'stored');
  });

  it("a staff From on the customer's reply address is not taken on its word: the customer could have written it", async () => {
    const w = await world();
    const ticket = await w.open(ivan);
    const customers = [addresses.forTicket(ticket.number, 'customer')];
    const forged = parsed({ from: 'technical@panel.example', recipients: customers, text: 'Всё исправлено, закрываем.' });
    assert.deepEqual(await w.take(forged), { outcome: 'held', reason: 'unverifiedSender', ticketNumber: ticket.number });
    // The same through the thread's Message-ID alone: no reply address of a department's.
    const threaded = parsed({ from: petr.email, inReplyTo: [addresses.newMessageId(ticket.number)] });
    assert.equal((await w.take(threaded)).reason, 'unverifiedSender');
    assert.equal((await w.thread(ticket)).length, 1);
    // Vouched for by the receiving server, it is staff's.
    assert.equal((await w.take(parsed({ from: petr.email, recipients: customers, authVerdict: 'pass' }))).outcome, 'stored');
  });

  it('a delivery report marks the e-mail it is about', async () => {
    const w = await world();
    await w.open(ivan);
    const sent = (await w.store.outbox.claim(w.clock.now(), 60_000, 10))[0]!;
    const report = {
      originalMessageId: sent.mailMessageId,
      recipients: [{ address: 'gone@example.ru', action: 'failed', status: '5.1.1', diagnostic: 'no such user' }],
    };
    assert.deepEqual(await w.take(parsed({ from: 'mailer-daemon@mx.example.ru', report })), { outcome: 'bounce' });
    assert.deepEqual(
      (await w.store.outbox.bounced(10)).map((i) => i.bounce?.recipients[0]?.status),
      ['5.1.1'],
    );
    assert.equal(
      (await w.take(parsed({ from: 'mailer-daemon@mx.example.ru', report: { ...report, originalMessageId: '<x@y>' } }))).reason,
      'unknownBounce',
    );
  });
});
