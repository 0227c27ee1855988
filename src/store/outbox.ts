// The mail outbox. Rows are claimed with a lease: a dispatcher that dies holding one simply lets
// the lease run out, and the row is claimed again. On PostgreSQL and MariaDB/MySQL the claim
// skips rows another instance has locked, so several instances never claim the same e-mail.
// A claim is known by the row's attempt count, which every claim raises: a dispatcher renews or
// records only the claim it made, never one another instance made after its lease ran out.
import type { Knex } from 'knex';
import type { Bounce, HeldClaim, NewOutboxItem, OutboxCounts, OutboxItem, OutboxStatus, OutboxStore } from '../model/mail';
import type { TableNames } from './tables';
import { dialectOf, num, numOrNull, withDeadlockRetry } from './dialect';
import { insertStatement } from './compiled';
import { sqlOn } from './sql';

interface OutboxRow {
  id: number;
  ticket_id: number | null;
  ticket_number: string | null;
  kind: string;
  /** Claimed in this order: URGENT before NORMAL. */
  priority: number;
  status: string;
  message_id: string;
  envelope: string;
  attempts: number;
  next_attempt_at: number | string;
  lease_until: number | string | null;
  last_error: string | null;
  created_at: number | string;
  sent_at: number | string | null;
  missing_files: string | null;
  bounced_at: number | string | null;
  bounce: string | null;
}

const URGENT = 0;
const NORMAL = 1;

function toItem(row: OutboxRow): OutboxItem {
  return {
    id: num(row.id),
    ticketId: numOrNull(row.ticket_id),
    ticketNumber: row.ticket_number,
    kind: row.kind,
    urgent: num(row.priority) === URGENT,
    status: row.status as OutboxStatus,
    mailMessageId: row.message_id,
    envelope: JSON.parse(row.envelope) as OutboxItem['envelope'],
    attempts: num(row.attempts),
    nextAttemptAt: num(row.next_attempt_at),
    leaseUntil: numOrNull(row.lease_until),
    lastError: row.last_error,
    createdAt: num(row.created_at),
    sentAt: numOrNull(row.sent_at),
    missingFiles: row.missing_files ? (JSON.parse(row.missing_files) as string[]) : [],
    bounce: row.bounce ? { at: num(row.bounced_at), recipients: JSON.parse(row.bounce) as Bounce['recipients'] } : null,
  };
}

const INSERT = insertStatement(
  (t) => t.outbox,
  ['ticket_id', 'ticket_number', 'kind', 'priority', 'status', 'message_id', 'envelope', 'attempts', 'next_attempt_at', 'created_at'],
);

