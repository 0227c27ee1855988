import type { Knex } from 'knex';
import type { Attachment, AuthorKind, Message, StoredFile } from '../domain/types';
import type { TableNames } from './tables';
import { insertReturningId, num } from './dialect';

interface MessageRow {
  id: number;
  ticket_id: number;
  author_kind: string;
  author_id: string;
  author_name: string;
  body: string;
  created_at: number | string;
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

export type NewMessageRow = Omit<Message, 'id' | 'attachments'>;

function toAttachment(row: AttachmentRow): Attachment {
  return {
    id: num(row.id),
    messageId: num(row.message_id),
    ticketId: num(row.ticket_id),
    originalName: row.original_name,
    storageKey: row.storage_key,
    size: num(row.size_bytes),
    contentType: row.content_type,
    sha256: row.sha256,
    createdAt: num(row.created_at),
  };
}

export function messageStore(knex: Knex, t: TableNames) {
  return {
    async insert(message: NewMessageRow): Promise<number> {
      return insertReturningId(knex, t.messages, {
        ticket_id: message.ticketId,
        author_kind: message.authorKind,
        author_id: message.authorId,
        author_name: message.authorName,
        body: message.body,
        created_at: message.createdAt,
      });
    },

    /** Records a message's files and returns them as stored. */
    async attach(ticketId: number, messageId: number, files: StoredFile[], createdAt: number): Promise<Attachment[]> {
      if (files.length === 0) return [];
      await knex(t.attachments).insert(
        files.map((f) => ({
          message_id: messageId,
          ticket_id: ticketId,
          original_name: f.originalName,
          storage_key: f.storageKey,
          size_bytes: f.size,
          content_type: f.contentType,
          sha256: f.sha256,
          created_at: createdAt,
        })),
      );
      return (await knex<AttachmentRow>(t.attachments).where('message_id', messageId).orderBy('id')).map(toAttachment);
    },

    /** The whole thread, oldest first, each message with its attachments. */
    async thread(ticketId: number): Promise<Message[]> {
      const [rows, attachmentRows] = await Promise.all([
        knex<MessageRow>(t.messages).where('ticket_id', ticketId).orderBy('id'),
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
        attachments: byMessage.get(num(row.id)) ?? [],
      }));
    },

    async findAttachment(ticketId: number, attachmentId: number): Promise<Attachment | null> {
      const row = await knex<AttachmentRow>(t.attachments).where({ id: attachmentId, ticket_id: ticketId }).first();
      return row ? toAttachment(row) : null;
    },
  };
}

export type MessageStore = ReturnType<typeof messageStore>;
