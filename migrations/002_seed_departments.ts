// The three departments of the "how to contact support" page, with its guidance on which is for what.
import type { Knex } from 'knex';
import type { TableNames } from '../src/store/tables';

const departments = [
  {
    code: 'client_relations',
    name_ru: 'Отдел по работе с клиентами',
    name_en: 'Client relations',
    guidance_ru:
      'Все вопросы нетехнического характера: оплата и пополнение баланса, покупка услуги, смена тарифа, реферальная программа.',
    guidance_en:
      'Anything non-technical: payments and balance top-ups, buying a service, changing a tariff, the referral programme.',
    is_urgent: false,
    sort_order: 10,
  },
  {
    code: 'technical',
    name_ru: 'Технический отдел',
    name_en: 'Technical',
    guidance_ru: 'Работа оборудования и сети, консультации и другие технические вопросы.',
    guidance_en: 'How the hardware and the network work, consultations and other technical questions.',
    is_urgent: false,
    sort_order: 20,
  },
  {
    code: 'emergency',
    name_ru: 'Аварийная служба',
    name_en: 'Emergency',
    guidance_ru:
      'Как технический отдел, но только для критичных проблем, которые требуют немедленного решения.',
    guidance_en: 'Like Technical, but only for critical problems that need action right now.',
    is_urgent: true,
    sort_order: 30,
  },
];

export async function up(knex: Knex, t: TableNames): Promise<void> {
  await knex(t.departments).insert(departments.map((d) => ({ ...d, emails: '[]', is_active: true })));
}

export async function down(knex: Knex, t: TableNames): Promise<void> {
  await knex(t.departments).whereIn('code', departments.map((d) => d.code)).delete();
}