export function outboxStore(knex: Knex, t: TableNames): OutboxStore {
  const sql = sqlOn(knex, t);
  return {
    async enqueue(items: NewOutboxItem[], now: number): Promise<void> {
      if (items.length === 0) return;
      await sql.insert(
        INSERT,
        items.map((item) => ({
          ticket_id: item.ticketId,
          ticket_number: item.ticketNumber,
          kind: item.kind,
          priority: item.urgent ? URGENT : NORMAL,
          status: 'pending',
          message_id: item.mailMessageId,
          envelope: JSON.stringify(item.envelope),
          attempts: 0,
          next_attempt_at: now,
          created_at: now,
        })),
      );
    },

    /**
     * Reserves up to `limit` due e-mails, urgent first, for `leaseMs`; each claim counts as an
     * attempt. `exclude`: rows this process is still sending, never taken again even if their lease ran out.
     */
    async claim(now: number, leaseMs: number, limit: number, exclude: number[] = []): Promise<OutboxItem[]> {
      if (limit <= 0) return [];
      // READ COMMITTED keeps MySQL from taking gap locks that would make new outbox inserts wait.
      const isolation = dialectOf(knex) === 'sqlite' ? {} : { isolationLevel: 'read committed' as const };
      return withDeadlockRetry(() =>
        knex.transaction(async (trx) => {
          const due = trx<OutboxRow>(t.outbox)
            .where((q) =>
              q
                .where((p) => p.where('status', 'pending').andWhere('next_attempt_at', '<=', now))
                .orWhere((s) => s.where('status', 'sending').andWhere('lease_until', '<=', now)),
            )
            .orderBy([{ column: 'priority' }, { column: 'next_attempt_at' }, { column: 'id' }])
            .limit(limit);
          if (exclude.length > 0) due.whereNotIn('id', exclude);
          // SQLite has no row locks: one process dispatches there, and its transaction is enough.
          if (dialectOf(knex) !== 'sqlite') due.forUpdate().skipLocked();
          const rows = await due;
          if (rows.length === 0) return [];
          const ids = rows.map((r) => r.id);
          await trx(t.outbox)
            .whereIn('id', ids)
            .update({ status: 'sending', lease_until: now + leaseMs, attempts: trx.raw('attempts + 1') });
          return rows.map((row) => ({
            ...toItem(row),
            status: 'sending' as const,
            leaseUntil: now + leaseMs,
            attempts: num(row.attempts) + 1,
          }));
        }, isolation),
      );
    },

    /**
     * Extends the leases of rows this process is still sending. A row another instance claimed
     * meanwhile (its attempt count moved on) or that is no longer being sent is left alone.
     * Returns how many leases were renewed.
     */
    async renewLeases(held: HeldClaim[], leaseUntil: number): Promise<number> {
      let renewed = 0;
      // Rows of one claim share an attempt count, so this is usually one statement.
      for (const [attempts, ids] of groupByAttempts(held)) {
        renewed += await knex(t.outbox).whereIn('id', ids).andWhere({ status: 'sending', attempts }).update({ lease_until: leaseUntil });
      }
      return renewed;
    },

    async markSent(ids: number[], now: number): Promise<void> {
      if (ids.length === 0) return;
      await knex(t.outbox).whereIn('id', ids).update({ status: 'sent', sent_at: now, lease_until: null, last_error: null });
    },

    /** Puts a claimed e-mail back for a later attempt, unless another instance has claimed it since. */
    async reschedule(claim: HeldClaim, at: number, error: string): Promise<void> {
      await knex(t.outbox)
        .where({ id: claim.id, status: 'sending', attempts: claim.attempts })
        .update({ status: 'pending', next_attempt_at: at, lease_until: null, last_error: error });
    },

    async markFailed(claim: HeldClaim, error: string): Promise<void> {
      await knex(t.outbox)
        .where({ id: claim.id, status: 'sending', attempts: claim.attempts })
        .update({ status: 'failed', lease_until: null, last_error: error });
    },

    /** Records the files an e-mail goes without because they are gone from storage. */
    async noteMissingFiles(id: number, names: string[]): Promise<void> {
      await knex(t.outbox)
        .where('id', id)
        .update({ missing_files: names.length > 0 ? JSON.stringify(names) : null });
    },

    /**
     * Puts a failed e-mail back in the queue for one more round of attempts. `retryKey` is the
     * admin form's submission: the same submission again (a double click) finds its own key on
     * the row and counts as done.
     */
    async retryFailed(id: number, now: number, retryKey: string): Promise<boolean> {
      const changed = await knex(t.outbox)
        .where({ id, status: 'failed' })
        .update({ status: 'pending', next_attempt_at: now, attempts: 0, created_at: now, last_error: null, retry_key: retryKey });
      if (changed > 0) return true;
      return (await knex(t.outbox).where({ id, retry_key: retryKey }).first('id')) !== undefined;
    },

    /** Deletes up to `limit` e-mails sent before `cutoff`, oldest first; returns how many went. */
    async deleteSentBefore(cutoff: number, limit: number): Promise<number> {
      const ids = (await knex(t.outbox)
        .where('status', 'sent')
        .andWhere('sent_at', '<', cutoff)
        .orderBy('sent_at')
        .limit(limit)
        .pluck('id')) as number[];
      if (ids.length === 0) return 0;
      return knex(t.outbox).whereIn('id', ids).delete();
    },

    async counts(): Promise<OutboxCounts> {
      // count(missing_files) counts the rows that name missing files, in the same pass.
      const rows = (await knex(t.outbox).select('status').count({ n: '*', missing: 'missing_files' }).groupBy('status')) as Array<{
        status: string;
        n: unknown;
        missing: unknown;
      }>;
      const oldest = await knex(t.outbox).whereIn('status', ['pending', 'sending']).min({ at: 'created_at' }).first();
      const bounced = await knex(t.outbox).whereNotNull('bounced_at').count({ n: '*' }).first();
      const by = new Map(rows.map((r) => [r.status, num(r.n)]));
      const sentRow = rows.find((r) => r.status === 'sent');
      return {
        pending: by.get('pending') ?? 0,
        sending: by.get('sending') ?? 0,
        sent: by.get('sent') ?? 0,
        failed: by.get('failed') ?? 0,
        sentWithMissingFiles: sentRow ? num(sentRow.missing) : 0,
        bounced: num((bounced as { n: unknown } | undefined)?.n ?? 0),
        oldestPendingAt: numOrNull(oldest?.at),
      };
    },

    async failed(limit: number): Promise<OutboxItem[]> {
      return (await knex<OutboxRow>(t.outbox).where('status', 'failed').orderBy('id', 'desc').limit(limit)).map(toItem);
    },

    /** The latest sent e-mails that went without a file, newest first. */
    async sentWithMissingFiles(limit: number): Promise<OutboxItem[]> {
      return (await knex<OutboxRow>(t.outbox).where('status', 'sent').whereNotNull('missing_files').orderBy('id', 'desc').limit(limit)).map(
        toItem,
      );
    },

    async recordBounce(mailMessageId: string, bounce: Bounce): Promise<boolean> {
      const changed = await knex(t.outbox)
        .where('message_id', mailMessageId)
        .update({ bounced_at: bounce.at, bounce: JSON.stringify(bounce.recipients) });
      return changed > 0;
    },

    async bounced(limit: number): Promise<OutboxItem[]> {
      return (
        await knex<OutboxRow>(t.outbox).whereNotNull('bounced_at').orderBy('bounced_at', 'desc').orderBy('id', 'desc').limit(limit)
      ).map(toItem);
    },
  };
}

function groupByAttempts(held: HeldClaim[]): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (const claim of held) {
    const ids = groups.get(claim.attempts) ?? [];
    ids.push(claim.id);
    groups.set(claim.attempts, ids);
  }
  return groups;
}
