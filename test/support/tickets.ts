// Creating tickets through HTTP the way a customer's browser does, and answering them as staff.
import assert from 'node:assert/strict';
import type { TestAgent, TestPlugin } from './test-host';

export interface NewTicket {
  subject?: string;
  serviceId?: string;
  department?: string;
  message?: string;
  files?: Array<[Buffer, string]>;
}

export async function departmentId(t: TestPlugin, code: string): Promise<string> {
  const row = await t.knex(t.tables.departments).where('code', code).first('id');
  return String(row.id);
}

/** Creates a ticket and returns its public number; fails loudly if the form refused it. */
export async function createTicket(t: TestPlugin, as: TestAgent, ticket: NewTicket = {}, token?: string): Promise<string> {
  const csrf = token ?? (await as.csrf());
  let req = as
    .post(`/?_csrf=${encodeURIComponent(csrf)}`)
    .field('subject', ticket.subject ?? 'Проблема с VPS')
    .field('serviceId', ticket.serviceId ?? '')
    .field('departmentId', await departmentId(t, ticket.department ?? 'technical'))
    .field('message', ticket.message ?? 'Сервер не отвечает по SSH с 10:00.')
    // The customer's "yes, this is an emergency" (only urgent departments ask for it).
    .field('emergencyConfirmed', '1');
  for (const [content, name] of ticket.files ?? []) req = req.attach('files', content, name);
  const res = await req;
  const number = /\/(\d{8})\?created=1$/.exec(String(res.headers.location))?.[1];
  if (res.status !== 303 || !number) throw new Error(`ticket not created: ${res.status} ${res.text.slice(0, 500)}`);
  return number;
}

/** A staff member (a test user's key) answers the ticket from its page, as a browser would. */
export async function answerAsStaff(t: TestPlugin, number: string, who = 'tech', message = 'Готово, проверьте.'): Promise<void> {
  const staff = t.as(who);
  const page = await staff.get(`/${number}`);
  const token = decodeURIComponent(/reply\?_csrf=([^"&]+)/.exec(page.text)?.[1] ?? '');
  const lastSeenId = /name="lastSeenId" value="(\d+)"/.exec(page.text)?.[1] ?? '0';
  const res = await staff
    .post(`/${number}/reply?_csrf=${encodeURIComponent(token)}`)
    .field('lastSeenId', lastSeenId)
    .field('message', message);
  assert.equal(res.status, 303, res.text.slice(0, 300));
}
