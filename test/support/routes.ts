// Every route of the plugin in one table, with a world to aim them at (a ticket with a file, a
// department member, a canned reply, a queued e-mail, a customer's e-mailed reply and a held
// e-mail) and the checks the boundary tests share: what is stored, and that no answer shows a
// stack trace, SQL or a file path.
import assert from 'node:assert/strict';
import type { Response } from 'supertest';
import type { TestDatabase } from './databases';
import { startPlugin, filesUnder, type StartOptions, type TestAgent, type TestPlugin } from './test-host';
import { createTicket, departmentId } from './tickets';
import { postForm } from './forms';
import { log } from './samples';
import { replyAddresses } from '../../src/mail/reply-address';

/** Mail in is on in the world: its e-mailed messages and held mail have routes too. */
const INBOUND = { address: 'support@panel.example', secret: 'routes-world-secret-0123456789abcdefghijkl' };

type Who = 'ivan' | 'tech' | 'admin';
/** How the route reads a body: a multipart form, an url-encoded form, or not at all. */
type BodyKind = 'multipart' | 'form' | 'none';

export interface Route {
  who: Who;
  method: 'get' | 'post';
  /** The path with :number, :attachmentId, :id (department, canned reply, e-mail, held e-mail, e-mailed message, incident and its update), :memberId. */
  path: string;
  body: BodyKind;
  /** The text fields the form sends, with ordinary values. */
  fields?: Record<string, string>;
}

