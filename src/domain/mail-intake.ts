// What the intake does with one message it has read (model/inbound.ts ParsedMail): find the
// request it answers, check that its sender may write there, and add it as the panel would (a
// customer's reply, a staff answer, an internal note), or open a request from it, or hold it
// for an admin, or drop it as noise. It never trusts what a sender can forge:
// - a request is named by the signed reply address, or by a signed Message-ID in In-Reply-To /
//   References; a bare "[#N]" in the subject counts only with a passing Authentication-Results;
// - the sender must be the request's customer or staff of its department, whatever named it.
import crypto from 'node:crypto';
import type { HostUser } from '../host';
import type {
  HeldReason,
  IgnoredReason,
  InboundMail,
  InboundMailStore,
  IntakeOptions,
  IntakeResult,
  IntakePhrases,
  MailFile,
  ParsedMail,
  RefusedFileReason,
} from '../model/inbound';
import type { Clock, Department, StoredFile, Ticket } from '../model/types';
import { NotFoundError, ValidationError } from '../model/errors';
import type { CustomerTickets } from './customer-tickets';
import type { StaffTickets } from './staff-tickets';
import { mailMatch, type Author, type Match, type MailMatchDeps } from './mail-match';
import { LIMITS } from './field-rules';

const HOUR = 3_600_000;
/** Beyond this many times the hourly limit a sender's mail is dropped, not held: a flood must not fill the disk. */
const FLOOD_FACTOR = 2;
/** The first line of a staff e-mail that makes it an internal note. */
const NOTE_MARK = /^#note[ \t]*(\r?\n|$)/i;

export interface MailIntakeDeps extends MailMatchDeps {
  inbound: InboundMailStore;
  customers: CustomerTickets;
  staff: StaffTickets;
  /** Writes a file the message carries to storage, with its type detected from its content. */
  keepFile(file: MailFile): Promise<StoredFile>;
  discardFiles(keys: string[]): Promise<void>;
  uploads: { maxFiles: number; maxFileBytes: number; allowedTypes: string[] };
  phrases: IntakePhrases;
  perSenderPerHour: number;
  requireAuthPassForStaff: boolean;
  log(message: string): void;
  now?: Clock;
}

/** The original message in file storage: written only when a row will point to it. */
export interface Original {
  keep(): Promise<{ key: string; size: number }>;
}

