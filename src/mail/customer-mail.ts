// The e-mails a customer gets about their request: the confirmation of a new one, a staff answer,
// and the notices that it was closed, by staff or after days of silence. They are one envelope, in the
// customer's language and the ticket's thread; only the template, the subject and what the
// template shows differ.
import { firstResponsePromise } from '../model/regulation';
import type { Department, Message, Ticket } from '../model/types';
import type { NewOutboxItem } from '../model/mail';
import { messageFacts, oneLine, ticketFacts, type Envelopes } from './envelope';
import { usualResponse } from '../i18n/format';

interface CustomerNotice {
  /** The outbox kind, which is also the template's name under views/mail. */
  kind: 'customer-confirmation' | 'customer-reply' | 'customer-closed' | 'customer-closed-by-staff' | 'customer-merged';
  subjectKey: string;
  /** The Message-ID the e-mail answers; none for a ticket older than threading. */
  thread: string | null;
  urgent: boolean;
  department?: Department;
  /** A message to quote, with its files. */
  message?: Message;
  days?: number;
  /** A request opened by e-mail: the confirmation says so. */
  openedByMail?: boolean;
  /** Staff have answered: the e-mail carries the links that rate the request. */
  rateable?: boolean;
  /** The request merged into (or closed as a duplicate of) the e-mail's ticket. */
  merged?: { number: string; subject: string; duplicate: boolean };
}

export function customerMail(kit: Envelopes) {
  function item(ticket: Ticket, notice: CustomerNotice): NewOutboxItem[] {
    const locale = ticket.customerLocale ?? kit.defaultLocale;
    const t = kit.translator(locale);
    const files = kit.filesFor(ticket, notice.message?.attachments ?? []);
    const subject = t(notice.subjectKey, { number: ticket.number, subject: oneLine(ticket.subject) });
    // The confirmation of a new request says what happens next (see web/customer-routes.ts, createdNotice).
    const confirming = notice.kind === 'customer-confirmation' ? notice.department : undefined;
    const envelope = kit.envelope(
      notice.kind,
      locale,
      [ticket.customerEmail],
      subject,
      {
        ticket: ticketFacts(ticket),
        message: notice.message ? messageFacts(notice.message) : null,
        days: notice.days ?? null,
        openedByMail: notice.openedByMail === true,
        // With mail in set up, a reply to this e-mail lands in the request.
        answerByMail: kit.replyTo(ticket, 'customer').replyTo !== undefined,
        link: kit.linkOf(ticket),
        rate: notice.rateable ? kit.rateLinks(ticket) : null,
        listed: files.listed,
        departmentName: notice.department?.name[locale] ?? null,
        onCallAlerted: Boolean(confirming?.urgent && confirming.emails.length + confirming.onCall.length > 0),
        usualResponse: usualResponse(confirming ? firstResponsePromise(confirming) : null, t, locale),
        customer: { name: oneLine(ticket.customerName) },
        merged: notice.merged ?? null,
      },
      {
        ...kit.replyTo(ticket, 'customer'),
        timeZone: ticket.customerTimeZone ?? kit.defaultTimeZone,
        attachments: files.attached,
        ...(notice.thread ? { inReplyTo: notice.thread, references: [notice.thread] } : {}),
      },
    );
    return kit.outboxItem(ticket, notice.kind, notice.urgent, envelope);
  }

  return {
    /** "We received your request", answering the department's notice that started the thread. */
    forNewTicket(ticket: Ticket, department: Department, threadMessageId: string, openedByMail = false): NewOutboxItem[] {
      return item(ticket, {
        openedByMail,
        kind: 'customer-confirmation',
        subjectKey: 'mail.confirmationSubject',
        thread: threadMessageId,
        urgent: department.urgent,
        department,
      });
    },

    /** A staff answer, with its files. */
    forStaffReply(ticket: Ticket, department: Department, message: Message): NewOutboxItem[] {
      return item(ticket, {
        kind: 'customer-reply',
        subjectKey: 'mail.replySubject',
        thread: ticket.threadMessageId,
        urgent: false,
        department,
        message,
        rateable: true,
      });
    },

    /** Tells the customer their answered request was closed after days of silence. */
    forAutoClose(ticket: Ticket, days: number): NewOutboxItem[] {
      return item(ticket, {
        kind: 'customer-closed',
        subjectKey: 'mail.closedSubject',
        thread: ticket.threadMessageId,
        urgent: false,
        days: Math.round(days * 10) / 10,
        rateable: true,
      });
    },

    /** Tells the customer that staff closed their request, and that a reply opens it again. */
    forStaffClose(ticket: Ticket): NewOutboxItem[] {
      return item(ticket, {
        kind: 'customer-closed-by-staff',
        subjectKey: 'mail.closedSubject',
        thread: ticket.threadMessageId,
        urgent: false,
        // Rated only once staff have answered it.
        rateable: ticket.lastReplyAt !== null,
      });
    },

    /**
     * Tells the customer that request `from` was merged into `into` (or closed as its duplicate),
     * where the conversation goes on: the e-mail is about `into` (its link and reply address), in
     * the thread of `from`, the one the customer knows.
     */
    forMerge(from: Ticket, into: Ticket, duplicate: boolean): NewOutboxItem[] {
      return item(into, {
        kind: 'customer-merged',
        subjectKey: duplicate ? 'mail.duplicateSubject' : 'mail.mergedSubject',
        thread: from.threadMessageId,
        urgent: false,
        merged: { number: from.number, subject: oneLine(from.subject), duplicate },
      });
    },
  };
}
