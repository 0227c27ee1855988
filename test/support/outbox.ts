// The mail outbox as tests see it: e-mails queued straight into it, and waiting until the
// dispatchers have nothing left to do (instead of sleeping and hoping nothing more arrives).
import type { Knex } from 'knex';
import type { NewOutboxItem } from '../../src/model/mail';
import type { TableNames } from '../../src/store/tables';
import { waitUntil } from './smtp-sink';

type WithOutbox = { knex: Knex; tables: TableNames };

/** A department e-mail with no ticket behind it, numbered `i`. */
export function queuedMail(i: number, tag = 'load'): NewOutboxItem {
  const number = String(10_000_000 + i);
  return {
    ticketId: null,
    ticketNumber: number,
    kind: 'department-new',
    urgent: false,
    mailMessageId: `<${tag}.${i}.${Date.now()}@panel.example>`,
    envelope: {
      to: [`dept-${i % 3}@panel.example`],
      subject: `[#${number}] ${tag} ${i}`,
      text: `mail ${i}`,
      html: `<p>mail ${i}</p>`,
      headers: {},
      attachments: [],
    },
  };
}

/** How many outbox rows have one of these statuses. */
export async function outboxCount(t: WithOutbox, statuses: string[]): Promise<number> {
  const row = await t.knex(t.tables.outbox).whereIn('status', statuses).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

/** Rows waiting to be sent or being sent. */
function unfinishedMail(t: WithOutbox): Promise<number> {
  return outboxCount(t, ['pending', 'sending']);
}

/**
 * Waits until no e-mail is pending or being sent. A row is marked sent only after the SMTP
 * server accepted it, so from then on nothing more can arrive.
 */
export async function waitForIdleOutbox(t: WithOutbox, ms = 15_000): Promise<void> {
  await waitUntil(async () => (await unfinishedMail(t)) === 0, ms, 'the outbox to be idle (nothing pending or being sent)');
}
