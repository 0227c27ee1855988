// Tickets shaped like a panel's history, inserted in bulk straight into the plugin's tables after
// its migrations (staff-queue.ts, report-page.ts): a few thousand customers, four topics, three
// kinds of service, priorities mostly normal. Each bench decides the rest (when, where, open or not).
import type { Knex } from 'knex';
import { PRIORITY_RANK, type TicketPriority } from '../src/model/types';

/** Rows per insert: well under every database's limit on bound values. */
export const BATCH = 500;

const PRIORITY_MIX: TicketPriority[] = ['normal', 'normal', 'normal', 'normal', 'normal', 'normal', 'low', 'high', 'high', 'urgent'];
const TOPICS = ['vps', 'domain', 'invoice', 'mail'];
const SERVICE_KINDS = ['vps', 'domain', 'hosting'];
const CUSTOMERS = 5000;

/** The `j`-th ticket's row: its number, customer, subject and priority from `j`; `fields` the rest. */
export function panelTicket(j: number, fields: Record<string, unknown>): Record<string, unknown> {
  const priority = PRIORITY_MIX[j % PRIORITY_MIX.length] as TicketPriority;
  const customer = `c-${j % CUSTOMERS}`;
  const subject = `Request ${j} about ${TOPICS[j % TOPICS.length]}`;
  return {
    number: String(10_000_000 + j),
    customer_id: customer,
    customer_name: `Customer ${j % CUSTOMERS}`,
    customer_email: `${customer}@example.com`,
    service_id: null,
    service_label: null,
    service_kind: SERVICE_KINDS[j % SERVICE_KINDS.length],
    subject,
    subject_search: subject.toLowerCase(),
    priority,
    priority_rank: PRIORITY_RANK[priority],
    ...fields,
  };
}

/** Fresh statistics on these tables, as a database that has lived with its data would have. */
export async function analyze(knex: Knex, tables: string[]): Promise<void> {
  const client = String(knex.client.config.client);
  if (/sqlite/.test(client)) return void (await knex.raw('ANALYZE'));
  for (const table of tables) {
    if (client === 'pg') await knex.raw('ANALYZE ??', [table]);
    if (/mysql/.test(client)) await knex.raw('ANALYZE TABLE ??', [table]);
  }
}
