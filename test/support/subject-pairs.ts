// Real-life subject/message pairs on each side of the subject rule, shared by the unit and HTTP tests.

export interface SubjectPair {
  subject: string;
  message: string;
  /** Why it belongs on its side of the line. */
  why: string;
}

/** The message adds nothing to the subject: refused. */
export const refusedPairs: SubjectPair[] = [
  { subject: 'Не работает сайт', message: 'не работает  сайт!', why: 'the same text, other case and spacing' },
  { subject: 'VPS down', message: 'VPS down.', why: 'the same text with a full stop' },
  { subject: 'Пополнение баланса', message: 'Пополнение баланса', why: 'the same text' },
  { subject: 'Ёмкость диска закончилась', message: 'Емкость диска закончилась', why: 'ё and е are the same letter here' },
  { subject: 'Не работает почта', message: 'Здравствуйте! Не работает почта.', why: 'a greeting added' },
  { subject: 'Почта не работает', message: 'Не работает почта, помогите', why: 'the same words reordered, one word added' },
  { subject: 'Сайт не открывается', message: 'Сайт не открывается. Срочно!!!', why: 'one word of urgency added' },
  {
    subject: 'Нужен возврат средств',
    message: 'Добрый день, нужен возврат средств. Спасибо.',
    why: 'greeting and thanks: three words added',
  },
  { subject: 'Server down', message: 'Hello, server down. Please help!', why: 'three filler words added' },
  { subject: 'Refund request', message: 'Refund request, please', why: 'one word added' },
  { subject: 'Cannot log in to the panel', message: 'cannot log in to the panel!!!', why: 'the same text, shouted' },
  { subject: 'SSL certificate expired', message: 'Hi, SSL certificate expired. Thanks', why: 'greeting and thanks added' },
];

/** The message says more than the subject: accepted without a word. */
export const acceptedPairs: SubjectPair[] = [
  { subject: 'VPS down', message: 'VPS down since 09:40, ping times out…', why: 'the subject opens the message, which goes on (issue 10)' },
  {
    subject: 'Не открывается сайт на VPS',
    message: 'Не открывается сайт на VPS, после перезагрузки сервер не отвечает по SSH и по HTTP.',
    why: 'the subject opens the message, which goes on (issue 10)',
  },
  { subject: 'Сайт недоступен', message: 'Сайтом никто не может пользоваться с утра.', why: 'only a shared stem' },
  { subject: 'Сайт не открывается', message: 'Сайт не открывается с 09:40', why: 'few words added, but one is a time' },
  { subject: 'Сайт не открывается', message: 'Сайт не открывается у клиентов из Казахстана', why: 'four words added: more than a few' },
  {
    subject: 'Пополнение баланса',
    message: 'Пополнил баланс картой 12.11, деньги списались, а на балансе 0.',
    why: 'other words, with details',
  },
  {
    subject: 'Смена тарифа',
    message: 'Смена тарифа: хочу перейти с Cloud-2 на Cloud-4 со следующего месяца.',
    why: 'the subject opens a detailed message',
  },
  {
    subject: 'Возврат средств',
    message: 'Прошу вернуть средства за неиспользованный период по VPS Cloud-2.',
    why: 'the same request in other words, with details',
  },
  {
    subject: 'Не работает почта',
    message: 'Не работает почта на домене petrov-shop.ru: письма не уходят, ошибка 550.',
    why: 'the subject opens a detailed message',
  },
  {
    subject: 'Card payment failed',
    message: 'Card payment failed with error 05, I tried two different cards.',
    why: 'the subject opens a detailed message',
  },
  { subject: 'DNS', message: 'DNS records for petrov-shop.ru do not update after 24 hours.', why: 'a one-word subject opens the message' },
  {
    subject: 'Slow disk',
    message: 'Slow disk: iowait is at 80% on svc-101 since the migration.',
    why: 'the subject opens a detailed message',
  },
  {
    subject: 'Domain renewal',
    message: 'Please renew petrov-shop.ru for two years and charge my balance.',
    why: 'the subject is not in the message at all',
  },
  { subject: 'Backups missing', message: 'There are no backups of my VPS in the panel since Monday.', why: 'other words' },
];

/** A long subject copied from the message: the form warns once, then sends it as it is. */
export const warnedPairs: SubjectPair[] = [
  {
    subject: 'После перезагрузки сервер не отвечает по SSH и по HTTP, сайт не открывается',
    message:
      'После перезагрузки сервер не отвечает по SSH и по HTTP, сайт не открывается. Перезагрузку делал из панели в 09:40, консоль VNC показывает чёрный экран.',
    why: 'the first sentence copied, more than 8 words',
  },
  {
    subject: 'Payment went through but my balance has not been topped up yet',
    message: 'Payment went through but my balance has not been topped up yet. I paid 1500 RUB by card on 12 November, invoice 4471.',
    why: 'the first sentence copied, more than 8 words',
  },
  {
    subject: 'Здравствуйте. Сайт petrov-shop.ru отдаёт ошибку 502 после обновления',
    message: 'Здравствуйте. Сайт petrov-shop.ru отдаёт ошибку 502 после обновления. Логи nginx прикладываю, перезапуск php-fpm не помог.',
    why: 'over 60 characters copied from the opening',
  },
  {
    subject: 'the database server on my VPS runs out of memory every night',
    message: 'Hello! The database server on my VPS runs out of memory every night. It happens at 03:00, when the backup starts.',
    why: 'a sentence after the greeting copied',
  },
];
