// The admin's Ratings page: good and bad per department and per staff member for a period (the
// last 30 days unless the form says otherwise), and the latest bad ratings with their comments.
import { Router } from 'express';
import type { Ratings } from '../domain/ratings';
import { periodBounds } from '../domain/calendar-days';
import { contextOf } from './context';
import { localizeProblems, type Renderer } from './render';
import { periodForm } from './period';

interface Deps {
  ratings: Ratings;
  render: Renderer;
  /** The plugin's clock: "the last 30 days" end today. */
  now: () => number;
  /** settings.timeZone: where the period's days begin and end, as on the Reports page. */
  timeZone: string;
}

const DEFAULT_DAYS = 30;

export function ratingAdminRoutes({ ratings, render, now, timeZone }: Deps): Router {
  const router = Router();

  router.get('/admin/ratings', async (req, res) => {
    const { values, problems, period } = periodForm(req, now(), timeZone, DEFAULT_DAYS, Infinity);
    const range = period ? periodBounds(period.from, period.to, timeZone) : null;
    await render.page(
      req,
      res,
      'admin/ratings',
      contextOf(res).t('rating.admin.title'),
      {
        values,
        errors: localizeProblems(res, problems),
        overview: range ? await ratings.overview(range.start, range.end) : null,
      },
      range ? 200 : 400,
    );
  });

  return router;
}
