// Departments, and the three of the "how to contact support" page, with its guidance on which is
// for what. Admins edit them on the Departments page; settings.departments fills their addresses
// until then.
import type { Knex } from 'knex';
import { createTable, type MigrationTables } from './_shared';

export async function up(knex: Knex, t: MigrationTables): Promise<void> {
  await createTable(knex, t.departments, (table) => {
    table.increments('id').primary();
    table.string('code', 32).notNullable();
    table.string('name_ru', 100).notNullable();
    table.string('name_en', 100).notNullable();
    table.text('guidance_ru').notNullable();
    table.text('guidance_en').notNullable();
    // JSON arrays of addresses. Urgent mail also goes to the on-call ones.
    table.string('emails', 2000).notNullable().defaultTo('[]');
    table.string('on_call_emails', 2000).notNullable().defaultTo('[]');
    // The language of the department's mail; null: the plugin's default.
    table.string('mail_locale', 8).nullable();
    table.boolean('is_urgent').notNullable().defaultTo(false);
    // How soon it usually answers, in minutes, as customers are told; null: not said.
    table.integer('response_minutes').nullable();
    table.boolean('is_active').notNullable().defaultTo(true);
    table.integer('sort_order').notNullable().defaultTo(0);
    // When an admin last saved it on the Departments page: from then on the page, not
    // settings.departments, decides its addresses, language and urgency.
    table.bigInteger('edited_at').nullable();
    table.unique(['code'], { indexName: t.key('dep_code_uq') });
  });
  await knex(t.departments).insert(SEED);
}

export async function down(knex: Knex, t: MigrationTables): Promise<void> {
  await knex.schema.dropTable(t.departments);
}

const SEED = [
  {
    code: 'client_relations',
    name_ru: 'Отдел по работе с клиентами',
    name_en: 'Client relations',
    guidance_ru: 'Все вопросы нетехнического характера: оплата и пополнение баланса, покупка услуги, смена тарифа, реферальная программа.',
    guidance_en: 'Anything non-technical: payments and balance top-ups, buying a service, changing a tariff, the referral programme.',
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
    guidance_ru: 'Как технический отдел, но только для критичных проблем, которые требуют немедленного решения.',
    guidance_en: 'Like Technical, but only for critical problems that need action right now.',
    is_urgent: true,
    sort_order: 30,
  },
];
