// The mail outbox as tests see it: e-mails queued straight into it, and waiting until the
// dispatchers have nothing left to do (instead of sleeping and hoping nothing more arrives).
import path from 'node:path';
import type { Knex } from 'knex';
import type { RenderOptions } from '../../src/mail/render';
import { LOCALES } from '../../src/model/locales';
import type { NewOutboxItem } from '../../src/model/mail';
import { PLUGIN_ROOT } from '../../src/paths';
import type { TableNames } from '../../src/store/tables';
import { waitUntil } from './smtp-sink';

/** The plugin's own mail templates and strings, for a mail thread made by a test. */
export const mailTemplates: RenderOptions = {
  viewsDir: path.join(PLUGIN_ROOT, 'views'),
  localesDir: path.join(PLUGIN_ROOT, 'locales'),
  locales: [...LOCALES],
};

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
      content: {
        template: 'department',
        data: {
          headline: `${tag} ${i}`,
          reason: '',
          ticket: { number, subject: `${tag} ${i}`, serviceId: null, serviceLabel: null },
          message: { body: `mail ${i}` },
          earlier: [],
          link: `https://panel.example/support/${number}`,
          listed: [],
          customer: { name: 'Test Customer', email: 'customer@panel.example' },
          answerByMail: false,
        },
      },
      headers: {},
      attachments: [],
      locale: 'en',
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
