// A staff answer on a request, however it is written: from the request's page, by e-mail, or as an
// incident's update. The message, its files, the status, the due time, the audit entries, the
// customer's e-mail and, for the first answer, the reports' fact go in the caller's transaction,
// with the request locked.
import type { TicketMail } from '../model/mail';
import type { Store } from '../model/store';
import type { StoredFile, Ticket, TicketStatus } from '../model/types';
import { changeTicket } from './due';
import { firstResponseFact } from './report-facts';
import { auditEntry } from './staff-actions';

export interface StaffAnswer {
  author: { id: string; name: string };
  body: string;
  files?: StoredFile[];
  /** The form submission that made it: the same submission twice is one message. */
  submissionKey?: string;
  /** 'closed' when the answer closes the request too (an incident's final update). */
  status?: Extract<TicketStatus, 'answered' | 'closed'>;
  /** What the audit entry of the reply names besides the message (an incident update: its incident). */
  detail?: Record<string, string>;
}

/** Records the answer on the locked `ticket` at `at`; returns the message's id. */
export async function answerCustomer(tx: Store, mail: TicketMail, ticket: Ticket, answer: StaffAnswer, at: number): Promise<number> {
  const fields = {
    ticketId: ticket.id,
    authorKind: 'staff' as const,
    authorId: answer.author.id,
    authorName: answer.author.name,
    body: answer.body,
    createdAt: at,
  };
  const id = await tx.messages.insert({ ...fields, submissionKey: answer.submissionKey ?? null });
  const attachments = answer.files?.length ? await tx.messages.attach(ticket.id, id, answer.files, at) : [];
  const status = answer.status ?? 'answered';
  const department = await tx.departments.find(ticket.departmentId);
  // As any staff answer: the regulation's clock stops, and the customer has an answer to see (customerSeenAt null).
  await changeTicket(
    tx,
    ticket,
    { status, updatedAt: at, lastReplyAt: at, closedAt: status === 'closed' ? at : null, customerSeenAt: null },
    at,
    department,
  );
  const events = [auditEntry(answer.author, ticket, 'reply', { message: String(id), ...answer.detail }, at)];
  if (ticket.status !== status) events.push(auditEntry(answer.author, ticket, 'status', { from: ticket.status, to: status }, at));
  await tx.events.record(events);
  if (department) {
    // The first answer is what the reports time (the store keeps only the first of each request).
    if (ticket.lastReplyAt === null) await tx.reports.recordFact(firstResponseFact(ticket, department, answer.author, at));
    // A closing answer is itself the customer's notice: one e-mail, never a second "closed" one.
    await tx.outbox.enqueue(mail.forStaffReply(ticket, department, { id, ...fields, internal: false, attachments }), at);
  }
  return id;
}
