import type { Knex } from 'knex';
import type { Department, DepartmentRegulation, EscalationStep } from '../model/types';
import type { DepartmentDefaults, DepartmentFields, DepartmentStore } from '../model/store';
import type { Locale } from '../host';
import type { TableNames } from './tables';
import { insertReturningId, num, numOrNull } from './dialect';
import { withRefusals } from './refusals';
import { NO_REGULATION } from '../model/regulation';

/** The stored regulation over the defaults, so a field added later reads as its default. */
function regulationOf(text: string | null): DepartmentRegulation {
  return text ? { ...NO_REGULATION, ...(JSON.parse(text) as Partial<DepartmentRegulation>) } : NO_REGULATION;
}

interface DepartmentRow {
  id: number;
  code: string;
  name_ru: string;
  name_en: string;
  guidance_ru: string;
  guidance_en: string;
  keywords: string | null;
  emails: string;
  on_call_emails: string;
  mail_locale: string | null;
  is_urgent: unknown;
  escalation: string | null;
  regulation: string | null;
  is_active: unknown;
  sort_order: number;
  edited_at: unknown;
}

function toDepartment(row: DepartmentRow): Department {
  return {
    id: num(row.id),
    code: row.code,
    name: { ru: row.name_ru, en: row.name_en },
    guidance: { ru: row.guidance_ru, en: row.guidance_en },
    keywords: { ru: [], en: [], ...(row.keywords ? (JSON.parse(row.keywords) as Partial<Department['keywords']>) : {}) },
    emails: JSON.parse(row.emails) as string[],
    onCall: JSON.parse(row.on_call_emails) as string[],
    mailLocale: (row.mail_locale as Locale | null) ?? null,
    urgent: Boolean(row.is_urgent),
    escalation: row.escalation ? (JSON.parse(row.escalation) as EscalationStep[]) : [],
    regulation: regulationOf(row.regulation),
    active: Boolean(row.is_active),
    order: num(row.sort_order),
    editedAt: numOrNull(row.edited_at),
  };
}

function toRow(fields: DepartmentFields) {
  return {
    name_ru: fields.name.ru,
    name_en: fields.name.en,
    guidance_ru: fields.guidance.ru,
    guidance_en: fields.guidance.en,
    keywords: JSON.stringify(fields.keywords),
    emails: JSON.stringify(fields.emails),
    on_call_emails: JSON.stringify(fields.onCall),
    mail_locale: fields.mailLocale,
    is_urgent: fields.urgent,
    regulation: JSON.stringify(fields.regulation),
    is_active: fields.active,
    sort_order: fields.order,
  };
}

export function departmentStore(knex: Knex, t: TableNames): DepartmentStore {
  return {
    async list(options: { activeOnly: boolean }): Promise<Department[]> {
      const query = knex<DepartmentRow>(t.departments).orderBy([{ column: 'sort_order' }, { column: 'id' }]);
      if (options.activeOnly) query.where('is_active', true);
      return (await query).map(toDepartment);
    },

    async find(id: number): Promise<Department | null> {
      const row = await knex<DepartmentRow>(t.departments).where('id', id).first();
      return row ? toDepartment(row) : null;
    },

    async findByCode(code: string): Promise<Department | null> {
      const row = await knex<DepartmentRow>(t.departments).where('code', code).first();
      return row ? toDepartment(row) : null;
    },

    /**
     * Applies a department's settings (addresses, language, urgency) to its row, unless an admin
     * has saved it on the Departments page since: then the page decides.
     */
    async applySettings(code: string, settings: DepartmentDefaults): Promise<void> {
      const row: Record<string, unknown> = {
        emails: JSON.stringify(settings.emails),
        on_call_emails: JSON.stringify(settings.onCall),
        mail_locale: settings.locale ?? null,
      };
      if (settings.urgent !== undefined) row.is_urgent = settings.urgent;
      if (settings.responseMinutes !== undefined) {
        // The setting is the regulation's first-response target; the rest of it stays.
        const found = await knex<DepartmentRow>(t.departments).where('code', code).first('regulation');
        const regulation = regulationOf(found?.regulation ?? null);
        row.regulation = JSON.stringify({ ...regulation, targets: { ...regulation.targets, firstResponse: settings.responseMinutes } });
      }
      if (settings.escalation !== undefined) row.escalation = JSON.stringify(settings.escalation);
      await knex(t.departments).where('code', code).whereNull('edited_at').update(row);
    },

    create(code: string, fields: DepartmentFields, at: number): Promise<number> {
      return withRefusals({ unique: 'departmentCode' }, () =>
        insertReturningId(knex, t.departments, { code, ...toRow(fields), edited_at: at }),
      );
    },

    async update(id: number, fields: DepartmentFields, at: number): Promise<void> {
      await knex(t.departments)
        .where('id', id)
        .update({ ...toRow(fields), edited_at: at });
    },

    async setEscalation(id: number, steps: EscalationStep[], at: number): Promise<void> {
      await knex(t.departments)
        .where('id', id)
        .update({ escalation: JSON.stringify(steps), edited_at: at });
    },

    /**
     * Removes a department with its members and canned replies; a ticket still filed there makes
     * the database refuse (its foreign key). Dependents are deleted here rather than by cascade:
     * SQLite enforces foreign keys only when the host has turned them on.
     */
    async remove(id: number): Promise<void> {
      await knex(t.departmentStaff).where('department_id', id).delete();
      await knex(t.cannedReplies).where('department_id', id).delete();
      await withRefusals({ referenced: 'ticketDepartment' }, () => knex(t.departments).where('id', id).delete());
    },

    /** Tickets per department id, closed ones included; departments without any are absent. */
    async ticketCounts(): Promise<Map<number, number>> {
      const rows = (await knex(t.tickets).select('department_id').count({ n: '*' }).groupBy('department_id')) as Array<{
        department_id: unknown;
        n: unknown;
      }>;
      return new Map(rows.map((r) => [num(r.department_id), num(r.n)]));
    },

    async hasTickets(id: number): Promise<boolean> {
      return (await knex(t.tickets).where('department_id', id).first('id')) !== undefined;
    },
  };
}
