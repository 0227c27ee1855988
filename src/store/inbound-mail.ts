// The messages the intake kept (model/inbound.ts InboundMailStore): a row each, its original in
// file storage. The unique dedupe key makes a message delivered twice one row.
import type { Knex } from 'knex';
import type { InboundMail, InboundMailStore, NewInboundMail } from '../model/inbound';
import type { TableNames } from './tables';
import { insertReturningId, num, numOrNull } from './dialect';
import { isUniqueViolation } from './refusals';

interface InboundRow {
  id: number;
  received_at: number | string;
  source: string;
  mailbox: string | null;
  mail_message_id: string | null;
  from_address: string;
  from_name: string;
  subject: string;
  raw_key: string;
  raw_size: number | string;
  auth_verdict: string;
  status: string;
  reason: string | null;
  detail: string | null;
  ticket_id: number | null;
  message_id: number | null;
  handled_by: string | null;
  handled_at: number | string | null;
}

function toMail(row: InboundRow): InboundMail {
  return {
    id: num(row.id),
    receivedAt: num(row.received_at),
    source: row.source as InboundMail['source'],
    mailbox: row.mailbox,
    mailMessageId: row.mail_message_id,
    fromAddress: row.from_address,
    fromName: row.from_name,
    subject: row.subject,
    rawKey: row.raw_key,
    rawSize: num(row.raw_size),
    authVerdict: row.auth_verdict as InboundMail['authVerdict'],
    status: row.status as InboundMail['status'],
    reason: row.reason as InboundMail['reason'],
    detail: row.detail,
    ticketId: numOrNull(row.ticket_id),
    messageId: numOrNull(row.message_id),
    handledBy: row.handled_by,
    handledAt: numOrNull(row.handled_at),
  };
}

/** Column values cut to their column's size: a header may be longer than a column. */
const cut = (text: string, max: number): string => (text.length > max ? text.slice(0, max) : text);

export function inboundMailStore(knex: Knex, t: TableNames): InboundMailStore {
  return {
    async record(mail: NewInboundMail) {
      try {
        return await insertReturningId(knex, t.inboundMail, {
          received_at: mail.receivedAt,
          source: mail.source,
          mailbox: mail.mailbox,
          mail_message_id: mail.mailMessageId === null ? null : cut(mail.mailMessageId, 255),
          dedupe_key: mail.dedupeKey,
          from_address: cut(mail.fromAddress, 255),
          from_name: cut(mail.fromName, 255),
          subject: cut(mail.subject, 255),
          raw_key: mail.rawKey,
          raw_size: mail.rawSize,
          auth_verdict: mail.authVerdict,
          status: mail.status,
          reason: mail.reason,
          detail: mail.detail,
          ticket_id: mail.ticketId,
          message_id: mail.messageId,
        });
      } catch (err) {
        if (isUniqueViolation(err)) return null;
        throw err;
      }
    },

    async seen(dedupeKey) {
      return (await knex(t.inboundMail).where('dedupe_key', dedupeKey).first('id')) !== undefined;
    },

    async countFrom(address, since) {
      const row = await knex(t.inboundMail).where('from_address', address).where('received_at', '>=', since).count({ n: '*' }).first();
      return num((row as { n: number | string } | undefined)?.n ?? 0);
    },

    async held(limit) {
      const rows = await knex(t.inboundMail)
        .where('status', 'held')
        .orderBy([
          { column: 'received_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(limit);
      return (rows as InboundRow[]).map(toMail);
    },

    async countHeld() {
      const row = await knex(t.inboundMail).where('status', 'held').count({ n: '*' }).first();
      return num((row as { n: number | string } | undefined)?.n ?? 0);
    },

    async find(id) {
      const row = await knex(t.inboundMail).where('id', id).first();
      return row ? toMail(row as InboundRow) : null;
    },

    async settle(id, change) {
      const changed = await knex(t.inboundMail)
        .where({ id, status: 'held' })
        .update({
          status: change.status,
          ticket_id: change.ticketId,
          message_id: change.messageId,
          handled_by: change.handledBy === null ? null : cut(change.handledBy, 255),
          handled_at: change.handledAt,
        });
      return changed === 1;
    },

    async originalsOf(messageIds) {
      if (messageIds.length === 0) return new Map();
      const rows = (await knex(t.inboundMail).whereIn('message_id', messageIds)) as InboundRow[];
      return new Map(rows.map((row) => [num(row.message_id), toMail(row)]));
    },

    async deleteUnkeptBefore(cutoff, limit) {
      const rows = (await knex(t.inboundMail)
        .whereIn('status', ['held', 'discarded'])
        .where('received_at', '<', cutoff)
        .orderBy('received_at')
        .limit(limit)
        .select('id', 'raw_key')) as Array<{ id: number; raw_key: string }>;
      if (rows.length === 0) return [];
      await knex(t.inboundMail)
        .whereIn(
          'id',
          rows.map((r) => r.id),
        )
        .whereIn('status', ['held', 'discarded'])
        .delete();
      return rows.map((r) => r.raw_key);
    },

    async referencedKeys(keys) {
      if (keys.length === 0) return new Set();
      const rows = (await knex(t.inboundMail).whereIn('raw_key', keys).select('raw_key')) as Array<{ raw_key: string }>;
      return new Set(rows.map((r) => r.raw_key));
    },
  };
}