export function mailIntake(deps: MailIntakeDeps) {
  const { store, inbound, addresses } = deps;
  const now = deps.now ?? Date.now;
  const { findRequest, authorOf, intakeDepartment } = mailMatch(deps);

  /** The same message for the same request (or held, or opening one) is one row, and one thread message. */
  function dedupeKey(identity: string, target: string): string {
    return crypto.createHash('sha256').update(`${identity}\n${target}`).digest('hex');
  }

  /** The text and the files that land in the thread; refused files are named in the text. */
  async function contentOf(mail: ParsedMail): Promise<{ body: string; files: StoredFile[] }> {
    const { uploads, phrases } = deps;
    const refused: Array<{ name: string; why: RefusedFileReason }> = [];
    const files: StoredFile[] = [];
    for (const file of mail.files) {
      const name = file.filename || 'file';
      if (file.content.length === 0) refused.push({ name, why: 'empty' });
      else if (file.content.length > uploads.maxFileBytes) refused.push({ name, why: 'size' });
      else if (files.length >= uploads.maxFiles) refused.push({ name, why: 'count' });
      else {
        const stored = await deps.keepFile(file);
        if (uploads.allowedTypes.includes(stored.contentType)) files.push(stored);
        else {
          refused.push({ name: stored.originalName, why: 'type' });
          await deps.discardFiles([stored.storageKey]);
        }
      }
    }
    let text = (mail.text || mail.fullText).trim();
    if (!text && files.length > 0) text = phrases.filesOnly;
    const note = refused.length > 0 ? `\n\n${phrases.refusedFiles(refused)}` : '';
    // The original is kept whole for staff; the thread gets what fits.
    const room = LIMITS.message - note.length;
    if (text.length > room) text = `${text.slice(0, room - 1)}…`;
    return { body: text ? text + note : '', files };
  }

  async function addToThread(ticket: Ticket, author: Author, body: string, files: StoredFile[], key: string): Promise<number | null> {
    if (author.kind === 'customer') return deps.customers.reply(author.user, ticket.number, body, files, key);
    const note = NOTE_MARK.exec(body);
    if (note) {
      await deps.staff.note(author.user, ticket.number, body.slice(note[0].length).trim() || deps.phrases.filesOnly, files, key);
    } else {
      await deps.staff.reply(author.user, ticket.number, {
        body,
        files,
        lastSeenId: Number.MAX_SAFE_INTEGER,
        confirmed: true,
        submissionKey: key,
      });
    }
    return store.messages.findBySubmission(ticket.id, key);
  }

  /** Opens a request for the customer from the message: its text and files, its subject (or a placeholder), no service. */
  async function openFor(
    customer: HostUser,
    department: Department,
    mail: ParsedMail,
    key: string,
  ): Promise<Ticket | 'empty' | { reason: 'hourlyLimit' | 'refused'; refused: string }> {
    const { body, files } = await contentOf(mail);
    if (!body) return 'empty';
    const subject = subjectWithin(mail.subject) || deps.phrases.noSubject;
    try {
      return await deps.customers.create(
        customer,
        { subject, serviceId: '', departmentId: String(department.id), message: body, subjectConfirmed: true, openedByMail: true },
        files,
        customer.locale === 'en' || customer.locale === 'ru' ? customer.locale : 'ru',
        key,
      );
    } catch (err) {
      if (err instanceof ValidationError) return { reason: err.fields.form ? 'hourlyLimit' : 'refused', refused: problemsOf(err) };
      throw err;
    }
  }

  return {
    async take(mail: ParsedMail, raw: Buffer, original: Original, options: IntakeOptions = {}): Promise<IntakeResult> {
      const at = now();
      // What makes two deliveries the same message: its Message-ID, or all of it without one.
      const identity = mail.messageId ?? `sha256:${crypto.createHash('sha256').update(raw).digest('hex')}`;
      const ignored = (reason: IgnoredReason): IntakeResult => {
        deps.log(`ignored a message from ${mail.from?.address ?? 'nobody'} (${mail.messageId ?? 'no Message-ID'}): ${reason}`);
        return { outcome: 'ignored', reason };
      };

      /** Keeps the message for an admin; one row per message, however often it comes. */
      const hold = async (reason: HeldReason, ticket: Ticket | null = null, detail: string | null = null): Promise<IntakeResult> => {
        const key = dedupeKey(identity, 'held');
        if (await inbound.seen(key)) return { outcome: 'duplicate' };
        const kept = await original.keep();
        const id = await inbound.record({
          ...rowOf(mail, options, kept, at),
          dedupeKey: key,
          status: 'held',
          reason,
          detail,
          ticketId: ticket?.id ?? null,
          messageId: null,
        });
        if (id === null) {
          await deps.discardFiles([kept.key]);
          return { outcome: 'duplicate' };
        }
        return { outcome: 'held', reason, ...(ticket ? { ticketNumber: ticket.number } : {}) };
      };

      if (mail.report) {
        // A delay is not a bounce: the server is still trying. Only recipients it gave up on count.
        const failed = mail.report.recipients.filter((r) => r.action.toLowerCase() === 'failed');
        if (failed.length === 0) return ignored('deliveryDelayed');
        const about = mail.report.originalMessageId;
        const recorded = about ? await store.outbox.recordBounce(about, { at, recipients: failed }) : false;
        return recorded ? { outcome: 'bounce' } : ignored('unknownBounce');
      }
      const from = mail.from;
      if (!from) return hold('unknownSender');
      if (/^(mailer-daemon|postmaster)@/i.test(from.address)) return ignored('mailerDaemon');
      if (mail.automatic) return ignored('automatic');
      if ((mail.messageId && addresses.ticketOfMessageId(mail.messageId)) || addresses.read(from.address).kind !== 'other') {
        return ignored('ownMail');
      }
      if (deps.perSenderPerHour > 0) {
        const recent = await inbound.countFrom(from.address, at - HOUR);
        if (recent >= deps.perSenderPerHour * FLOOD_FACTOR) return ignored('senderFlood');
        if (recent >= deps.perSenderPerHour) return hold('senderRate');
      }

      const match = await findRequest(mail);
      if (match.ticket) return answer(match.ticket, match.by, match.audience);
      const code = intakeDepartment(mail, options);
      if (code === undefined) return hold(match.forged ? 'forgedToken' : 'noMatch');
      return open(code);

      async function answer(ticket: Ticket, by: Match['by'], audience: Match['audience']): Promise<IntakeResult> {
        const author = await authorOf(ticket, from!);
        if (!author) return hold('senderNotAllowed', ticket);
        const vouched = mail.authVerdict === 'pass';
        // A subject tag is all anyone needs to type: only a sender the receiving server vouched for may use it.
        if (by === 'subject' && !vouched) return hold('unverifiedSender', ticket);
        // The customer's own e-mails carry a reply address too: a From rewritten to staff's
        // needs the address only department e-mail carries, or the receiving server's word.
        if (author.kind === 'staff' && audience !== 'department' && !vouched) return hold('unverifiedSender', ticket);
        if (author.kind === 'staff' && deps.requireAuthPassForStaff && mail.authVerdict !== 'pass')
          return hold('staffNotAuthenticated', ticket);
        const key = dedupeKey(identity, ticket.number);
        if (await inbound.seen(key)) return { outcome: 'duplicate', ticketNumber: ticket.number };

        const { body, files } = await contentOf(mail);
        if (!body) return hold('empty', ticket);
        let messageId: number | null;
        try {
          messageId = await addToThread(ticket, author, body, files, key);
        } catch (err) {
          if (err instanceof NotFoundError) return hold('senderNotAllowed', ticket);
          if (err instanceof ValidationError) return hold('refused', ticket, problemsOf(err));
          throw err;
        }
        await recordTaken(key, 'stored', ticket, messageId);
        return { outcome: 'stored', ticketNumber: ticket.number };
      }

      async function open(departmentCode: string | null): Promise<IntakeResult> {
        if (!deps.findUserByEmail) return hold('repliesOnly');
        const customer = await deps.findUserByEmail(from!.address);
        if (!customer || customer.role !== 'client') return hold('unknownSender');
        const department: Department | null = departmentCode ? await store.departments.findByCode(departmentCode) : null;
        if (!department || !department.active) return hold('noDepartment');
        const key = dedupeKey(identity, 'open');
        if (await inbound.seen(key)) return { outcome: 'duplicate' };

        const opened = await openFor(customer, department, mail, key);
        if (typeof opened === 'string') return hold(opened, null, null);
        if ('refused' in opened) return hold(opened.reason, null, opened.refused);
        const ticket = opened;
        const first = (await store.messages.thread(ticket.id, 'staff'))[0];
        await recordTaken(key, 'opened', ticket, first?.id ?? null);
        return { outcome: 'opened', ticketNumber: ticket.number };
      }

      async function recordTaken(key: string, status: 'stored' | 'opened', ticket: Ticket, messageId: number | null): Promise<void> {
        const kept = await original.keep();
        const id = await inbound.record({
          ...rowOf(mail, options, kept, at),
          dedupeKey: key,
          status,
          reason: null,
          detail: null,
          ticketId: ticket.id,
          messageId,
        });
        // Recorded by a copy of this message that was taken at the same time: its original is kept.
        if (id === null) await deps.discardFiles([kept.key]);
      }
    },

    /**
     * An admin adds a held message to a request: as the customer's reply or a staff answer when
     * its sender is one of them, otherwise as the admin's internal note that names the sender.
     * Returns the thread message it became.
     */
    async attachHeld(held: InboundMail, mail: ParsedMail, ticket: Ticket, admin: HostUser): Promise<number | null> {
      const key = crypto.createHash('sha256').update(`held:${held.id}:${ticket.number}`).digest('hex');
      const from = mail.from ?? { address: held.fromAddress, name: held.fromName };
      const author = await authorOf(ticket, from);
      const { body, files } = await contentOf(mail);
      if (author) return addToThread(ticket, author, body || deps.phrases.filesOnly, files, key);
      const text = [deps.phrases.sentBy(from.name, from.address), body].filter(Boolean).join('\n\n');
      await deps.staff.note(
        admin,
        ticket.number,
        text.length > LIMITS.message ? `${text.slice(0, LIMITS.message - 1)}…` : text,
        files,
        key,
      );
      return store.messages.findBySubmission(ticket.id, key);
    },

    /** An admin opens a request for a customer from a held message; a string says why it could not be. */
    async openHeld(held: InboundMail, mail: ParsedMail, customer: HostUser, department: Department) {
      return openFor(customer, department, mail, crypto.createHash('sha256').update(`held-open:${held.id}`).digest('hex'));
    },
  };
}

function rowOf(mail: ParsedMail, options: IntakeOptions, kept: { key: string; size: number }, at: number) {
  return {
    receivedAt: at,
    source: options.source ?? 'api',
    mailbox: options.mailbox ?? null,
    mailMessageId: mail.messageId,
    fromAddress: mail.from?.address ?? '',
    fromName: mail.from?.name ?? '',
    subject: mail.subject,
    rawKey: kept.key,
    rawSize: kept.size,
    authVerdict: mail.authVerdict,
  } satisfies Partial<InboundMail>;
}

/** A request's subject from a message's: ParsedMail's is one line already, so only the limit is left to keep. */
function subjectWithin(subject: string): string {
  const line = subject.trim();
  return line.length > LIMITS.subject ? `${line.slice(0, LIMITS.subject - 1)}…` : line;
}

/** The refusal's message keys, for the admin page. */
function problemsOf(err: ValidationError): string {
  return Object.values(err.fields)
    .map((p) => p.key)
    .join(', ');
}
