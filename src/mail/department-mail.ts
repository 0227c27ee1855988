// The e-mails a department gets about a ticket: a new one, a customer's reply, one transferred to
// it. One notice in the department's language, with the customer's message and the files; urgent
// departments' mail is flagged, prefixed, copied to their on-call addresses and carries the
// "I'm on it" link.
import type { Department, Message, Ticket } from '../model/types';
import type { MailEnvelope, NewOutboxItem } from '../model/mail';
import { messageFacts, oneLine, ticketFacts, type Envelopes } from './envelope';

type Why = { kind: 'new' } | { kind: 'reply'; reopened: boolean } | { kind: 'transfer'; from: Department; reason: string };

export function departmentMail(kit: Envelopes) {
  function notice(
    why: Why,
    ticket: Ticket,
    department: Department,
    message: Message,
    earlier: Message[],
    threadId: string | null,
  ): MailEnvelope {
    const locale = department.mailLocale ?? kit.defaultLocale;
    const t = kit.translator(locale);
    // A transfer is the new department's first sight of the ticket: every file so far, not only the latest message's.
    const files = kit.filesFor(ticket, why.kind === 'transfer' ? [...earlier, message].flatMap((m) => m.attachments) : message.attachments);
    const prefix = department.urgent ? `${t('mail.emergencyPrefix')} ` : '';
    // What happened comes first, so a department's inbox can be triaged from the subjects alone.
    const what =
      why.kind === 'new'
        ? t('mail.subjectNew', { department: department.name[locale] })
        : why.kind === 'transfer'
          ? t('mail.subjectTransferred')
          : t(why.reopened ? 'mail.subjectReopened' : 'mail.subjectFollowUp');
    const subject = `${prefix}[#${ticket.number}] ${what}: ${oneLine(ticket.subject)}`;
    const to = department.urgent ? [...department.emails, ...department.onCall] : department.emails;
    const headline =
      why.kind === 'new'
        ? t('mail.newTicket', { department: department.name[locale] })
        : why.kind === 'reply'
          ? t(why.reopened ? 'mail.customerReopened' : 'mail.customerReply', { number: ticket.number })
          : t('mail.transferred', { number: ticket.number, from: why.from.name[locale] });
    return kit.envelope(
      'department',
      locale,
      to,
      subject,
      {
        headline,
        reason: why.kind === 'transfer' ? why.reason : '',
        ticket: ticketFacts(ticket),
        message: messageFacts(message),
        earlier: earlier.map(messageFacts),
        link: kit.linkOf(ticket),
        listed: files.listed,
        customer: { name: oneLine(ticket.customerName), email: ticket.customerEmail },
        answerByMail: kit.replyTo(ticket, 'department').replyTo !== undefined,
        // An urgent request's "I'm on it": it stops the escalation chain.
        acknowledgeLink: department.urgent ? kit.acknowledgeLink(ticket) : null,
      },
      {
        ...kit.replyTo(ticket, 'department'),
        timeZone: kit.defaultTimeZone,
        attachments: files.attached,
        headers: department.urgent ? { 'X-Priority': '1 (Highest)', Importance: 'high' } : {},
        ...(threadId ? { inReplyTo: threadId, references: [threadId] } : {}),
      },
    );
  }

  return {
    /** The notice of a new ticket; its Message-ID is the thread's start. */
    forNewTicket(ticket: Ticket, department: Department, message: Message, threadMessageId: string): NewOutboxItem[] {
      const mail = notice({ kind: 'new' }, ticket, department, message, [], null);
      return kit.outboxItem(ticket, 'department-new', department.urgent, mail, threadMessageId);
    },

    /** The notice of a customer's reply, in the ticket's thread, with earlier messages for context. */
    forCustomerReply(ticket: Ticket, department: Department, message: Message, earlier: Message[]): NewOutboxItem[] {
      // The ticket as it was before the reply: a closed one is reopened by it.
      const mail = notice(
        { kind: 'reply', reopened: ticket.status === 'closed' },
        ticket,
        department,
        message,
        earlier,
        ticket.threadMessageId,
      );
      return kit.outboxItem(ticket, 'department-reply', department.urgent, mail);
    },

    /** The new department's notice of a transferred ticket: like an arrival, with the reason and the thread so far. */
    forTransfer(ticket: Ticket, from: Department, to: Department, reason: string, thread: Message[]): NewOutboxItem[] {
      const [latest, ...before] = [...thread].reverse();
      if (!latest) return [];
      const mail = notice({ kind: 'transfer', from, reason }, ticket, to, latest, before, ticket.threadMessageId);
      return kit.outboxItem(ticket, 'department-transfer', to.urgent, mail);
    },
  };
}
