import type { Locale } from '../host';
import type { Translate } from './index';
import type { Promised } from '../model/regulation';

const intlLocale: Record<Locale, string> = { ru: 'ru-RU', en: 'en-GB' };
const sizeUnits: Record<Locale, string[]> = { ru: ['Б', 'КБ', 'МБ'], en: ['B', 'KB', 'MB'] };

/**
 * Intl formatters are made once per locale and options: building one costs far more than using
 * it, and a queue page formats a few dozen values.
 */
type Formatter = Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat;
const formatters = new Map<string, Formatter>();

function formatter<F extends Formatter>(key: string, make: () => F): F {
  let found = formatters.get(key) as F | undefined;
  if (!found) {
    found = make();
    formatters.set(key, found);
  }
  return found;
}

/**
 * A date and time as the reader's clock shows it: in their time zone (an IANA name), or the
 * process's own without one. `zoneName` adds the zone ("GMT+3"): e-mail is read away from the panel.
 */
export function formatTime(ms: number, locale: Locale, timeZone?: string, zoneName = false): string {
  return formatter(
    `time|${locale}|${timeZone ?? ''}|${zoneName}`,
    () =>
      new Intl.DateTimeFormat(intlLocale[locale], {
        ...(zoneName
          ? { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }
          : { dateStyle: 'medium', timeStyle: 'short' }),
        ...(timeZone ? { timeZone } : {}),
      }),
  ).format(new Date(ms));
}

export function formatSize(bytes: number, locale: Locale): string {
  const units = sizeUnits[locale];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  const number = formatter(`size|${locale}|${digits}`, () => new Intl.NumberFormat(intlLocale[locale], { maximumFractionDigits: digits }));
  return `${number.format(value)} ${units[unit]}`;
}

type DurationUnit = 'second' | 'minute' | 'hour' | 'day';

/** Texts already made, by locale, unit and number: a queue page shows an age on every row. */
const durations = new Map<string, string>();
/** Every second, minute and hour of both languages and years of days; past it the texts start over. */
const DURATIONS_KEPT = 2000;

/** An age such as "3 minutes" / "3 минуты", in the largest whole unit. */
export function formatDuration(ms: number, locale: Locale): string {
  const seconds = Math.floor(ms / 1000);
  const [value, unit]: [number, DurationUnit] =
    seconds < 60
      ? [seconds, 'second']
      : seconds < 3600
        ? [Math.floor(seconds / 60), 'minute']
        : seconds < 86400
          ? [Math.floor(seconds / 3600), 'hour']
          : [Math.floor(seconds / 86400), 'day'];
  const key = `${locale}|${unit}|${value}`;
  let text = durations.get(key);
  if (text === undefined) {
    text = formatter(
      `duration|${locale}|${unit}`,
      () => new Intl.NumberFormat(intlLocale[locale], { style: 'unit', unit, unitDisplay: 'long' }),
    ).format(value);
    if (durations.size >= DURATIONS_KEPT) durations.clear();
    durations.set(key, text);
  }
  return text;
}

const pluralRules = new Map<Locale, Intl.PluralRules>();

/**
 * "within 2 hours" / "в течение 2 часов", the time a department usually takes to answer: whole
 * hours as hours, anything else as minutes; "working hours" when the department counts them. The
 * strings hold every plural form of the language (Intl.PluralRules names it); Russian's are in the
 * genitive that "в течение" asks for.
 */
function formatWithin(minutes: number, t: Translate, locale: Locale, working: boolean): string {
  const [count, unit] = minutes % 60 === 0 ? [minutes / 60, 'hours'] : [minutes, 'minutes'];
  let rules = pluralRules.get(locale);
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(intlLocale[locale])));
  const strings = working ? 'sla.withinWorking.' : 'departments.within.';
  return t(`${strings}${unit}.${rules.select(count)}`, { count });
}

/** "We usually answer within 2 hours." ("within 4 working hours" on a schedule), or null when the department sets no time. */
export function usualResponse(promised: Promised | null, t: Translate, locale: Locale): string | null {
  return promised === null ? null : t('departments.usually', { time: formatWithin(promised.minutes, t, locale, promised.working) });
}

/** "We will answer within 4 working hours.": the promise on a request waiting for staff. */
export function willAnswer(promised: Promised, t: Translate, locale: Locale): string {
  return t('sla.willAnswer', { time: formatWithin(promised.minutes, t, locale, promised.working) });
}

/** A span in short units, at most two: «1 ч 20 мин», "2 d 3 h", "15 min"; a part of a minute counts as one. */
export function formatSpan(ms: number, t: Translate): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts =
    days > 0
      ? [t('sla.span.days', { n: days }), hours > 0 ? t('sla.span.hours', { n: hours }) : '']
      : [hours > 0 ? t('sla.span.hours', { n: hours }) : '', rest > 0 ? t('sla.span.minutes', { n: rest }) : ''];
  return parts.filter(Boolean).join(' ');
}

/** A day (YYYY-MM-DD) as a chart labels it: «12 нояб.», "12 Nov"; with `weekday`, as a table names it: «чт, 12 нояб.». */
export function formatDay(day: string, locale: Locale, weekday = false): string {
  const formatDate = formatter(
    `day|${locale}|${weekday}`,
    () =>
      new Intl.DateTimeFormat(intlLocale[locale], {
        ...(weekday ? { weekday: 'short' } : {}),
        day: 'numeric',
        month: 'short',
        timeZone: 'UTC',
      }),
  );
  return formatDate.format(new Date(`${day}T00:00:00Z`));
}

/** Under a minute ago. */
const justNow: Record<Locale, string> = { ru: 'только что', en: 'just now' };
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/**
 * How long ago, as people say it: "только что", "1 минуту / 2 минуты / 5 минут назад",
 * "3 hours ago" (Intl picks the plural form), counted in whole 24-hour days up to a week; the
 * date after that. A time in the future (another server's clock) reads as just now.
 */
export function formatAgo(ms: number, now: number, locale: Locale): string {
  const age = now - ms;
  if (age < MINUTE) return justNow[locale];
  if (age >= 7 * DAY) {
    return formatter(`date|${locale}`, () => new Intl.DateTimeFormat(intlLocale[locale], { dateStyle: 'medium' })).format(new Date(ms));
  }
  const [value, unit]: [number, Intl.RelativeTimeFormatUnit] =
    age < HOUR ? [Math.floor(age / MINUTE), 'minute'] : age < DAY ? [Math.floor(age / HOUR), 'hour'] : [Math.floor(age / DAY), 'day'];
  return formatter(`ago|${locale}`, () => new Intl.RelativeTimeFormat(intlLocale[locale], { numeric: 'always' })).format(-value, unit);
}
