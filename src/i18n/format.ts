import type { Locale } from '../host';

const intlLocale: Record<Locale, string> = { ru: 'ru-RU', en: 'en-GB' };
const sizeUnits: Record<Locale, string[]> = { ru: ['Б', 'КБ', 'МБ'], en: ['B', 'KB', 'MB'] };

export function formatTime(ms: number, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale[locale], { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
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
  return `${new Intl.NumberFormat(intlLocale[locale], { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

/** An age such as "3 minutes" / "3 минуты", in the largest whole unit. */
export function formatDuration(ms: number, locale: Locale): string {
  const seconds = Math.floor(ms / 1000);
  const [value, unit] =
    seconds < 60 ? [seconds, 'second'] : seconds < 3600 ? [Math.floor(seconds / 60), 'minute'] : seconds < 86400 ? [Math.floor(seconds / 3600), 'hour'] : [Math.floor(seconds / 86400), 'day'];
  return new Intl.NumberFormat(intlLocale[locale], { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}
