// What staff write on a ticket in their reach: a reply to the customer and an internal note, each
// with files. A submission key makes a double click one message; the reply, its status change,
// audit entries and the customer's e-mail commit together.
import type { HostUser } from '../host';
import type { Message, StoredFile, Ticket } from '../model/types';
import { ValidationError, type Problem } from '../model/errors';
import { checkFiles, checkMessage, type UploadRules } from './ticket-rules';
import { DuplicateSubmission, keepingFilesOnlyOnSuccess, oncePerSubmission, underTicketLock } from './submissions';
import type { StaffAccess } from './staff-access';
import { auditEntry, type StaffActionDeps } from './staff-actions';
import { answerCustomer } from './staff-answer';

export interface StaffMessageDeps extends StaffActionDeps {
  uploads: UploadRules;
}

export interface StaffReply {
  body: string;
  files: StoredFile[];
  /** The newest message the author had seen when writing. */
  lastSeenId: number;
  /** Send even though others wrote since lastSeenId (the author has read them). */
  confirmed: boolean;
  /** Unique per rendered form: the same submission twice makes one reply. */
  submissionKey: string;
}

export type ReplyOutcome = { sent: true } | { sent: false; newer: Message[] };

export function staffMessages(deps: StaffMessageDeps, access: StaffAccess) {
  const { store } = deps;
  const { reachable } = access;
  const now = deps.now ?? Date.now;

  /**
   * A ticket in reach for a message with files (a reply, a note), checked before anything is
   * written; the request's files are removed when it is not in reach or the message is refused.
   */
  function inReachForMessage(user: HostUser, number: string, body: string, files: StoredFile[], field = 'message'): Promise<Ticket> {
    return keepingFilesOnlyOnSuccess(deps.discardFiles, files, async () => {
      const problems: Record<string, Problem> = {};
      checkMessage(body, problems, field);
      checkFiles(files, deps.uploads, problems);
      const found = await reachable(user, number);
      if (Object.keys(problems).length > 0) throw new ValidationError(problems);
      return found;
    });
  }

  return {
    /**
     * Answers the customer: the message, its files, the status, the audit entry and the e-mail to
     * the customer commit together. If others wrote since the author last looked, nothing is sent
     * and the newer messages come back, so the author can read them and confirm.
     */
    async reply(user: HostUser, number: string, reply: StaffReply): Promise<ReplyOutcome> {
      const found = await inReachForMessage(user, number, reply.body, reply.files);
      const outcome = await oncePerSubmission<ReplyOutcome>(store, {
        files: reply.files,
        discard: deps.discardFiles,
        made: () =>
          underTicketLock(store, found.id, (tx) => tx.messages.findBySubmission(found.id, reply.submissionKey)).then((id) =>
            id ? { sent: true } : null,
          ),
        change: async () => {
          const result = await store.transaction(async (tx): Promise<ReplyOutcome> => {
            const ticket = await tx.tickets.lock(found.id);
            if (await tx.messages.findBySubmission(ticket.id, reply.submissionKey)) throw new DuplicateSubmission();
            const thread = await tx.messages.thread(ticket.id, 'staff');
            const newer = thread.filter((m) => m.id > reply.lastSeenId && m.authorId !== user.id);
            if (newer.length > 0 && !reply.confirmed) return { sent: false, newer };

            await answerCustomer(
              tx,
              deps.mail,
              ticket,
              { author: user, body: reply.body, files: reply.files, submissionKey: reply.submissionKey },
              now(),
            );
            return { sent: true };
          });
          if (result.sent) deps.mailQueued?.();
          return result;
        },
      });
      // Held for confirmation: the author sends the files again with it.
      if (!outcome.sent) await deps.discardFiles(reply.files.map((f) => f.storageKey));
      return outcome;
    },

    /** An internal note: staff only, never shown or e-mailed to the customer. The submission key makes a double click one note. */
    async note(user: HostUser, number: string, body: string, files: StoredFile[], submissionKey: string): Promise<void> {
      const found = await inReachForMessage(user, number, body, files, 'note');
      await oncePerSubmission(store, {
        files,
        discard: deps.discardFiles,
        made: () =>
          underTicketLock(store, found.id, (tx) => tx.messages.findBySubmission(found.id, submissionKey)).then((id) => (id ? true : null)),
        change: async () => {
          await store.transaction(async (tx) => {
            await tx.tickets.lock(found.id);
            if (await tx.messages.findBySubmission(found.id, submissionKey)) throw new DuplicateSubmission();
            const at = now();
            const id = await tx.messages.insert({
              ticketId: found.id,
              authorKind: 'staff',
              authorId: user.id,
              authorName: user.name,
              body,
              createdAt: at,
              internal: true,
              submissionKey,
            });
            await tx.messages.attach(found.id, id, files, at);
            await tx.events.record([auditEntry(user, found, 'note', { message: String(id) }, at)]);
          });
          return true;
        },
      });
    },
  };
}
