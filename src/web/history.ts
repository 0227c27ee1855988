// A ticket's history in words for the staff page: every audit entry as a sentence in the reader's
// language, with departments, statuses and priorities by their localized names instead of the
// codes the audit trail stores ("technical", "waiting"), and the latest transfer for the banner.
import type { Locale } from '../host';
import type { Translate } from '../i18n';
import type { Department, TicketEvent } from '../model/types';

/** What a history line needs to name things. */
export interface HistoryWords {
  t: Translate;
  locale: Locale;
  departments: Department[];
}

/** The latest transfer of a ticket, for the banner at the top of its page. */
export interface TransferBanner {
  from: string;
  to: string;
  reason: string;
  by: string;
  at: number;
}

/** "Awaiting our reply" reads as "awaiting our reply" inside a sentence. */
const inSentence = (text: string, locale: Locale) => text.charAt(0).toLocaleLowerCase(locale) + text.slice(1);

function namer({ t, locale, departments }: HistoryWords) {
  const byCode = new Map(departments.map((d) => [d.code, d]));
  return {
    // A department deleted since is named by its code: nothing better is left.
    department: (code: string | null | undefined) => (code ? (byCode.get(code)?.name[locale] ?? code) : t('history.noDepartment')),
    status: (code: string | null | undefined) => inSentence(t('status.staff.' + (code ?? 'new')), locale),
    priority: (code: string | null | undefined) => inSentence(t('priority.' + (code ?? 'normal')), locale),
    person: (name: string | null | undefined) => name || t('staff.nobody'),
  };
}

/** One audit entry as a sentence, without its time and author (the page shows those beside it). */
function historyLine(event: TicketEvent, words: HistoryWords): string {
  const { t } = words;
  const name = namer(words);
  const d = event.detail;
  switch (event.action) {
    case 'status':
      return t('history.status', { from: name.status(d.from), to: name.status(d.to) });
    case 'priority':
      return t('history.priority', { from: name.priority(d.from), to: name.priority(d.to) });
    case 'assignee':
      return t('history.assignee', { from: name.person(d.from), to: name.person(d.to) });
    case 'department':
      return t('history.department', { from: name.department(d.from), to: name.department(d.to), reason: d.reason ?? '' });
    case 'customerClose':
    case 'customerReopen':
      // The customer did it: the sentence names them, and the page shows no author before it.
      return t('history.' + event.action, { name: event.actorName });
    case 'merge':
    case 'duplicate':
      return t('history.' + event.action, { from: d.from ?? '', to: d.to ?? '' });
    case 'rating':
      return t('history.rating', { name: event.actorName, rating: d.rating ? t('rating.' + d.rating) : '' });
    case 'escalated':
      // The plugin did it: no author before it.
      return t('history.escalated', {
        minutes: d.minutes ?? '',
        step: d.step ?? '',
        to: d.to === 'admins' ? t('history.escalatedAdmins') : (d.to ?? ''),
      });
    default:
      // reply, note, acknowledged: nothing to name but the author, whom the page shows before it.
      return t('history.' + event.action);
  }
}

/** The ticket's history, oldest first, each entry with its sentence. */
export function historyOf(events: TicketEvent[], words: HistoryWords): Array<TicketEvent & { text: string; byCustomer: boolean }> {
  return events.map((event) => ({
    ...event,
    text: historyLine(event, words),
    // A sentence that names its own actor, or the plugin's own doing: the page shows no author before it.
    byCustomer: ['customerClose', 'customerReopen', 'rating', 'escalated'].includes(event.action),
  }));
}

/** The latest transfer, with both departments named; null if the ticket was never transferred. */
export function lastTransfer(events: TicketEvent[], words: HistoryWords): TransferBanner | null {
  const event = events.filter((e) => e.action === 'department').pop();
  if (!event) return null;
  const name = namer(words);
  return {
    from: name.department(event.detail.from),
    to: name.department(event.detail.to),
    reason: event.detail.reason ?? '',
    by: event.actorName,
    at: event.createdAt,
  };
}
