// The host's own strings in Russian and English, and the choice of language for a request.
import type { Locale, UserRole } from 'support-requests';

export const LOCALES: readonly Locale[] = ['ru', 'en'];
export const PANEL_NAME = 'Billing panel (demo)';

export function asLocale(value: unknown): Locale | undefined {
  if (typeof value !== 'string') return undefined;
  const tag = value.trim().toLowerCase().split(/[-_]/)[0];
  return LOCALES.find((l) => l === tag);
}

/** Languages of an Accept-Language header, best first. */
export function acceptedLanguages(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim(), q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((l) => l.tag && l.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((l) => l.tag);
}

/** The first candidate that names a supported language, else Russian. */
export function pickLocale(...candidates: Array<string | undefined>): Locale {
  for (const candidate of candidates) {
    const locale = asLocale(candidate);
    if (locale) return locale;
  }
  return 'ru';
}

export interface Strings {
  menu: string;
  waitingBadge: string;
  /** A customer's badge: their requests with an answer they have not read. */
  answersBadge: string;
  billingSection: string;
  services: string;
  language: string;
  signOut: string;
  signedInAs: string;
  demoFooter: string;
  roles: Record<UserRole, string>;
  departments: Record<string, string>;
  login: { title: string; demoNote: string; name: string; role: string; email: string; signIn: string; empty: string };
  servicesPage: {
    label: string;
    kind: string;
    status: string;
    empty: string;
    staffNote: string;
    kinds: Record<string, string>;
    statuses: Record<string, string>;
  };
  errors: Record<'notFound' | 'csrf' | 'server' | 'badRequest' | 'unreadable', { title: string; text: string }>;
  demoSection: string;
  mailbox: {
    title: string;
    menu: string;
    note: string;
    catcher: string;
    empty: string;
    refresh: string;
    received: string;
    from: string;
    to: string;
    cc: string;
    subject: string;
    noSubject: string;
    date: string;
    envelopeFrom: string;
    envelopeTo: string;
    messageId: string;
    inReplyTo: string;
    references: string;
    priority: string;
    importance: string;
    urgent: string;
    files: string;
    text: string;
    noText: string;
    html: string;
    htmlNote: string;
    back: string;
    units: [string, string, string];
    reply: {
      button: string;
      /** The button's accessible name in the list, where many sit side by side. */
      buttonFor: string;
      title: string;
      note: string;
      text: string;
      send: string;
      cancel: string;
      draftStaff: string;
      draftCustomer: string;
      quoteHeader: string;
      required: string;
      tooLong: string;
      refused: string;
      unreachable: string;
      sent: string;
      /** The confirmation's link to the request the reply landed in. */
      openRequest: string;
      outcomes: Record<'stored' | 'opened' | 'held' | 'ignored' | 'duplicate' | 'bounce' | 'other', string>;
    };
  };
}

export const strings: Record<Locale, Strings> = {
  ru: {
    menu: 'Меню',
    waitingBadge: 'Запросы, ждущие ответа',
    answersBadge: 'Запросы с новым ответом',
    billingSection: 'Биллинг',
    services: 'Услуги',
    language: 'Язык',
    signOut: 'Выйти',
    signedInAs: 'Вы вошли как',
    demoFooter: 'Демонстрационная панель для проверки плагина «Запросы в поддержку».',
    roles: { client: 'Клиент', staff: 'Сотрудник', admin: 'Администратор' },
    departments: { client_relations: 'Отдел по работе с клиентами', technical: 'Технический отдел', emergency: 'Аварийная служба' },
    login: {
      title: 'Вход',
      demoNote: 'Это демонстрационная панель: паролей нет. Выберите учётную запись, под которой хотите войти.',
      name: 'Имя',
      role: 'Роль',
      email: 'E-mail',
      signIn: 'Войти',
      empty: 'В панели нет учётных записей.',
    },
    servicesPage: {
      label: 'Услуга',
      kind: 'Тип',
      status: 'Статус',
      empty: 'У вас пока нет услуг.',
      staffNote: 'Услуги есть только у клиентов. Вы вошли как сотрудник панели; разделы для работы — в меню слева.',
      kinds: { vps: 'VPS', domain: 'Домен', hosting: 'Хостинг' },
      statuses: { active: 'активна', suspended: 'приостановлена' },
    },
    errors: {
      notFound: { title: 'Страница не найдена', text: 'Такой страницы нет. Проверьте адрес или вернитесь в меню.' },
      csrf: { title: 'Форма устарела', text: 'Обновите страницу и отправьте форму ещё раз.' },
      server: { title: 'Ошибка сервера', text: 'Что-то пошло не так. Попробуйте ещё раз чуть позже.' },
      badRequest: { title: 'Неверный запрос', text: 'Форма заполнена неверно. Вернитесь и попробуйте ещё раз.' },
      unreadable: {
        title: 'Не удалось прочитать запрос',
        text: 'Адрес или форма пришли повреждёнными. Вернитесь назад и попробуйте ещё раз.',
      },
    },
    demoSection: 'Демо',
    mailbox: {
      title: 'Почтовый ящик',
      menu: 'Почтовый ящик',
      note: 'Инструмент демо-панели: здесь видны все письма, которые отправила панель, и их видит любой вошедший пользователь. В настоящей панели такой страницы нет.',
      catcher: 'Письма принимает SMTP-ловушка на 127.0.0.1:{port}; никуда дальше они не уходят.',
      empty: 'Писем пока нет. Создайте запрос в разделе «Поддержка → Запросы», и письмо отделу появится здесь.',
      refresh: 'Обновить',
      received: 'Получено',
      from: 'От',
      to: 'Кому',
      cc: 'Копия',
      subject: 'Тема',
      noSubject: '(без темы)',
      date: 'Дата',
      envelopeFrom: 'Отправитель (SMTP)',
      envelopeTo: 'Получатели (SMTP)',
      messageId: 'Message-ID',
      inReplyTo: 'In-Reply-To',
      references: 'References',
      priority: 'X-Priority',
      importance: 'Importance',
      urgent: 'срочно',
      files: 'Вложения',
      text: 'Текст',
      noText: 'В письме нет текстовой части.',
      html: 'HTML',
      htmlNote: 'HTML-часть показана в изолированной рамке: скрипты и внешние картинки не загружаются.',
      back: '← Все письма',
      units: ['Б', 'КБ', 'МБ'],
      reply: {
        button: 'Ответить',
        buttonFor: 'Ответить на письмо «{subject}»',
        title: 'Ответ на письмо',
        note: 'Ответ уйдёт от имени того, кому адресовано письмо, на MX демо-панели (127.0.0.1:{port}), как из его почтовой программы. MX передаёт письмо плагину.',
        text: 'Текст письма',
        send: 'Отправить',
        cancel: 'Отмена',
        draftStaff: 'Здравствуйте!\n\nПроверили: сейчас всё работает. Если ошибка повторится, ответьте на это письмо.',
        draftCustomer: 'Спасибо! Сейчас всё работает.',
        quoteHeader: '{date}, {who} пишет:',
        required: 'Напишите текст ответа.',
        tooLong: 'Ответ длиннее {max} символов. Сократите его.',
        refused: 'MX не принял письмо: {response}',
        unreachable: 'MX демо-панели не отвечает ({reason}). Перезапустите демо и попробуйте ещё раз.',
        sent: 'Ответ от {from} отправлен на {to}.',
        openRequest: 'Открыть запрос №{number}',
        outcomes: {
          stored: 'Плагин добавил его в запрос №{number}.',
          opened: 'Плагин открыл по нему запрос №{number}.',
          held: 'Плагин отложил его для администратора (причина: {reason}).',
          ignored: 'Плагин пропустил его ({reason}).',
          duplicate: 'Плагин уже принимал это письмо.',
          bounce: 'Плагин записал его как отчёт о недоставке.',
          other: 'MX ответил: {response}',
        },
      },
    },
  },
  en: {
    menu: 'Menu',
    waitingBadge: 'Requests waiting for an answer',
    answersBadge: 'Requests with a new answer',
    billingSection: 'Billing',
    services: 'Services',
    language: 'Language',
    signOut: 'Sign out',
    signedInAs: 'Signed in as',
    demoFooter: 'A demo panel for trying the Support requests plugin.',
    roles: { client: 'Customer', staff: 'Staff', admin: 'Administrator' },
    departments: { client_relations: 'Client relations', technical: 'Technical support', emergency: 'Emergency' },
    login: {
      title: 'Sign in',
      demoNote: 'This is a demo panel: there are no passwords. Pick the account to sign in as.',
      name: 'Name',
      role: 'Role',
      email: 'E-mail',
      signIn: 'Sign in',
      empty: 'The panel has no accounts.',
    },
    servicesPage: {
      label: 'Service',
      kind: 'Kind',
      status: 'Status',
      empty: 'You have no services yet.',
      staffNote: 'Only customers have services. You are signed in as panel staff; your sections are in the menu on the left.',
      kinds: { vps: 'VPS', domain: 'Domain', hosting: 'Hosting' },
      statuses: { active: 'active', suspended: 'suspended' },
    },
    errors: {
      notFound: { title: 'Page not found', text: 'There is no such page. Check the address or use the menu.' },
      csrf: { title: 'The form has expired', text: 'Reload the page and send the form again.' },
      server: { title: 'Server error', text: 'Something went wrong. Please try again a little later.' },
      badRequest: { title: 'Bad request', text: 'The form was not filled in correctly. Go back and try again.' },
      unreadable: { title: 'The request could not be read', text: 'The address or the form arrived damaged. Go back and try again.' },
    },
    demoSection: 'Demo',
    mailbox: {
      title: 'Mailbox',
      menu: 'Mailbox',
      note: 'A demo panel tool: every e-mail the panel sent is here, and every signed-in user can see it. A real panel has no such page.',
      catcher: 'E-mail is received by an SMTP catcher on 127.0.0.1:{port}; it goes nowhere else.',
      empty: 'No e-mail yet. Create a request under Support → Requests and the department’s e-mail shows up here.',
      refresh: 'Refresh',
      received: 'Received',
      from: 'From',
      to: 'To',
      cc: 'Cc',
      subject: 'Subject',
      noSubject: '(no subject)',
      date: 'Date',
      envelopeFrom: 'Sender (SMTP)',
      envelopeTo: 'Recipients (SMTP)',
      messageId: 'Message-ID',
      inReplyTo: 'In-Reply-To',
      references: 'References',
      priority: 'X-Priority',
      importance: 'Importance',
      urgent: 'urgent',
      files: 'Attachments',
      text: 'Text',
      noText: 'The e-mail has no text part.',
      html: 'HTML',
      htmlNote: 'The HTML part is shown in an isolated frame: no scripts run and no remote images load.',
      back: '← All e-mail',
      units: ['B', 'KB', 'MB'],
      reply: {
        button: 'Reply',
        buttonFor: 'Reply to “{subject}”',
        title: 'Reply',
        note: 'The reply goes out as the person the e-mail was addressed to, to the demo panel’s MX (127.0.0.1:{port}), as from their mail client. The MX hands it to the plugin.',
        text: 'Message',
        send: 'Send',
        cancel: 'Cancel',
        draftStaff: 'Hello,\n\nWe have checked: everything works now. If the error comes back, reply to this e-mail.',
        draftCustomer: 'Thank you! Everything works now.',
        quoteHeader: 'On {date}, {who} wrote:',
        required: 'Write the reply.',
        tooLong: 'The reply is longer than {max} characters. Please shorten it.',
        refused: 'The MX did not take the e-mail: {response}',
        unreachable: 'The demo panel’s MX does not answer ({reason}). Restart the demo and try again.',
        sent: 'The reply from {from} went to {to}.',
        openRequest: 'Open request #{number}',
        outcomes: {
          stored: 'The plugin added it to request #{number}.',
          opened: 'The plugin opened request #{number} from it.',
          held: 'The plugin held it for an admin (reason: {reason}).',
          ignored: 'The plugin ignored it ({reason}).',
          duplicate: 'The plugin had taken this e-mail before.',
          bounce: 'The plugin recorded it as a delivery report.',
          other: 'The MX answered: {response}',
        },
      },
    },
  },
};
