// Lines that start quoted history, a forwarded message or a signature, as Russian mail clients and
// Outlook write them. email-reply-parser knows the English ones ("On ... wrote:", "-----Original
// Message-----", "From: Name <address>", "-- ", "Sent from my iPhone") and a few other languages;
// these are the ones it misses. Each is tested on one line (at most LINE_LIMIT characters), with
// patterns that cannot backtrack far.

/** Longer lines are text: no client writes a header or a sign-off that long. */
export const LINE_LIMIT = 1000;

const TIME = /\b\d{1,2}:\d{2}\b/;
const YEAR = /\b(?:19|20)\d{2}\b/;
/** Clients start an attribution with the date: a number ("26.11.2026", "2026-11-26", "26 нояб.") or a weekday ("чт,", "Четверг,"). */
const DATE_FIRST =
  /^(?:\d|(?:пн|вт|ср|чт|пт|сб|вс|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,)/i;

/**
 * An attribution line before a quote, as a client writes it:
 * - Thunderbird, Roundcube: "26.11.2026 10:15, Служба поддержки пишет:" / "... писал(а):";
 * - Apple Mail: "26 нояб. 2026 г., в 10:15, Иван <ivan@example.com> написал(а):";
 * - Gmail: "чт, 26 нояб. 2026 г. в 10:15, Иван <ivan@example.com>:";
 * - Yandex: "26.11.2026, 10:15, "Иван" <ivan@example.com>:";
 * - Mail.ru: "Четверг, 26 ноября 2026, 10:15 +03:00 от Иван <ivan@example.com>:";
 * - The Bat!: "Вы писали 26 ноября 2026 г., 10:15:".
 * It starts with the date, names a year and a time, and ends with a verb and a colon or with an
 * address and a colon; a sentence someone typed ("В 10:15 ваш сотрудник написал:") does not.
 */
export function isAttribution(line: string): boolean {
  const text = line.trim();
  if (text.length > LINE_LIMIT || !text.endsWith(':')) return false;
  if (/^Вы писали \S.*\d:$/.test(text)) return true;
  if (!DATE_FIRST.test(text) || !YEAR.test(text) || !TIME.test(text)) return false;
  return /(?:написал\(а\)|написала?|пишет|писал\(а\)|писала?|wrote)\s*:$/i.test(text) || /<\s*[^<>\s@]+@[^<>\s]+\s*>\s*:$/.test(text);
}

/**
 * The first line of Outlook's block about the message answered, which everything below belongs to:
 * "From:/От:" followed within three lines by "Sent:/Отправлено:/Date:/Дата:". Outlook writes it with
 * or without the address, after a rule or "-----Original Message-----", in the language of its menus.
 */
export function isOutlookHeaderBlock(lines: readonly string[], index: number): boolean {
  // After a blank line or a rule: pasted message headers ("Received: ...", "From: ...") are not a reply's history.
  if (index > 0 && !/^[\s_\-=*]*$/.test(lines[index - 1] ?? '') && !isOriginalMessageSeparator(lines[index - 1] ?? '')) return false;
  if (!/^\s*\*?(?:From|От|Von|De)\s*:\*?\s*\S/i.test(lines[index] ?? '')) return false;
  return lines.slice(index + 1, index + 4).some((line) => /^\s*\*?(?:Sent|Date|Отправлено|Дата|Gesendet|Envoyé)\s*:\*?\s*\S/i.test(line));
}

/** A separator line before the message answered, in the clients' Russian and English wording. */
export function isOriginalMessageSeparator(line: string): boolean {
  return /^\s*-{2,}\s*(?:Original Message|Исходное сообщение|Оригинальное сообщение|Исходное письмо)\s*-{2,}\s*$/i.test(line);
}

/** The start of a forwarded message: what follows is what the sender means to show us, kept whole. */
export function isForwardMarker(line: string): boolean {
  const text = line.trim();
  return (
    /^-{2,}\s*(?:Forwarded message|Пересылаемое сообщение|Пересланное сообщение|Перенаправленное сообщение|Переадресованное сообщение)\s*-{2,}$/i.test(
      text,
    ) || /^(?:Begin forwarded message|Начало переадресованного сообщения|Начало пересылаемого сообщения)\s*:$/i.test(text)
  );
}

/** A subject that says the message is forwarded: "Fwd:", "Fw:", Outlook's "FW:", "Пересл.:". */
export function isForwardSubject(subject: string): boolean {
  return /^\s*(?:fwd?|пересл\.?)\s*:/i.test(subject);
}

/**
 * A sign-off that starts the signature: "С уважением," on its own or with a name of up to three
 * words ("С уважением, Алексей Морозов"), and the lines mobile clients add ("Отправлено с iPhone",
 * "Отправлено из мобильной Почты Mail.ru", "Получить Outlook для Android").
 */
export function isSignOff(line: string): boolean {
  const text = line.trim();
  if (text.length > 80) return false;
  return (
    /^(?:С уважением|С наилучшими пожеланиями|Всего доброго|Всего хорошего)\s*[,.!]?(?:\s+[^\s,.!]+){0,3}\s*[,.!]?$/i.test(text) ||
    /^(?:Отправлено|Послано) (?:с|со|из|через) \S.*$/i.test(text) ||
    /^Получить Outlook для \S.*$/i.test(text)
  );
}

export function isQuoted(line: string): boolean {
  return /^\s*>/.test(line);
}
