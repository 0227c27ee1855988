// Conditions on the plugin's outbox table, so tests wait for the mail worker instead of sleeping.
import type { TestPlugin } from './test-host';
import { waitUntil } from './smtp-sink';

/** How many outbox rows have one of these statuses. */
export async function outboxCount(t: TestPlugin, statuses: string[]): Promise<number> {
  const row = await t.knex(t.tables.outbox).whereIn('status', statuses).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

/**
 * Waits until the worker has nothing left to do: no e-mail waiting or being sent. Everything the
 * plugin queued has then reached the SMTP server (or failed), so nothing more will arrive.
 */
export async function waitForIdleOutbox(t: TestPlugin, ms = 10_000): Promise<void> {
  await waitUntil(async () => (await outboxCount(t, ['pending', 'sending'])) === 0, ms, 'an idle outbox (no pending or sending e-mail)');
}
