// A small world for unit tests of the domain: the memory store with four departments, a clock
// the test moves, mail that is recorded instead of composed, and the files the domain discarded.
import { NO_REGULATION } from '../../src/model/regulation';
import assert from 'node:assert/strict';
import type { HostService, HostUser } from '../../src/host';
import { ValidationError } from '../../src/model/errors';
import type { NewOutboxItem, TicketMail } from '../../src/model/mail';
import type { DepartmentFields } from '../../src/model/store';
import type { Department, StoredFile } from '../../src/model/types';
import { customerTickets } from '../../src/domain/customer-tickets';
import type { PendingChoice } from '../../src/domain/pending-uploads';
import { staffTickets } from '../../src/domain/staff-tickets';
import { ratings } from '../../src/domain/ratings';
import type { HostStaffOf } from '../../src/domain/colleagues';
import { memoryStore } from './memory-store';
import { memoryInbound } from './memory-inbound';

export const ivan: HostUser = { id: 'c-ivan', role: 'client', name: 'Иван Петров', email: 'ivan@example.ru' };
export const olga: HostUser = { id: 'c-olga', role: 'client', name: 'Ольга', email: 'olga@example.ru' };
/** Staff of the technical department, by the plugin's membership table. */
export const petr: HostUser = { id: 's-petr', role: 'staff', name: 'Пётр', email: 'petr@panel.example' };
/** Staff whose host names their departments (client relations only). */
export const anna: HostUser = { id: 's-anna', role: 'staff', name: 'Anna', email: 'anna@panel.example', departments: ['client_relations'] };
export const admin: HostUser = { id: 'a-root', role: 'admin', name: 'Admin', email: 'admin@panel.example' };

const SERVICES: Record<string, HostService[]> = {
  [ivan.id]: [{ id: 'vps-1', label: 'VPS vps-1', status: 'active', kind: 'vps' }],
  [olga.id]: [{ id: 'dom-7', label: 'example.ru', status: 'active', kind: 'domain' }],
};

function department(code: string, order: number, extra: Partial<DepartmentFields> = {}): DepartmentFields & { code: string } {
  return {
    code,
    name: { ru: code, en: code },
    guidance: { ru: '', en: '' },
    keywords: { ru: [], en: [] },
    emails: [`${code}@panel.example`],
    onCall: [],
    mailLocale: null,
    urgent: false,
    regulation: NO_REGULATION,
    active: true,
    order,
    ...extra,
  };
}

/** Mail as the domain asks for it: one item per call, named after the call. */
function recordingMail(): TicketMail & { calls: string[] } {
  let n = 0;
  const calls: string[] = [];
  const item = (kind: string, ticket: { id: number; number: string }, urgent = false): NewOutboxItem => ({
    ticketId: ticket.id,
    ticketNumber: ticket.number,
    kind,
    urgent,
    mailMessageId: `<${kind}.${++n}@test>`,
    envelope: {
      to: ['someone@example.ru'],
      subject: kind,
      content: { template: kind, data: {} },
      headers: {},
      attachments: [],
      locale: 'ru',
    },
  });
  const record = (kind: string, ticket: { id: number; number: string }, urgent = false) => {
    calls.push(`${kind} #${ticket.number}`);
    return [item(kind, ticket, urgent)];
  };
  return {
    calls,
    newThreadMessageId: (number) => `<department-new.${number}@test>`,
    // The thread starts with the department's notice, as in mail/compose.ts.
    forNewTicket: (ticket, department) =>
      record('department-new', ticket, department.urgent).map((i) => ({ ...i, mailMessageId: ticket.threadMessageId ?? i.mailMessageId })),
    forCustomerReply: (ticket) => record('department-reply', ticket),
    forTransfer: (ticket, _from, to) => record('department-transfer', ticket, to.urgent),
    forAutoClose: (ticket) => record('customer-closed', ticket),
    forStaffClose: (ticket) => record('customer-closed-by-staff', ticket),
    forStaffReply: (ticket) => record('customer-reply', ticket),
    forMerge: (_from, into, duplicate) => record(duplicate ? 'customer-duplicate' : 'customer-merged', into),
    forBadRating: (ticket) => record('department-rating', ticket),
    forEscalation: (ticket, _department, page) => record(`escalation-${page.step} ${page.to.join(',')}`, ticket, true),
    forSlaWarning: (ticket, _department, kind, to) => record(`sla-${kind} to ${to.join(',')}`, ticket),
  };
}

