// Creating tickets and answering them through HTTP the way a customer's and a staff member's browser do.
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

/** The hidden fields of the staff reply form, as the browser would send them back. */
export async function replyForm(agent: TestAgent, number: string): Promise<{ token: string; lastSeenId: string; submissionKey: string }> {
  const page = await agent.get(`/${number}`);
  assert.equal(page.status, 200, page.text.slice(0, 300));
  const pick = (re: RegExp) => (re.exec(page.text)?.[1] ?? '').replace(/&#34;|&quot;/g, '"');
  return {
    token: decodeURIComponent(pick(/reply\?_csrf=([^"&]+)/)),
    lastSeenId: pick(/name="lastSeenId" value="(\d+)"/),
    submissionKey: pick(/name="submissionKey" value="([^"]+)"/),
  };
}

/** A staff answer (or, with `note`, an internal note) sent from the request's page; fails loudly if it was not taken. */
export async function staffAnswer(agent: TestAgent, number: string, text: string, note = false): Promise<void> {
  const form = await replyForm(agent, number);
  const res = note
    ? await agent.post(`/${number}/note?_csrf=${encodeURIComponent(form.token)}`).field('note', text)
    : await agent
        .post(`/${number}/reply?_csrf=${encodeURIComponent(form.token)}`)
        .field('lastSeenId', form.lastSeenId)
        .field('submissionKey', form.submissionKey)
        .field('message', text);
  assert.equal(res.status, 303, res.text?.slice(0, 300));
}

/** A staff member (a test user's key) answers the ticket from its page, as a browser would. */
export function answerAsStaff(t: TestPlugin, number: string, who = 'tech', message = 'Готово, проверьте.'): Promise<void> {
  return staffAnswer(t.as(who), number, message);
}