export const routes: Route[] = [
  // Everyone's, before who is asking is looked up.
  { who: 'ivan', method: 'get', path: '/assets/support.css', body: 'none' },
  // The customer's.
  { who: 'ivan', method: 'get', path: '/', body: 'none' },
  { who: 'ivan', method: 'get', path: '/new', body: 'none' },
  {
    who: 'ivan',
    method: 'post',
    path: '/',
    body: 'multipart',
    fields: { subject: 'Сайт недоступен', serviceId: '', departmentId: ':technical', message: 'С утра отвечает 502.' },
  },
  { who: 'ivan', method: 'get', path: '/:number', body: 'none' },
  { who: 'ivan', method: 'post', path: '/:number/reply', body: 'multipart', fields: { message: 'Всё ещё не работает.' } },
  { who: 'ivan', method: 'get', path: '/:number/close', body: 'none' },
  { who: 'ivan', method: 'post', path: '/:number/close', body: 'none' },
  { who: 'ivan', method: 'get', path: '/:number/files/:attachmentId', body: 'none' },
  { who: 'ivan', method: 'get', path: '/:number/rate', body: 'none' },
  { who: 'ivan', method: 'post', path: '/:number/rate', body: 'form', fields: { rating: 'good', comment: 'Спасибо.' } },
  // Staff.
  { who: 'tech', method: 'get', path: '/', body: 'none' },
  { who: 'tech', method: 'get', path: '/:number', body: 'none' },
  {
    who: 'tech',
    method: 'post',
    path: '/:number/reply',
    body: 'multipart',
    fields: { message: 'Проверяем.', lastSeenId: '0', confirmed: '1', submissionKey: 'k' },
  },
  { who: 'tech', method: 'post', path: '/:number/note', body: 'multipart', fields: { note: 'Похоже на nginx.' } },
  { who: 'tech', method: 'post', path: '/:number/status', body: 'form', fields: { open: '1' } },
  { who: 'tech', method: 'post', path: '/:number/priority', body: 'form', fields: { priority: 'high' } },
  { who: 'tech', method: 'post', path: '/:number/assign', body: 'form', fields: { assignee: 'me' } },
  {
    who: 'tech',
    method: 'post',
    path: '/:number/transfer',
    body: 'form',
    fields: { departmentId: ':clientRelations', reason: 'Вопрос об оплате.' },
  },
  // The merge form's confirmation page (a GET form) and the merge itself. Into itself: refused
  // whatever is sent, so the world's ticket stays as it is for the routes after it.
  { who: 'tech', method: 'get', path: '/:number/merge', body: 'none' },
  { who: 'tech', method: 'post', path: '/:number/merge', body: 'form', fields: { target: ':number', mode: 'merge' } },
  { who: 'tech', method: 'get', path: '/:number/files/:attachmentId', body: 'none' },
  { who: 'tech', method: 'get', path: '/:number/messages/:emailedId/original', body: 'none' },
  { who: 'tech', method: 'get', path: '/:number/acknowledge', body: 'none' },
  { who: 'tech', method: 'post', path: '/:number/acknowledge', body: 'form', fields: {} },
  // Incidents of the technical department: the world declares one, links its ticket and sends an
  // update. Resolving comes last: the routes after it are the admin's.
  { who: 'tech', method: 'get', path: '/incidents', body: 'none' },
  { who: 'tech', method: 'get', path: '/incidents/new', body: 'none' },
  {
    who: 'tech',
    method: 'post',
    path: '/incidents',
    body: 'form',
    fields: {
      departmentId: ':technical',
      titleRu: 'Сбой сети в Москве',
      titleEn: 'Network outage in Moscow',
      bodyRu: 'Чиним коммутатор.',
      bodyEn: 'A switch is being fixed.',
      affects: 'everyone',
      kinds: '',
      services: '',
    },
  },
  { who: 'tech', method: 'get', path: '/incidents/:incidentId', body: 'none' },
  { who: 'tech', method: 'post', path: '/incidents/:incidentId/links', body: 'form', fields: { number: ':number' } },
  {
    who: 'tech',
    method: 'post',
    path: '/incidents/:incidentId/updates',
    body: 'form',
    fields: { updateRu: 'Всё ещё чиним.', updateEn: 'Still fixing.' },
  },
  { who: 'tech', method: 'post', path: '/incidents/:incidentId/updates/:updateId/resume', body: 'none' },
  { who: 'tech', method: 'post', path: '/incidents/:incidentId/links/:linkedTicketId/delete', body: 'none' },
  {
    who: 'tech',
    method: 'post',
    path: '/incidents/:incidentId/resolve',
    body: 'form',
    fields: { finalRu: 'Починили.', finalEn: 'Fixed.' },
  },
  // The admin's.
  { who: 'admin', method: 'get', path: '/admin/mail', body: 'none' },
  { who: 'admin', method: 'post', path: '/admin/mail/:mailId/retry', body: 'none' },
  { who: 'admin', method: 'get', path: '/admin/departments', body: 'none' },
  { who: 'admin', method: 'get', path: '/admin/departments/new', body: 'none' },
  {
    who: 'admin',
    method: 'post',
    path: '/admin/departments',
    body: 'form',
    fields: {
      code: 'vip',
      nameRu: 'VIP',
      nameEn: 'VIP',
      guidanceRu: '',
      guidanceEn: '',
      emails: 'vip@panel.example',
      onCall: '',
      mailLocale: '',
      order: '5',
      active: '1',
    },
  },
  { who: 'admin', method: 'get', path: '/admin/departments/:departmentId', body: 'none' },
  {
    who: 'admin',
    method: 'post',
    path: '/admin/departments/:departmentId',
    body: 'form',
    fields: {
      code: 'technical',
      nameRu: 'Технический отдел',
      nameEn: 'Technical',
      guidanceRu: '',
      guidanceEn: '',
      emails: 'tech@panel.example',
      onCall: '',
      mailLocale: '',
      order: '20',
      active: '1',
    },
  },
  { who: 'admin', method: 'post', path: '/admin/departments/:departmentId/delete', body: 'none' },
  {
    who: 'admin',
    method: 'post',
    path: '/admin/departments/:departmentId/escalation',
    body: 'form',
    fields: { step1Minutes: '10', step1Whom: 'addresses', step1Addresses: 'second@panel.example', step2Minutes: '20', step2Whom: 'admins' },
  },
  {
    who: 'admin',
    method: 'post',
    path: '/admin/departments/:departmentId/members',
    body: 'form',
    fields: { userId: 's-new', memberName: 'Новый сотрудник', memberEmail: 'new@panel.example' },
  },
  { who: 'admin', method: 'post', path: '/admin/departments/:departmentId/members/:memberId/delete', body: 'none' },
  { who: 'admin', method: 'get', path: '/admin/canned', body: 'none' },
  { who: 'admin', method: 'get', path: '/admin/canned/new', body: 'none' },
  {
    who: 'admin',
    method: 'post',
    path: '/admin/canned',
    body: 'form',
    fields: { departmentId: ':technical', title: 'Перезагрузка', body: 'Перезагрузите сервер.', locale: '' },
  },
  { who: 'admin', method: 'get', path: '/admin/canned/:cannedId', body: 'none' },
  {
    who: 'admin',
    method: 'post',
    path: '/admin/canned/:cannedId',
    body: 'form',
    fields: { departmentId: ':technical', title: 'Перезагрузка', body: 'Перезагрузите сервер.', locale: '' },
  },
  { who: 'admin', method: 'post', path: '/admin/canned/:cannedId/delete', body: 'none' },
  { who: 'admin', method: 'get', path: '/admin/held-mail', body: 'none' },
  { who: 'admin', method: 'get', path: '/admin/held-mail/:heldId', body: 'none' },
  { who: 'admin', method: 'get', path: '/admin/held-mail/:heldId/original', body: 'none' },
  { who: 'admin', method: 'post', path: '/admin/held-mail/:heldId/attach', body: 'form', fields: { number: ':number' } },
  {
    who: 'admin',
    method: 'post',
    path: '/admin/held-mail/:heldId/open',
    body: 'form',
    fields: { email: 'ivan@example.ru', departmentId: ':technical' },
  },
  { who: 'admin', method: 'post', path: '/admin/held-mail/:heldId/discard', body: 'none' },
  { who: 'admin', method: 'get', path: '/admin/ratings', body: 'none' },
  { who: 'admin', method: 'get', path: '/admin/reports', body: 'none' },
  { who: 'admin', method: 'get', path: '/admin/reports/days.csv', body: 'none' },
  { who: 'admin', method: 'get', path: '/admin/reports/departments.csv', body: 'none' },
  { who: 'admin', method: 'get', path: '/admin/reports/staff.csv', body: 'none' },
  { who: 'admin', method: 'get', path: '/admin/reports/backlog.csv', body: 'none' },
  { who: 'admin', method: 'post', path: '/admin/reports/recount', body: 'none' },
];

