import type { Knex } from 'knex';
import type { Department } from '../domain/types';
import type { Locale } from '../host';
import type { DepartmentSettings } from '../manifest';
import type { TableNames } from './tables';
import { num } from './dialect';

interface DepartmentRow {
  id: number;
  code: string;
  name_ru: string;
  name_en: string;
  guidance_ru: string;
  guidance_en: string;
  emails: string;
  on_call_emails: string;
  mail_locale: string | null;
  is_urgent: unknown;
  is_active: unknown;
  sort_order: number;
}

function toDepartment(row: DepartmentRow): Department {
  return {
    id: num(row.id),
    code: row.code,
    name: { ru: row.name_ru, en: row.name_en },
    guidance: { ru: row.guidance_ru, en: row.guidance_en },
    emails: JSON.parse(row.emails) as string[],
    onCall: JSON.parse(row.on_call_emails) as string[],
    mailLocale: (row.mail_locale as Locale | null) ?? null,
    urgent: Boolean(row.is_urgent),
    active: Boolean(row.is_active),
    order: num(row.sort_order),
  };
}

export function departmentStore(knex: Knex, t: TableNames) {
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

    /** Applies a department's settings (addresses, language, urgency) to its row. */
    async applySettings(code: string, settings: DepartmentSettings): Promise<void> {
      const row: Record<string, unknown> = {
        emails: JSON.stringify(settings.emails),
        on_call_emails: JSON.stringify(settings.onCall),
        mail_locale: settings.locale ?? null,
      };
      if (settings.urgent !== undefined) row.is_urgent = settings.urgent;
      await knex(t.departments).where('code', code).update(row);
    },
  };
}

export type DepartmentStore = ReturnType<typeof departmentStore>;
