// The admin's Ratings page: good and bad per department and per staff member for a period (the
// last 30 days unless the form says otherwise), and the latest bad ratings with their comments.
import { Router, type Request } from 'express';
import type { Ratings } from '../domain/ratings';
import type { Problem } from '../model/errors';
import { contextOf } from './context';
import { localizeProblems, type Renderer } from './render';
import { queryText } from './text-input';

interface Deps {
  ratings: Ratings;
  render: Renderer;
  /** The plugin's clock: "the last 30 days" end today. */
  now: () => number;
}

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 30;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Midnight of a YYYY-MM-DD day in the server's time zone, which the pages' times are shown in; null for anything else. */
function dayStart(text: string): number | null {
  const match = DATE.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(year, month - 1, day);
  return date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day ? date.getTime() : null;
}

/** The midnight after the day `ms` is in (a day with a DST change is 23 or 25 hours). */
function nextMidnight(ms: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
}

/** A day as a date input shows it. */
function dayText(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The period the form asks for, both days included, as [from, to) in ms; or its problems by field. */
function periodOf(req: Request, now: number) {
  const today = dayText(now);
  const values = {
    from: queryText(req, 'from') || dayText(now - (DEFAULT_DAYS - 1) * DAY_MS),
    to: queryText(req, 'to') || today,
  };
  const problems: Record<string, Problem> = {};
  const from = dayStart(values.from);
  const to = dayStart(values.to);
  if (from === null) problems.from = { key: 'rating.admin.badDate' };
  if (to === null) problems.to = { key: 'rating.admin.badDate' };
  else if (from !== null && from > to) problems.to = { key: 'rating.admin.toBeforeFrom' };
  // The end day is included: the period ends at the next midnight.
  return { values, problems, range: from !== null && to !== null && !problems.to ? { from, to: nextMidnight(to) } : null };
}

export function ratingAdminRoutes({ ratings, render, now }: Deps): Router {
  const router = Router();

  router.get('/admin/ratings', async (req, res) => {
    const { values, problems, range } = periodOf(req, now());
    await render.page(
      req,
      res,
      'admin/ratings',
      contextOf(res).t('rating.admin.title'),
      {
        values,
        errors: localizeProblems(res, problems),
        overview: range ? await ratings.overview(range.from, range.to) : null,
      },
      range ? 200 : 400,
    );
  });

  return router;
}
