// Canned replies: a department's ready answers.
import type { Knex } from 'knex';
import type { CannedReply } from '../model/types';
import type { CannedReplyFields, CannedReplyStore } from '../model/store';
import type { Locale } from '../host';
import type { TableNames } from './tables';
import { insertReturningId, num } from './dialect';
import { withRefusals } from './refusals';

function toReply(row: Record<string, unknown>): CannedReply {
  return {
    id: num(row.id),
    departmentId: num(row.department_id),
    title: String(row.title),
    body: String(row.body),
    locale: (row.locale as Locale | null) ?? null,
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  };
}

const toRow = (fields: CannedReplyFields) => ({
  department_id: fields.departmentId,
  title: fields.title,
  body: fields.body,
  locale: fields.locale,
});

export function cannedReplyStore(knex: Knex, t: TableNames): CannedReplyStore {
  return {
    /** One department's replies, or every department's when departmentId is null; by title. */
    async list(departmentId: number | null): Promise<CannedReply[]> {
      const query = knex(t.cannedReplies).orderBy([{ column: 'department_id' }, { column: 'title' }, { column: 'id' }]);
      if (departmentId !== null) query.where('department_id', departmentId);
      return (await query).map(toReply);
    },

    async find(id: number): Promise<CannedReply | null> {
      const row = await knex(t.cannedReplies).where('id', id).first();
      return row ? toReply(row) : null;
    },

    create(fields: CannedReplyFields, at: number): Promise<number> {
      return withRefusals({ missing: 'cannedDepartment' }, () =>
        insertReturningId(knex, t.cannedReplies, { ...toRow(fields), created_at: at, updated_at: at }),
      );
    },

    /** False when there is no such reply. */
    async update(id: number, fields: CannedReplyFields, at: number): Promise<boolean> {
      return (
        (await withRefusals({ missing: 'cannedDepartment' }, () =>
          knex(t.cannedReplies)
            .where('id', id)
            .update({ ...toRow(fields), updated_at: at }),
        )) > 0
      );
    },

    async remove(id: number): Promise<boolean> {
      return (await knex(t.cannedReplies).where('id', id).delete()) > 0;
    },
  };
}
