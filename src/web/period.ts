// The period a report page asks for: two days (YYYY-MM-DD, as a date input sends them), both
// included, the last `defaultDays` up to today (in `timeZone`) unless the form says otherwise; checked here, with
// a problem per field the page shows next to it.
import type { Request } from 'express';
import type { Problem } from '../model/errors';
import { dayCount, dayOf, shiftDay, validDay } from '../domain/calendar-days';
import { queryText } from './text-input';

export interface PeriodForm {
  /** As typed, for the form shown again. */
  values: { from: string; to: string };
  problems: Record<string, Problem>;
  /** The checked period; null when the form has a problem. */
  period: { from: string; to: string } | null;
}

export function periodForm(req: Request, now: number, timeZone: string, defaultDays: number, maxDays: number): PeriodForm {
  const today = dayOf(now, timeZone);
  const values = {
    from: queryText(req, 'from') || shiftDay(today, -(defaultDays - 1)),
    to: queryText(req, 'to') || today,
  };
  const problems: Record<string, Problem> = {};
  const from = validDay(values.from, timeZone);
  const to = validDay(values.to, timeZone);
  if (from === null) problems.from = { key: 'rating.admin.badDate' };
  if (to === null) problems.to = { key: 'rating.admin.badDate' };
  else if (from !== null && from > to) problems.to = { key: 'rating.admin.toBeforeFrom' };
  else if (from !== null && dayCount(from, to) > maxDays) problems.to = { key: 'report.errors.tooLong', params: { max: maxDays } };
  return { values, problems, period: from !== null && to !== null && Object.keys(problems).length === 0 ? { from, to } : null };
}
