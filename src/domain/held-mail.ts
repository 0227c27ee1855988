// What an admin does with held mail (model/inbound.ts): reads why each message was held, and
// attaches it to a request, opens a request for a customer from it, or discards it. Nothing the
// intake held is lost silently: it waits here until an admin decides or its days run out.
import type { HostUser } from '../host';
import type { InboundMail, InboundMailStore, ParsedMail } from '../model/inbound';
import type { Store } from '../model/store';
import type { Clock } from '../model/types';
import { NotFoundError, ValidationError } from '../model/errors';
import type { mailIntake } from './mail-intake';
import { isTicketNumber } from './ticket-number';

const SHOWN = 200;

export interface HeldMailDeps {
  store: Store;
  inbound: InboundMailStore;
  intake: ReturnType<typeof mailIntake>;
  /** The held message read again from its original; null when the original is gone. */
  reread(mail: InboundMail): Promise<ParsedMail | null>;
  discardFiles(keys: string[]): Promise<void>;
  findUserByEmail?: (email: string) => Promise<HostUser | null>;
  now?: Clock;
}

export function heldMail(deps: HeldMailDeps) {
  const { store, inbound } = deps;
  const now = deps.now ?? Date.now;

  async function heldOne(id: number): Promise<{ held: InboundMail; mail: ParsedMail }> {
    const held = await inbound.find(id);
    if (!held || held.status !== 'held') throw new NotFoundError('held mail');
    const mail = await deps.reread(held);
    if (!mail) throw new NotFoundError('held mail original');
    return { held, mail };
  }

  /** Marks it handled; a second admin who acted on it meanwhile wins nothing twice. */
  async function settle(
    held: InboundMail,
    admin: HostUser,
    status: 'stored' | 'opened' | 'discarded',
    ticketId: number | null,
    messageId: number | null,
  ) {
    await inbound.settle(held.id, { status, ticketId, messageId, handledBy: admin.name, handledAt: now() });
  }

  return {
    /** Whether an admin can open requests from held mail: only with the host's lookup of users by address. */
    canOpen: deps.findUserByEmail !== undefined,

    async list(): Promise<{ items: InboundMail[]; total: number }> {
      const [items, total] = await Promise.all([inbound.held(SHOWN), inbound.countHeld()]);
      return { items, total };
    },

    /** One held message, with what it says. */
    async view(id: number): Promise<{ held: InboundMail; mail: ParsedMail }> {
      return heldOne(id);
    },

    /** Adds it to the request with this number; returns the number. */
    async attach(admin: HostUser, id: number, number: string): Promise<string> {
      const { held, mail } = await heldOne(id);
      const ticket = isTicketNumber(number.trim()) ? await store.tickets.findByNumber(number.trim()) : null;
      if (!ticket) throw new ValidationError({ number: { key: 'errors.held.noTicket' } });
      const messageId = await deps.intake.attachHeld(held, mail, ticket, admin);
      await settle(held, admin, 'stored', ticket.id, messageId);
      return ticket.number;
    },

    /** Opens a request from it for the customer with this address (the sender's by default); returns its number. */
    async open(admin: HostUser, id: number, input: { email: string; departmentId: string }): Promise<string> {
      const { held, mail } = await heldOne(id);
      const email = (input.email.trim() || held.fromAddress).toLowerCase();
      const customer = deps.findUserByEmail ? await deps.findUserByEmail(email) : null;
      if (!customer || customer.role !== 'client') throw new ValidationError({ email: { key: 'errors.held.noCustomer' } });
      const department = (await store.departments.list({ activeOnly: true })).find((d) => String(d.id) === input.departmentId);
      if (!department) throw new ValidationError({ departmentId: { key: 'errors.department.required' } });
      const opened = await deps.intake.openHeld(held, mail, customer, department);
      if (opened === 'empty') throw new ValidationError({ form: { key: 'errors.held.empty' } });
      if ('refused' in opened) throw new ValidationError({ form: { key: `errors.held.${opened.reason}` } });
      const first = (await store.messages.thread(opened.id, 'staff'))[0];
      await settle(held, admin, 'opened', opened.id, first?.id ?? null);
      return opened.number;
    },

    /** Drops it, and its original with it. */
    async discard(admin: HostUser, id: number): Promise<void> {
      const held = await inbound.find(id);
      if (!held || held.status !== 'held') throw new NotFoundError('held mail');
      await settle(held, admin, 'discarded', null, null);
      await deps.discardFiles([held.rawKey]);
    },
  };
}

export type HeldMail = ReturnType<typeof heldMail>;
