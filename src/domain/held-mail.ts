// What an admin does with held mail (model/inbound.ts): reads why each message was held, and
// attaches it to a request, opens a request for a customer from it, or discards it. Nothing the
// intake held is lost silently: it waits here until an admin decides or its days run out.
import type { HostUser } from '../host';
import type { InboundMail, InboundMailStore, MailFile, ParsedMail } from '../model/inbound';
import type { Store } from '../model/store';
import type { Clock, Department } from '../model/types';
import { NotFoundError, ValidationError, type Problem } from '../model/errors';
import type { mailIntake } from './mail-intake';
import { isTicketNumber, typedNumber } from './ticket-number';
import { currentTicket } from './merged-tickets';

const SHOWN = 200;

export interface HeldMailDeps {
  store: Store;
  inbound: InboundMailStore;
  intake: ReturnType<typeof mailIntake>;
  /** The held message read again from its original; null when the original is gone. */
  reread(mail: InboundMail): Promise<ParsedMail | null>;
  /** The original's bytes; null when its file is gone. */
  readOriginal(mail: InboundMail): Promise<Buffer | null>;
  discardFiles(keys: string[]): Promise<void>;
  findUserByEmail?: (email: string) => Promise<HostUser | null>;
  now?: Clock;
}

/** Names a held e-mail's file for good: its original's storage key (never reused) and the file's place in it. */
export function heldFileKey(held: InboundMail, index: number): string {
  return `${held.rawKey}#${index}`;
}

export function heldMail(deps: HeldMailDeps) {
  const { store, inbound } = deps;
  const now = deps.now ?? Date.now;

  async function stillHeld(id: number): Promise<InboundMail> {
    const held = await inbound.find(id);
    if (!held || held.status !== 'held') throw new NotFoundError('held mail');
    return held;
  }

  async function heldOne(id: number): Promise<{ held: InboundMail; mail: ParsedMail }> {
    const held = await stillHeld(id);
    const mail = await deps.reread(held);
    if (!mail) throw new NotFoundError('held mail original');
    return { held, mail };
  }

  /** Marks it handled; false when another admin settled it meanwhile. */
  async function settle(
    held: InboundMail,
    admin: HostUser,
    status: 'stored' | 'opened' | 'discarded',
    ticketId: number | null,
    messageId: number | null,
  ): Promise<boolean> {
    return inbound.settle(held.id, { status, ticketId, messageId, handledBy: admin.name, handledAt: now() });
  }

  return {
    /** Whether an admin can open requests from held mail: only with the host's lookup of users by address. */
    canOpen: deps.findUserByEmail !== undefined,

    async list(): Promise<{ items: InboundMail[]; total: number }> {
      const [items, total] = await Promise.all([inbound.held(SHOWN), inbound.countHeld()]);
      return { items, total };
    },

    /** How many wait for an admin. */
    count: (): Promise<number> => inbound.countHeld(),

    /**
     * One held message, with what it says; `mail` is null when its original is gone from storage,
     * so the admin still sees what it was and can discard it.
     */
    async view(id: number): Promise<{ held: InboundMail; mail: ParsedMail | null; namedRequest: string | null }> {
      const held = await stillHeld(id);
      // The request it named (held for its sender or a check), to offer in the attach form.
      const named = held.ticketId === null ? null : await store.tickets.findById(held.ticketId);
      return { held, mail: await deps.reread(held), namedRequest: named?.number ?? null };
    },

    /** The held message's original, byte for byte. */
    async original(id: number): Promise<Buffer> {
      const raw = await deps.readOriginal(await stillHeld(id));
      if (!raw) throw new NotFoundError('held mail original');
      return raw;
    },

    /**
     * One of its files (by its place in the message), for the admin's look at a picture: a key
     * that names its bytes for good, and the file read from the original only when asked.
     */
    async file(id: number, index: number): Promise<{ key: string; read: () => Promise<MailFile> }> {
      const held = await stillHeld(id);
      return {
        key: heldFileKey(held, index),
        async read() {
          const file = (await deps.reread(held))?.files[index];
          if (!file) throw new NotFoundError('held mail file');
          return file;
        },
      };
    },

    /** The departments a request can be opened in. */
    departments: (): Promise<Department[]> => store.departments.list({ activeOnly: true }),

    /** Adds it to the request with this number (as people write it: "12345678", "#12345678"); returns the number. */
    async attach(admin: HostUser, id: number, typed: string): Promise<string> {
      const { held, mail } = await heldOne(id);
      const number = typedNumber(typed);
      // A merged request's number attaches to the request it went into.
      const ticket = await currentTicket(store, isTicketNumber(number) ? await store.tickets.findByNumber(number) : null);
      if (!ticket) throw new ValidationError({ number: { key: 'errors.held.noTicket' } });
      const messageId = await deps.intake.attachHeld(held, mail, ticket, admin);
      await settle(held, admin, 'stored', ticket.id, messageId);
      return ticket.number;
    },

    /** Opens a request from it for the customer with this address (the sender's by default); returns its number. */
    async open(admin: HostUser, id: number, input: { email: string; departmentId: number | null }): Promise<string> {
      // Without the host's lookup there is no form for it: an action that is not there.
      if (!deps.findUserByEmail) throw new NotFoundError('opening requests from held mail');
      const { held, mail } = await heldOne(id);
      const email = (input.email.trim() || held.fromAddress).toLowerCase();
      const customer = await deps.findUserByEmail(email);
      const department = (await store.departments.list({ activeOnly: true })).find((d) => d.id === input.departmentId);
      // Both problems at once, so the admin corrects the form once.
      const problems: Record<string, Problem> = {};
      if (!customer || customer.role !== 'client') problems.email = { key: 'errors.held.noCustomer' };
      if (!department) problems.departmentId = { key: 'errors.department.required' };
      if (!customer || !department || Object.keys(problems).length > 0) throw new ValidationError(problems);
      const opened = await deps.intake.openHeld(held, mail, customer, department);
      if (opened === 'empty') throw new ValidationError({ form: { key: 'errors.held.empty' } });
      if ('refused' in opened) throw new ValidationError({ form: { key: `errors.held.${opened.reason}` } });
      const first = (await store.messages.thread(opened.id, 'staff'))[0];
      await settle(held, admin, 'opened', opened.id, first?.id ?? null);
      return opened.number;
    },

    /** Drops it, and its original with it. */
    async discard(admin: HostUser, id: number): Promise<void> {
      const held = await stillHeld(id);
      // Attached by another admin meanwhile: its original now belongs to a thread and stays.
      if (!(await settle(held, admin, 'discarded', null, null))) throw new NotFoundError('held mail');
      await deps.discardFiles([held.rawKey]);
    },
  };
}

export type HeldMail = ReturnType<typeof heldMail>;
