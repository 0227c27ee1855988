// Builds the e-mails a ticket causes, as envelopes for the outbox: the model's TicketMail, made of
// department mail and customer mail; and, at send time, the note about files gone from storage.
import type { MailEnvelope, TicketMail } from '../model/mail';
import { customerMail } from './customer-mail';
import { departmentMail } from './department-mail';
import { envelopes, type EnvelopeOptions } from './envelope';

export interface ComposerOptions extends EnvelopeOptions {
  confirmToCustomer: boolean;
}

export interface Composer extends TicketMail {
  /**
   * The envelope with a note at the top, in its recipient's language, naming files that were
   * gone from storage when it was sent (so they are not attached).
   */
  noteMissingFiles(mail: MailEnvelope, names: string[]): MailEnvelope;
}

export function composer(options: ComposerOptions): Composer {
  const kit = envelopes(options);
  const department = departmentMail(kit);
  const customer = customerMail(kit);

  return {
    noteMissingFiles(mail, names) {
      const locale = mail.locale ?? options.defaultLocale;
      const view = { t: kit.translator(locale), names };
      const html = kit.render('partials/missing-files.html', view, true);
      // After <body>, so mail clients show it first; the html part is ours, with one body tag.
      const bodyTag = /<body[^>]*>/i.exec(mail.html);
      const at = bodyTag ? bodyTag.index + bodyTag[0].length : 0;
      return {
        ...mail,
        text: `${kit.render('partials/missing-files.text', view, false)}\n${mail.text}`,
        html: `${mail.html.slice(0, at)}\n${html}${mail.html.slice(at)}`,
      };
    },

    newThreadMessageId: kit.newMailMessageId,

    /** The department's notice of a new ticket, and the customer's confirmation. The first is the thread's start. */
    forNewTicket(ticket, dept, message) {
      const threadMessageId = ticket.threadMessageId ?? kit.newMailMessageId(ticket.number);
      const items = department.forNewTicket(ticket, dept, message, threadMessageId);
      if (options.confirmToCustomer) items.push(...customer.forNewTicket(ticket, dept, threadMessageId));
      return items;
    },
    forCustomerReply: department.forCustomerReply,
    forTransfer: department.forTransfer,
    forAutoClose: customer.forAutoClose,
    forStaffReply: customer.forStaffReply,
  };
}
