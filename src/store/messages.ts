import type { Knex } from 'knex';
import type { Attachment, Audience, AuthorKind, Message, StoredFile } from '../model/types';
import type { MessageStore, NewMessage } from '../model/store';
import type { TableNames } from './tables';
import { dialectOf, num } from './dialect';
import { withRefusals } from './refusals';
import { insertStatement, type ValuesOf } from './compiled';
import { insertedId, sqlOn } from './sql';
import { attachmentName } from '../files/names';

interface MessageRow {
  id: number;
  ticket_id: number;
  author_kind: string;
  author_id: string;
  author_name: string;
  body: string;
  created_at: number | string;
  internal: number | boolean;
}

interface AttachmentRow {
  id: number;
  message_id: number;
  ticket_id: number;
  original_name: string;
  storage_key: string;
  size_bytes: number | string;
  content_type: string;
  sha256: string;
  created_at: number | string;
}

function toAttachment(row: AttachmentRow): Attachment {
  return {
    id: num(row.id),
    messageId: num(row.message_id),
    ticketId: num(row.ticket_id),
    // Names are made safe when stored; rows from before the naming rules get them here.
    originalName: attachmentName(row.original_name, row.content_type),
    storageKey: row.storage_key,
    size: num(row.size_bytes),
    contentType: row.content_type,
    sha256: row.sha256,
    createdAt: num(row.created_at),
  };
}

const INSERT = insertStatement(
  (t) => t.messages,
  ['ticket_id', 'author_kind', 'author_id', 'author_name', 'body', 'created_at', 'internal', 'submission_key'],
  { returning: 'id' },
);

const INSERT_ATTACHMENTS = insertStatement(
  (t) => t.attachments,
  ['message_id', 'ticket_id', 'original_name', 'storage_key', 'size_bytes', 'content_type', 'sha256', 'created_at'],
  { returning: '*' },
);

export function messageStore(knex: Knex, t: TableNames): MessageStore {
  const sql = sqlOn(knex, t);
  return {
    async insert(message: NewMessage): Promise<number> {
      const row: ValuesOf<typeof INSERT> = {
        ticket_id: message.ticketId,
        author_kind: message.authorKind,
        author_id: message.authorId,
        author_name: message.authorName,
        body: message.body,
        created_at: message.createdAt,
        internal: message.internal ? 1 : 0,
        submission_key: message.submissionKey ?? null,
      };
      return withRefusals({ unique: 'messageSubmission' }, async () => insertedId(await sql.insert(INSERT, [row])));
    },

    /** Records a message's files and returns them as stored. */
    async attach(ticketId: number, messageId: number, files: StoredFile[], createdAt: number): Promise<Attachment[]> {
      if (files.length === 0) return [];
      const rows = files.map((f) => ({
        message_id: messageId,
        ticket_id: ticketId,
        original_name: f.originalName,
        storage_key: f.storageKey,
        size_bytes: f.size,
        content_type: f.contentType,
        sha256: f.sha256,
        created_at: createdAt,
      }));
      const inserted = await withRefusals({ unique: 'attachmentStorageKey' }, () => sql.insert(INSERT_ATTACHMENTS, rows));
      // PostgreSQL and SQLite give the stored rows back with the insert; MySQL needs a second statement.
      const stored =
        dialectOf(knex) === 'mysql'
          ? await knex<AttachmentRow>(t.attachments).where('message_id', messageId)
          : (inserted.rows as unknown as AttachmentRow[]);
      return stored.map(toAttachment).sort((a, b) => a.id - b.id);
    },

    /** The thread as the audience may see it, oldest first, each message with its attachments. */
    async thread(ticketId: number, audience: Audience): Promise<Message[]> {
      // By time: a merge brings in messages whose ids fall among the ticket's own.
      const messages = knex<MessageRow>(t.messages).where('ticket_id', ticketId).orderBy(['created_at', 'id']);
      if (audience === 'customer') messages.where('internal', 0);
      const [rows, attachmentRows] = await Promise.all([
        messages,
        knex<AttachmentRow>(t.attachments).where('ticket_id', ticketId).orderBy('id'),
      ]);
      const byMessage = new Map<number, Attachment[]>();
      for (const a of attachmentRows.map(toAttachment)) {
        byMessage.set(a.messageId, [...(byMessage.get(a.messageId) ?? []), a]);
      }
      return rows.map((row) => ({
        id: num(row.id),
        ticketId: num(row.ticket_id),
        authorKind: row.author_kind as AuthorKind,
        authorId: row.author_id,
        authorName: row.author_name,
        body: row.body,
        createdAt: num(row.created_at),
        internal: Boolean(num(row.internal)),
        attachments: byMessage.get(num(row.id)) ?? [],
      }));
    },

    /** A file of the ticket; a customer never reaches the files of an internal note. */
    async findAttachment(ticketId: number, attachmentId: number, audience: Audience): Promise<Attachment | null> {
      const query = knex(t.attachments)
        .join(t.messages, `${t.messages}.id`, `${t.attachments}.message_id`)
        .where(`${t.attachments}.id`, attachmentId)
        .andWhere(`${t.attachments}.ticket_id`, ticketId)
        .first<AttachmentRow>(`${t.attachments}.*`);
      if (audience === 'customer') query.andWhere(`${t.messages}.internal`, 0);
      const row = await query;
      return row ? toAttachment(row) : null;
    },

    /** Which of these storage keys an attachment row points to. */
    async referencedKeys(keys: string[]): Promise<Set<string>> {
      const found = new Set<string>();
      // Chunks stay under every database's limit on bound parameters.
      for (let i = 0; i < keys.length; i += 500) {
        const rows = await knex(t.attachments)
          .whereIn('storage_key', keys.slice(i, i + 500))
          .select<{ storage_key: string }[]>('storage_key');
        for (const row of rows) found.add(row.storage_key);
      }
      return found;
    },

    /** The message a submission already made, if it was made. */
    async findBySubmission(ticketId: number, submissionKey: string): Promise<number | null> {
      const row = await knex(t.messages).where({ ticket_id: ticketId, submission_key: submissionKey }).first('id');
      return row ? num(row.id) : null;
    },

    async moveAll(fromTicketId: number, toTicketId: number): Promise<void> {
      await knex(t.messages).where('ticket_id', fromTicketId).update({ ticket_id: toTicketId });
      await knex(t.attachments).where('ticket_id', fromTicketId).update({ ticket_id: toTicketId });
    },
  };
}
