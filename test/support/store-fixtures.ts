// What the store tests build their rows from: the compiled migrations, a department and a ticket
// with every column filled, so each test names only what it is about.
import { NO_REGULATION } from '../../src/model/regulation';
import path from 'node:path';
import type { DepartmentFields, NewTicket } from '../../src/model/store';
import { PLUGIN_ROOT } from '../../src/paths';

export const MIGRATIONS_DIR = path.join(PLUGIN_ROOT, 'dist', 'migrations');

export const SALES: DepartmentFields = {
  name: { ru: 'Продажи', en: 'Sales' },
  guidance: { ru: '', en: '' },
  keywords: { ru: [], en: [] },
  emails: ['sales@panel.example'],
  onCall: [],
  mailLocale: null,
  urgent: false,
  regulation: NO_REGULATION,
  active: true,
  order: 9,
};

/** A new customer's ticket in a department, numbered `number`, made at time `at`. */
export function newTicket(departmentId: number, number: string, changes: Partial<NewTicket> & { at?: number } = {}): NewTicket {
  const { at = 1, ...rest } = changes;
  return {
    number,
    customerId: 'c-1',
    customerName: 'Иван',
    customerEmail: 'ivan@example.ru',
    customerLocale: 'ru',
    customerTimeZone: null,
    serviceId: null,
    serviceLabel: null,
    departmentId,
    subject: 'Тема',
    status: 'new',
    priority: 'normal',
    createdAt: at,
    updatedAt: at,
    lastReplyAt: null,
    closedAt: null,
    threadMessageId: null,
    assigneeId: null,
    assigneeName: null,
    serviceKind: null,
    lastCustomerAt: at,
    customerSeenAt: at,
    ...rest,
  };
}