export const label = (r: Route) => `${r.who} ${r.method.toUpperCase()} ${r.path}`;
export const paramsOf = (r: Route) => [...r.path.matchAll(/:(\w+)/g)].map((m) => m[1] as string);

/** The rows and files a route could aim at, and each user's CSRF token. */
export interface World {
  t: TestPlugin;
  agents: Record<Who, TestAgent>;
  tokens: Record<Who, string>;
  /** Values for :names in paths and fields. */
  ids: Record<string, string>;
}

export async function makeWorld(db: TestDatabase, settings: Record<string, unknown> = {}, options: StartOptions = {}): Promise<World> {
  const mailSettings = (settings.mail ?? {}) as Record<string, unknown>;
  const t = await startPlugin(db, { ...settings, mail: { ...mailSettings, inbound: INBOUND } }, { findUserByEmail: true, ...options });
  const agents = { ivan: t.as('ivan'), tech: t.as('tech'), admin: t.as('admin') };
  const number = await createTicket(t, agents.ivan, { files: [[log, 'nginx.log']] });
  const attachment = await t.knex(t.tables.attachments).first('id');
  const mail = await t.knex(t.tables.outbox).first('id');
  const technical = await departmentId(t, 'technical');
  const tokens = {
    ivan: await agents.ivan.csrf(),
    tech: await agents.tech.csrf(`/${number}`),
    admin: await agents.admin.csrf('/admin/departments/new'),
  };
  const member = await postForm(agents.admin, `/admin/departments/${technical}/members`, tokens.admin, {
    userId: 's-max',
    memberName: 'Max Member',
    memberEmail: 'max@panel.example',
  });
  assert.equal(member.status, 303, member.text.slice(0, 300));
  const canned = await postForm(agents.admin, '/admin/canned', tokens.admin, {
    departmentId: technical,
    title: 'Перезагрузка',
    body: 'Перезагрузите сервер.',
    locale: '',
  });
  assert.equal(canned.status, 303, canned.text.slice(0, 300));
  // The customer answers by e-mail; a stranger writes to the request's reply address and is held.
  const replyTo = replyAddresses(INBOUND.address, INBOUND.secret).forTicket(number, 'customer');
  const email = (from: string, id: string) =>
    Buffer.from(`From: ${from}\r\nTo: ${replyTo}\r\nSubject: Re: вопрос\r\nMessage-ID: <${id}@mail.example>\r\n\r\nПо почте.\r\n`);
  assert.equal((await t.plugin.receiveMail(email('ivan@example.ru', 'world-reply'))).outcome, 'stored');
  assert.equal((await t.plugin.receiveMail(email('stranger@mail.example', 'world-held'))).outcome, 'held');
  // An incident of the technical department with the ticket linked and one update sent.
  const declared = await postForm(agents.tech, '/incidents', tokens.tech, {
    departmentId: technical,
    titleRu: 'Недоступны VPS',
    titleEn: 'VPS are down',
    bodyRu: 'Инженеры на месте.',
    bodyEn: 'Engineers are on site.',
    affects: 'everyone',
    kinds: '',
    services: '',
  });
  assert.equal(declared.status, 303, declared.text.slice(0, 300));
  const incidentId = String(/\/incidents\/(\d+)/.exec(String(declared.headers.location))?.[1]);
  assert.equal((await postForm(agents.tech, `/incidents/${incidentId}/links`, tokens.tech, { number })).status, 303);
  const update = await postForm(agents.tech, `/incidents/${incidentId}/updates`, tokens.tech, { updateRu: 'Чиним.', updateEn: 'Fixing.' });
  assert.equal(update.status, 303, update.text.slice(0, 300));
  const emailed = await t.knex(t.tables.inboundMail).where('status', 'stored').first('message_id');
  const held = await t.knex(t.tables.inboundMail).where('status', 'held').first('id');
  const ids: Record<string, string> = {
    number,
    emailedId: String(emailed.message_id),
    heldId: String(held.id),
    attachmentId: String(attachment.id),
    mailId: String(mail.id),
    departmentId: technical,
    technical,
    clientRelations: await departmentId(t, 'client_relations'),
    memberId: String((await t.knex(t.tables.departmentStaff).first('id')).id),
    cannedId: String((await t.knex(t.tables.cannedReplies).first('id')).id),
    incidentId,
    updateId: String((await t.knex(t.tables.incidentUpdates).first('id')).id),
    linkedTicketId: String((await t.knex(t.tables.tickets).where('number', number).first('id')).id),
  };
  return { t, agents, tokens, ids };
}

