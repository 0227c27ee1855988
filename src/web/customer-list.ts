// The customer's list of requests: an open / closed / all filter and a search by number or
// subject (a GET form, so it works without JavaScript), keyset pages whose links carry both,
// who wrote last and how long ago, and the requests with an answer the customer has not seen.
import type { Request, RequestHandler, Response } from 'express';
import type { Locale, HostUser } from '../host';
import type { CustomerTickets } from '../domain/customer-tickets';
import type { Incidents } from '../domain/incidents';
import type { CustomerListFilter } from '../model/store';
import type { Settings } from '../model/settings';
import type { Clock, Ticket } from '../model/types';
import { LIMITS } from '../domain/field-rules';
import { formatAgo, formatTime } from '../i18n/format';
import { contextOf } from './context';
import { localizeProblems, type Renderer } from './render';
import { queryText, unreadableQuery } from './text-input';

const STATUSES: ReadonlyArray<CustomerListFilter['status']> = ['all', 'open', 'closed'];

/** One row of the list: the request, whether it has an unseen answer, and its last reply in words. */
interface ListRow {
  ticket: Ticket;
  unseen: boolean;
  lastReply: { by: 'support' | 'you'; iso: string; exact: string; ago: string };
}

function filterOf(req: Request): CustomerListFilter {
  const status = queryText(req, 'status') as CustomerListFilter['status'];
  return { status: STATUSES.includes(status) ? status : 'all', search: queryText(req, 'q').slice(0, LIMITS.listSearch) };
}

/** The filter as the pager's links carry it; what is left at its default stays out of the URL. */
function filterParams(filter: CustomerListFilter): string {
  const params = new URLSearchParams();
  if (filter.search) params.set('q', filter.search);
  if (filter.status !== 'all') params.set('status', filter.status);
  return params.toString();
}

/** Who wrote last: a staff answer newer than the customer's last message, or the customer. */
function rowOf(ticket: Ticket, now: number, locale: Locale): ListRow {
  const bySupport = ticket.lastReplyAt !== null && ticket.lastReplyAt >= ticket.lastCustomerAt;
  const at = bySupport ? (ticket.lastReplyAt as number) : ticket.lastCustomerAt;
  return {
    ticket,
    unseen: ticket.customerSeenAt === null,
    lastReply: {
      by: bySupport ? 'support' : 'you',
      iso: new Date(at).toISOString(),
      exact: formatTime(at, locale),
      ago: formatAgo(at, now, locale),
    },
  };
}

interface Deps {
  tickets: CustomerTickets;
  settings: Settings;
  render: Renderer;
  now: Clock;
  /** Open incidents that affect the customer: a known issue shown above the list. */
  incidents: Pick<Incidents, 'forCustomer'>;
}

export function customerList({ tickets, settings, render, now, incidents }: Deps): RequestHandler {
  return async (req: Request, res: Response) => {
    const { t, locale, user } = contextOf(res);
    const filter = filterOf(req);
    const cursor = queryText(req, 'after') || null;
    // A search that was not valid UTF-8 matches nothing honestly: say so next to it instead of searching.
    const problems = unreadableQuery(req, ['q']);
    const refused = Object.keys(problems).length > 0;
    const [page, departments, known] = await Promise.all([
      refused ? { items: [], next: null } : tickets.list(user as HostUser, filter, cursor),
      tickets.allDepartments(),
      incidents.forCustomer(user as HostUser),
    ]);
    const at = now();
    await render.page(
      req,
      res,
      'customer/list',
      t('list.title'),
      {
        rows: page.items.map((ticket) => rowOf(ticket, at, locale)),
        next: page.next,
        isFirstPage: cursor === null,
        filter,
        filtered: refused || filter.search !== '' || filter.status !== 'all',
        filterParams: filterParams(filter),
        statuses: STATUSES,
        errors: localizeProblems(res, problems),
        departments: new Map(departments.map((d) => [d.id, d])),
        contacts: settings.contacts,
        incidents: known,
      },
      refused ? 400 : 200,
    );
  };
}
