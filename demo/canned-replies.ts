// The demo's canned replies: a few per department in Russian and English, as a hosting
// provider's support writes them, so a staff member trying the demo has something to insert.
// Written once into the plugin's empty canned-replies table after it migrated. A real panel's
// admins write theirs on the plugin's Canned replies page; the demo has no admin to do that
// before its first visitor, so it writes the rows itself, as an import from a previous helpdesk would.
import type { Knex } from 'knex';

interface Seed {
  department: string;
  locale: 'ru' | 'en';
  title: string;
  body: string;
}

const SEEDS: Seed[] = [
  {
    department: 'client_relations',
    locale: 'ru',
    title: 'Платёж зачислен',
    body: `Здравствуйте, {customer_name}!

Платёж зачислен на ваш лицевой счёт, баланс в Биллинге уже обновлён. Если услуга была приостановлена из-за неоплаты, она включится автоматически в течение 15 минут.

Если услуга не заработала, просто ответьте на это письмо — проверим вручную.

С уважением,
отдел по работе с клиентами`,
  },
  {
    department: 'client_relations',
    locale: 'ru',
    title: 'Смена тарифа',
    body: `Здравствуйте, {customer_name}!

Сменить тариф услуги «{service}» можно самостоятельно: Биллинг → Услуги → выберите услугу → «Сменить тариф». Стоимость пересчитывается за оставшиеся дни оплаченного периода, доплата или остаток появятся на балансе сразу.

Если подходящего тарифа нет в списке, напишите, что вам нужно (процессор, память, диск), — подберём вариант.

С уважением,
отдел по работе с клиентами`,
  },
  {
    department: 'client_relations',
    locale: 'en',
    title: 'Payment received',
    body: `Hello {customer_name},

Your payment has been credited to your account and the balance in the billing panel is up to date. If a service was suspended for non-payment, it will be switched back on automatically within 15 minutes.

If it does not come back, just reply to this message and we will check it by hand.

Kind regards,
Client relations`,
  },
  {
    department: 'client_relations',
    locale: 'en',
    title: 'Changing your plan',
    body: `Hello {customer_name},

You can change the plan of "{service}" yourself: Billing → Services → choose the service → "Change plan". The price is recalculated for the days left in the paid period, and the difference shows on your balance straight away.

If none of the plans fits, tell us what you need (CPU, memory, disk) and we will suggest one.

Kind regards,
Client relations`,
  },
  {
    department: 'technical',
    locale: 'ru',
    title: 'Нужны подробности',
    body: `Здравствуйте, {customer_name}!

Чтобы быстрее разобраться, пришлите, пожалуйста:
- когда вы заметили проблему (дата и время);
- адрес сайта или IP-адрес сервера;
- текст ошибки или снимок экрана;
- что менялось на сервере накануне (обновления, настройки, новые модули).

Пароли в запрос не пишите: если понадобится доступ, мы попросим создать временного пользователя.

Техническая поддержка, запрос №{number}`,
  },
  {
    department: 'technical',
    locale: 'ru',
    title: 'Сервер перезагружен: не хватило памяти',
    body: `Здравствуйте, {customer_name}!

Мы перезагрузили «{service}»: сервер отвечает, сайт открывается. Причина сбоя — нехватка оперативной памяти: процессы PHP-FPM заняли всю память, и система начала завершать процессы.

Чтобы это не повторилось, рекомендуем уменьшить pm.max_children в настройках PHP-FPM или перейти на тариф с большим объёмом памяти.

Запрос №{number} оставим открытым, пока вы не подтвердите, что всё работает.

Техническая поддержка`,
  },
  {
    department: 'technical',
    locale: 'en',
    title: 'We need more details',
    body: `Hello {customer_name},

To get to the bottom of this quickly, please send us:
- when you noticed the problem (date and time);
- the site's address or the server's IP address;
- the error message or a screenshot;
- what changed on the server shortly before (updates, settings, new modules).

Please do not put passwords in the request: if we need access, we will ask you to create a temporary user.

Technical support, request #{number}`,
  },
  {
    department: 'technical',
    locale: 'en',
    title: 'Server restarted: out of memory',
    body: `Hello {customer_name},

We have restarted "{service}": the server responds and the site loads again. It ran out of memory: the PHP-FPM workers took all of it and the system started killing processes.

To keep it from happening again, lower pm.max_children in the PHP-FPM settings or move to a plan with more memory.

We will keep request #{number} open until you confirm everything works.

Technical support`,
  },
  {
    department: 'emergency',
    locale: 'ru',
    title: 'Авария принята в работу',
    body: `Здравствуйте, {customer_name}!

Дежурный инженер уже занимается проблемой с услугой «{service}». Следующее сообщение о ходе работ пришлём не позже чем через 30 минут, даже если новостей ещё не будет.

Аварийная служба, запрос №{number}`,
  },
  {
    department: 'emergency',
    locale: 'ru',
    title: 'Работа восстановлена',
    body: `Здравствуйте, {customer_name}!

Работа услуги «{service}» восстановлена. Причина сбоя: [опишите причину]. Данные не пострадали.

Подробный разбор пришлём в течение суток. Приносим извинения за простой.

Аварийная служба, запрос №{number}`,
  },
  {
    department: 'emergency',
    locale: 'en',
    title: 'Incident acknowledged',
    body: `Hello {customer_name},

The engineer on duty is already working on the problem with "{service}". We will send the next update within 30 minutes, even if there is nothing new by then.

Emergency team, request #{number}`,
  },
  {
    department: 'emergency',
    locale: 'en',
    title: 'Service restored',
    body: `Hello {customer_name},

"{service}" is working again. Cause: [describe the cause]. No data was lost.

We will send a full write-up within a day. We apologise for the downtime.

Emergency team, request #{number}`,
  },
];

/** Writes the demo's canned replies once, into the plugin's canned-replies table while it is empty. */
export async function seedCannedReplies(knex: Knex, tablePrefix: string): Promise<void> {
  const table = `${tablePrefix}canned_replies`;
  await knex.transaction(async (trx) => {
    const row = await trx(table).count({ n: '*' }).first();
    if (Number(row?.n ?? 0) > 0) return;
    const departments = (await trx(`${tablePrefix}departments`).select('id', 'code')) as Array<{ id: number; code: string }>;
    const idOf = new Map(departments.map((d) => [d.code, Number(d.id)]));
    const at = Date.now();
    const rows = SEEDS.filter((s) => idOf.has(s.department)).map((s) => ({
      department_id: idOf.get(s.department),
      title: s.title,
      body: s.body,
      locale: s.locale,
      created_at: at,
      updated_at: at,
    }));
    if (rows.length > 0) await trx(table).insert(rows);
  });
}
