// What staff write on a ticket in their reach: a reply to the customer and an internal note, each
// with files. A submission key makes a double click one message; the reply, its status change,
// audit entries and the customer's e-mail commit together.
import type { HostUser } from '../host';
import type { Message, StoredFile, Ticket } from '../model/types';
import { refuseBadMessage, type UploadRules } from './ticket-rules';
import { DuplicateSubmission, keepingFilesOnlyOnSuccess, oncePerSubmission, underTicketLock } from './submissions';
import type { StaffAccess } from './staff-access';
import { auditEntry, type StaffActionDeps } from './staff-actions';
import { answerCustomer } from './staff-answer';
import { pendingUploads, type PendingChoice } from './pending-uploads';

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
  const pending = pendingUploads(deps);

  /** A ticket in reach for a message with files (a reply, a note); the files go when it is not. */
  const inReach = (user: HostUser, number: string, files: StoredFile[]): Promise<Ticket> =>
    keepingFilesOnlyOnSuccess(deps.discardFiles, files, () => reachable(user, number));

  return {
    /** The files a form of this user kept from its earlier tries, to show with it. */
    pendingFiles: pending.list,

    /**
     * Answers the customer: the message, its files, the status, the audit entry and the e-mail to
     * the customer commit together. If others wrote since the author last looked, nothing is sent
     * and the newer messages come back, so the author can read them and confirm. A form (`kept`
     * given) keeps its files when it is refused or held, for its next submit.
     */
    async reply(user: HostUser, number: string, reply: StaffReply, kept?: PendingChoice): Promise<ReplyOutcome> {
      const found = await inReach(user, number, reply.files);
      const form = await pending.forSubmit(user, reply.submissionKey, reply.files, kept);
      const outcome = await oncePerSubmission<ReplyOutcome>(store, {
        files: reply.files,
        discard: deps.discardFiles,
        ...form.refusal,
        made: () =>
          underTicketLock(store, found.id, (tx) => tx.messages.findBySubmission(found.id, reply.submissionKey)).then((id) =>
            id ? { sent: true } : null,
          ),
        change: async () => {
          refuseBadMessage(reply.body, form.files, deps.uploads);
          const result = await store.transaction(async (tx): Promise<ReplyOutcome> => {
            const ticket = await tx.tickets.lock(found.id);
            if (await tx.messages.findBySubmission(ticket.id, reply.submissionKey)) throw new DuplicateSubmission();
            const thread = await tx.messages.thread(ticket.id, 'staff');
            const newer = thread.filter((m) => m.id > reply.lastSeenId && m.authorId !== user.id);
            if (newer.length > 0 && !reply.confirmed) return { sent: false, newer };
            await form.settle(tx);
            await answerCustomer(
              tx,
              deps.mail,
              ticket,
              { author: user, body: reply.body, files: form.files, submissionKey: reply.submissionKey },
              now(),
            );
            return { sent: true };
          });
          if (result.sent) deps.mailQueued?.();
          return result;
        },
      });
      // Held until the author has read the newer messages: the form keeps its new files for the confirmation.
      if (outcome.sent) await form.finish();
      else await form.keepOrDiscard(reply.files);
      return outcome;
    },

    /**
     * An internal note: staff only, never shown or e-mailed to the customer. The submission key
     * makes a double click one note; a form (`kept` given) keeps its files when it is refused.
     */
    async note(
      user: HostUser,
      number: string,
      body: string,
      files: StoredFile[],
      submissionKey: string,
      kept?: PendingChoice,
    ): Promise<void> {
      const found = await inReach(user, number, files);
      const form = await pending.forSubmit(user, submissionKey, files, kept);
      await oncePerSubmission(store, {
        files,
        discard: deps.discardFiles,
        ...form.refusal,
        made: () =>
          underTicketLock(store, found.id, (tx) => tx.messages.findBySubmission(found.id, submissionKey)).then((id) => (id ? true : null)),
        change: async () => {
          refuseBadMessage(body, form.files, deps.uploads, 'note');
          await store.transaction(async (tx) => {
            await tx.tickets.lock(found.id);
            if (await tx.messages.findBySubmission(found.id, submissionKey)) throw new DuplicateSubmission();
            await form.settle(tx);
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
            await tx.messages.attach(found.id, id, form.files, at);
            await tx.events.record([auditEntry(user, found, 'note', { message: String(id) }, at)]);
          });
          return true;
        },
      });
      await form.finish();
    },
  };
}