/** The problems a ValidationError names, by field: their message keys. Fails when the work does not refuse. */
export async function problemsOf(work: Promise<unknown>): Promise<Record<string, string>> {
  const err = await work.then(
    () => assert.fail('expected a ValidationError'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ValidationError, String(err));
  return Object.fromEntries(Object.entries(err.fields).map(([field, problem]) => [field, problem.key]));
}

let fileCount = 0;

/** A file as the upload step leaves it in storage. */
export function storedFile(name = 'screen.png', contentType = 'image/png', size = 1200): StoredFile {
  return { storageKey: `key-${++fileCount}`, originalName: name, size, contentType, sha256: 'ab'.repeat(32) };
}

export async function domainWorld(options: { newTicketsPerHour?: number; hostStaffOf?: HostStaffOf } = {}) {
  const store = memoryStore();
  let time = Date.UTC(2026, 0, 12, 9, 0);
  const clock = { now: () => time, advance: (ms: number) => void (time += ms) };
  const mail = recordingMail();
  const discarded: string[] = [];
  let nudges = 0;

  const departments: Record<string, Department> = {};
  const seeds = [
    department('technical', 1),
    department('client_relations', 2),
    department('emergency', 3, { urgent: true }),
    department('archive', 4, { active: false }),
  ];
  for (const { code, ...fields } of seeds) {
    const id = await store.departments.create(code, fields, time);
    departments[code] = (await store.departments.find(id)) as Department;
  }
  await store.members.add({ departmentId: departments.technical!.id, userId: petr.id, name: petr.name, email: petr.email });
  await store.members.add({ departmentId: departments.technical!.id, userId: 's-kolya', name: 'Коля', email: 'kolya@panel.example' });

  const deps = {
    store,
    servicesOf: async (customerId: string) => SERVICES[customerId] ?? [],
    discardFiles: async (keys: string[]) => void discarded.push(...keys),
    uploads: { maxFiles: 3, allowedTypes: ['image/png', 'application/pdf', 'text/plain'] },
    newTicketsPerHour: options.newTicketsPerHour ?? 0,
    mail,
    mailQueued: () => void nudges++,
    now: clock.now,
  };
  const customer = customerTickets(deps);
  // E-mails taken in, and their originals' bytes by storage key.
  const inbound = memoryInbound();
  const originalFiles = new Map<string, Buffer>();
  const staff = staffTickets({
    ...deps,
    ...(options.hostStaffOf ? { hostStaffOf: options.hostStaffOf } : {}),
    originals: { of: (ids) => inbound.originalsOf(ids), read: async (m) => originalFiles.get(m.rawKey) ?? null },
  });

  /**
   * Opens a ticket as a customer would; the department by code. An urgent one is confirmed as an
   * emergency unless `emergencyConfirmed` says otherwise; `kept` opens it from the form (see pending-uploads.ts).
   */
  const open = (
    who: HostUser,
    code = 'technical',
    extra: {
      subject?: string;
      message?: string;
      serviceId?: string;
      key?: string;
      files?: StoredFile[];
      emergencyConfirmed?: boolean;
      kept?: PendingChoice;
    } = {},
  ) =>
    customer.create(
      who,
      {
        subject: extra.subject ?? 'Сервер не отвечает',
        message: extra.message ?? 'С 10:00 не отвечает по SSH, ping проходит.',
        serviceId: extra.serviceId ?? '',
        departmentId: String(departments[code]!.id),
        emergencyConfirmed: extra.emergencyConfirmed ?? true,
      },
      extra.files ?? [],
      'ru',
      extra.key ?? `key-${Math.random()}`,
      extra.kept,
    );

  return {
    store,
    clock,
    mail,
    discarded,
    departments,
    customer,
    staff,
    ratings: ratings(deps),
    inbound,
    originalFiles,
    open,
    nudges: () => nudges,
  };
}
