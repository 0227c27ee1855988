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
    // JSON: per language, keyword groups ({ topic, words }) the create form suggests the
    // department by. Null: none.
    table.text('keywords').nullable();
    // JSON arrays of addresses. Urgent mail also goes to the on-call ones.
    table.string('emails', 2000).notNullable().defaultTo('[]');
    table.string('on_call_emails', 2000).notNullable().defaultTo('[]');
    // The language of the department's mail; null: the plugin's default.
    table.string('mail_locale', 8).nullable();
    table.boolean('is_urgent').notNullable().defaultTo(false);
    // JSON: the emergency escalation steps, in order: [{ afterMinutes, to: [addresses] | "admins" }].
    // Whom an urgent request pages when nobody has acknowledged it that many minutes after it was opened.
    table.string('escalation', 2000).notNullable().defaultTo('[]');
    // JSON: its response regulation (DepartmentRegulation in src/model/types.ts): targets in
    // working minutes, a priority's own, the working hours (null: round the clock), the warning share.
    table.text('regulation').nullable();
    table.boolean('is_active').notNullable().defaultTo(true);
    table.integer('sort_order').notNullable().defaultTo(0);
    // When an admin last saved it on the Departments page: from then on the page, not
    // settings.departments, decides its addresses, language and urgency.
    table.bigInteger('edited_at').nullable();
    table.unique(['code'], { indexName: t.key('dep_code_uq') });
  });
  // One multi-row insert: every row names every column (escalation too), or a missing one is NULL.
  await knex(t.departments).insert(
    STANDARD_DEPARTMENTS.map(({ keywords, ...row }) => ({ escalation: '[]', ...row, keywords: JSON.stringify(keywords) })),
  );
}

export async function down(knex: Knex, t: MigrationTables): Promise<void> {
  await knex.schema.dropTable(t.departments);
}

/** A keyword group: its topic, and its words separated by commas. */
const group = (topic: string, words: string) => ({ topic, words: words.split(/\s*,\s*/) });

/**
 * The three departments of the support page. Their keywords are stems (a word matches when it
 * starts with one) and phrases; "не работает" is Technical's and Emergency's alike, so the other
 * words decide ("почта" Technical, "срочно" Emergency). Exported for the suggestion's tests.
 */
export const STANDARD_DEPARTMENTS = [
  {
    code: 'client_relations',
    name_ru: 'Отдел по работе с клиентами',
    name_en: 'Client relations',
    guidance_ru: 'Все вопросы нетехнического характера: оплата и пополнение баланса, покупка услуги, смена тарифа, реферальная программа.',
    guidance_en:
      'Anything non-technical: payments and balance top-ups, buying a service, switching to another plan, the referral programme.',
    keywords: {
      ru: [
        group(
          'об оплате',
          'оплат, платёж, заплат, доплат, счёт, баланс, пополн, деньг, денег, списал, списан, возврат, вернуть деньги, чек, квитанц',
        ),
        group('о тарифе', 'тариф, продлен, продлить, стоимост, сколько стоит, скидк, промокод, прайс'),
        group('о покупке услуги', 'купить, куплю, купил, покупк, приобре, заказать, заказал'),
        group('о реферальной программе', 'реферал, партнёрск, пригласи друга'),
        group('о документах', 'договор, акт сверки, закрывающ, реквизит, счёт-фактур'),
      ],
      en: [
        group('about payment', 'pay, paid, invoice, bill, balance, top up, refund, charged, money, receipt, credit card'),
        group('about your plan', 'tariff, plan, upgrade, downgrade, renew, price, pricing, cost, how much, discount, promo, coupon'),
        group('about buying a service', 'buy, bought, purchase'),
        group('about the referral programme', 'referral, affiliate'),
        group('about documents', 'contract, vat'),
      ],
    },
    is_urgent: false,
    sort_order: 10,
  },
  {
    code: 'technical',
    name_ru: 'Технический отдел',
    name_en: 'Technical',
    guidance_ru: 'Работа оборудования и сети, консультации и другие технические вопросы.',
    guidance_en: 'Hardware and network operation, technical consultations and other technical questions.',
    keywords: {
      ru: [
        group('о настройке', 'настро, установ, переустанов, конфиг, перенос, перенест, консультац'),
        group('о сети', 'сеть, сети, сетев, dns, днс, ip, пинг, ping, трафик, маршрут, порт, фаервол, firewall, rdns, ptr'),
        group('о почте', 'почт, smtp, imap, спам'),
        group('о доступе', 'доступ, ssh, sftp, ftp, rdp, vnc, root, парол'),
        group('о сервере', 'перезагруз, ребут, reboot, диск, памят, процессор, cpu, нагрузк, тормоз, медленн, скорост, оборудован'),
        group('о резервных копиях', 'бэкап, бекап, backup, резервн'),
        group('о сайте', 'cms, wordpress, php, mysql, база данных, базы данных, nginx, apache, htaccess, ssl, сертификат, https'),
        group('о неполадке', 'ошибк, error, не работает, не работают'),
      ],
      en: [
        group('about setup', 'configur, setup, set up, install, settings, migrat, consult'),
        group('about the network', 'network, dns, ip, ping, latency, traffic, port, firewall, route, rdns, ptr'),
        group('about e-mail', 'mail, email, smtp, imap, spam'),
        group('about access', 'access, ssh, sftp, ftp, rdp, vnc, root, password'),
        group('about the server', 'reboot, restart, kernel, disk, memory, cpu, load, slow, speed, hardware, reinstall'),
        group('about backups', 'backup, restore, snapshot'),
        group('about the site', 'cms, wordpress, php, mysql, database, nginx, apache, htaccess, ssl, certificate, https'),
        group('about a fault', 'error, not working, doesn’t work, does not work'),
      ],
    },
    is_urgent: false,
    sort_order: 20,
  },
  {
    code: 'emergency',
    name_ru: 'Аварийная служба',
    name_en: 'Emergency',
    guidance_ru: 'Как технический отдел, но только для критичных проблем, которые требуют немедленного решения.',
    guidance_en: 'Like Technical, but only for critical problems that need action right now.',
    keywords: {
      ru: [
        group(
          'о сбое',
          'упал, упало, упала, лежит, лежат, недоступ, не доступ, не открыва, не отвеча, не грузит, не загружа, не запуска, не работает, не работают, сбой, сбои, сбоя, авари, сломал, 502, 503, 504',
        ),
        group('о срочной проблеме', 'срочн, немедленн, критичн, горит, потеря данных, потеряли данные'),
        group('об атаке', 'ddos, ддос, атак, взлом, вирус, заражен, майнер'),
      ],
      en: [
        group(
          'about an outage',
          'is down, went down, are down, site down, server down, downtime, outage, unreachable, unavailable, not responding, not loading, crash, offline, not working, doesn’t work, does not work, 502, 503, 504',
        ),
        group('about an urgent problem', 'urgent, asap, emergency, critical, immediately, data loss, lost data'),
        group('about an attack', 'ddos, attack, hacked, hack, breach, malware, virus, compromised'),
      ],
    },
    is_urgent: true,
    // The admins after a quarter of an hour of silence; settings.departments.emergency.escalation
    // (or the Departments page) adds a second on-call list before them.
    escalation: JSON.stringify([{ afterMinutes: 15, to: 'admins' }]),
    sort_order: 30,
  },
];