/** The route's path with its :names filled in; `override` replaces some of them as they are (already encoded). */
export function pathOf(world: World, route: Route, override: Record<string, string> = {}): string {
  return route.path.replace(/:(\w+)/g, (_m, name: string) => override[name] ?? encodeURIComponent(world.ids[name] as string));
}

/** The route's fields with :names filled in. */
export function fieldsOf(world: World, route: Route): Record<string, string> {
  return Object.fromEntries(
    Object.entries(route.fields ?? {}).map(([k, v]) => [k, v.startsWith(':') ? (world.ids[v.slice(1)] as string) : v]),
  );
}

/** A request to the route as its user, with the CSRF token in the URL as the plugin's forms send it. */
export function requestTo(world: World, route: Route, path = pathOf(world, route), query = '') {
  const sep = path.includes('?') ? '&' : '?';
  const url =
    route.method === 'post'
      ? `${path}${sep}_csrf=${encodeURIComponent(world.tokens[route.who])}${query ? `&${query}` : ''}`
      : `${path}${query ? `${sep}${query}` : ''}`;
  return world.agents[route.who][route.method](url);
}

/** Row counts of every plugin table and the files in storage: what "nothing was stored" compares. */
export async function snapshot(t: TestPlugin): Promise<{ rows: Record<string, number>; files: string[] }> {
  const rows: Record<string, number> = {};
  for (const table of [
    t.tables.departments,
    t.tables.tickets,
    t.tables.messages,
    t.tables.attachments,
    t.tables.outbox,
    t.tables.events,
    t.tables.departmentStaff,
    t.tables.cannedReplies,
    t.tables.inboundMail,
    t.tables.ratings,
  ]) {
    rows[table] = Number((await t.knex(table).count({ n: '*' }))[0]?.n);
  }
  return { rows, files: filesUnder(t.storageDir).sort() };
}

/** Fails when a body shows how the server is built: a stack trace, SQL or a database error, a file path. */
export function assertRevealsNothing(t: TestPlugin, res: Response, what: string): void {
  const body = res.text ?? '';
  const leaks: Array<[string, RegExp]> = [
    ['a stack trace', /\n\s+at \S|\bat [\w$.<>]+ \([^)]*:\d+:\d+\)/],
    ['SQL', /\bselect\b[^<>]{0,200}\bfrom\b|\binsert into\b|\bupdate\b[^<>]{0,200}\bset\b|\bdelete from\b/i],
    ['a database error', /SQLITE_|ER_[A-Z_]{3,}|violates|invalid input syntax|out of range for type|syntax error at/],
    ['a table name', new RegExp(t.prefix)],
    ['a file path', /\/(tmp|work|home|root|usr|var|opt|srv)\/|node_modules|\.[jt]s:\d+/],
    ['an error name', /\b(TypeError|RangeError|ReferenceError|URIError|SyntaxError)\b/],
  ];
  for (const [name, pattern] of leaks) assert.doesNotMatch(body, pattern, `${what}: the answer shows ${name}: ${body.slice(0, 400)}`);
}

/** The title of the plugin's message page (the test host puts the page title in <title>). */
export const titleOf = (res: Response) => /<title>([^<]*)<\/title>/.exec(res.text ?? '')?.[1] ?? '';
