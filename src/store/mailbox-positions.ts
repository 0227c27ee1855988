// Where each IMAP reader stands in its mailbox (model/inbound.ts MailboxPositionStore): one row
// per configured mailbox, written after every message taken, so a restart neither skips nor
// repeats mail. Only the instance holding the mailbox's job lease writes its row.
import type { Knex } from 'knex';
import type { MailboxPositionStore } from '../model/inbound';
import type { TableNames } from './tables';
import { num } from './dialect';

export function mailboxPositionStore(knex: Knex, t: TableNames): MailboxPositionStore {
  return {
    async get(mailbox) {
      const row = await knex(t.mailboxPositions).where('mailbox', mailbox).first('uid_validity', 'last_uid');
      return row ? { uidValidity: String(row.uid_validity), lastUid: num(row.last_uid) } : null;
    },

    async save(mailbox, position, at) {
      await knex(t.mailboxPositions)
        .insert({ mailbox, uid_validity: position.uidValidity, last_uid: position.lastUid, updated_at: at })
        .onConflict('mailbox')
        .merge(['uid_validity', 'last_uid', 'updated_at']);
    },
  };
}
