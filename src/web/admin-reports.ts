// The admin's Reports page: a period (the last 30 days unless the form says otherwise) and a
// department or all; three charts with their tables, a table per department and per staff
// member, each table also as CSV; and "Count again" for a period whose requests changed after
// its days were summed (a merge, a rating changed later).
import { Router, type Request } from 'express';
import { MAX_REPORT_DAYS, type Report, type Reports, type Summary } from '../domain/reports';
import type { Department } from '../model/types';
import type { Problem } from '../model/errors';
import { formatDay, formatSpan } from '../i18n/format';
import { contextOf } from './context';
import { localizeProblems, type Renderer } from './render';
import type { CsrfProtection } from './csrf';
import { periodForm } from './period';
import { queryId } from './ids';
import { queryText } from './text-input';
import { barChart } from './bar-chart';
import { csvOf, type CsvCell } from './csv';
import type { Translate } from '../i18n';
import type { Locale } from '../host';

interface Deps {
  reports: Reports;
  render: Renderer;
  csrf: CsrfProtection;
  now: () => number;
  /** settings.timeZone: where the report's days begin and end. */
  timeZone: string;
}

const DEFAULT_DAYS = 30;
const HOUR_MS = 3_600_000;
/** The tables a report offers as CSV. */
const CSV_TABLES = ['days', 'departments', 'staff', 'backlog'] as const;
type CsvTable = (typeof CSV_TABLES)[number];

interface ReportForm {
  values: { from: string; to: string; department: string };
  problems: Record<string, Problem>;
  query: { from: string; to: string; departmentId: number | null } | null;
}

export function reportAdminRoutes({ reports, render, csrf, now, timeZone }: Deps): Router {
  const router = Router();

  /** The period and department the query asks for, checked against the departments there are. */
  async function formOf(req: Request): Promise<ReportForm & { departments: Department[] }> {
    const list = await reports.departments();
    const { values, problems, period } = periodForm(req, now(), timeZone, DEFAULT_DAYS, MAX_REPORT_DAYS);
    const department = queryText(req, 'department');
    const departmentId = department === '' ? null : queryId(req, 'department');
    if (department !== '' && !list.some((d) => d.id === departmentId)) problems.department = { key: 'report.errors.department' };
    const query = period && !problems.department ? { ...period, departmentId } : null;
    return { values: { ...values, department }, problems, query, departments: list };
  }

  /** The query string that names the same report, for links and the forms on the page. */
  const reportQuery = (q: { from: string; to: string; departmentId: number | null }) =>
    new URLSearchParams({ from: q.from, to: q.to, ...(q.departmentId !== null ? { department: String(q.departmentId) } : {}) }).toString();

  router.get('/admin/reports', async (req, res) => {
    const { t, locale } = contextOf(res);
    const form = await formOf(req);
    const report = form.query ? await reports.report(form.query) : null;
    res.set('Cache-Control', 'no-store');
    await render.page(
      req,
      res,
      'admin/reports',
      t('report.title'),
      {
        values: form.values,
        errors: localizeProblems(res, form.problems),
        departments: form.departments,
        report,
        charts: report ? chartsOf(report, t, locale) : null,
        bandLabel: (band: Report['backlog']['bands'][number]) => bandLabel(band, t),
        dayName: (day: string) => formatDay(day, locale, true),
        query: form.query ? reportQuery(form.query) : '',
        recounted: req.query.recounted === '1',
        zone: timeZone,
        csrfToken: csrf.token(req),
      },
      report ? 200 : 400,
    );
  });

  for (const table of CSV_TABLES) {
    router.get(`/admin/reports/${table}.csv`, async (req, res) => {
      const { t, locale } = contextOf(res);
      const form = await formOf(req);
      if (!form.query) {
        res
          .status(400)
          .type('text/plain; charset=utf-8')
          .send(Object.values(localizeProblems(res, form.problems)).join('\n'));
        return;
      }
      const report = await reports.report(form.query);
      const name = `support-${table}-${form.query.from}-${form.query.to}.csv`;
      res.set('Content-Disposition', `attachment; filename="${name}"`);
      res.set('Cache-Control', 'no-store');
      res.type('text/csv; charset=utf-8').send(csvOf(csvRows(report, table, t, locale)));
    });
  }

  router.post('/admin/reports/recount', csrf.protect, async (req, res) => {
    const form = await formOf(req);
    if (!form.query) {
      await render.page(
        req,
        res,
        'message',
        contextOf(res).t('report.title'),
        { text: Object.values(localizeProblems(res, form.problems)).join(' ') },
        400,
      );
      return;
    }
    await reports.recount(form.query.from, form.query.to);
    res.redirect(303, `${render.base}/admin/reports?${reportQuery(form.query)}&recounted=1`);
  });

  return router;
}

/** A band of the backlog: «до 4 ч», «4 ч – 1 дн.», «более 30 дн.». */
function bandLabel(band: { fromHours: number; toHours: number | null }, t: Translate): string {
  const span = (hours: number) => formatSpan(hours * HOUR_MS, t);
  if (band.fromHours === 0) return t('report.backlog.under', { time: span(band.toHours ?? 0) });
  if (band.toHours === null) return t('report.backlog.over', { time: span(band.fromHours) });
  return t('report.backlog.between', { from: span(band.fromHours), to: span(band.toHours) });
}

/** A time figure as the page and the CSV's readers see it; '—' without one. */
const minutesText = (minutes: number | null, t: Translate) => (minutes === null ? '—' : formatSpan(minutes * 60_000, t));

function chartsOf(report: Report, t: Translate, locale: Locale) {
  const count = (n: number) => String(Math.round(n));
  const days = report.days.map((d) => ({ label: formatDay(d.day, locale), day: d }));
  const bands = report.backlog.bands.map((b) => ({ label: bandLabel(b, t), band: b }));
  return {
    opened: barChart(
      days.map(({ label, day }) => ({ label, value: day.opened, title: `${label}: ${day.opened}` })),
      count,
    ),
    firstResponse: barChart(
      days.map(({ label, day }) => ({
        label,
        value: day.firstResponse.median,
        title: `${label}: ${minutesText(day.firstResponse.median, t)}`,
      })),
      (minutes) => (minutes === 0 ? '0' : formatSpan(minutes * 60_000, t)),
    ),
    backlog: barChart(
      bands.map(({ label, band }) => ({ label, value: band.open, title: `${label}: ${band.open}` })),
      count,
    ),
  };
}

/**
 * The figures of a summary as CSV cells: counts, working minutes and shares as plain numbers. A
 * staff member opens and transfers nothing: those cells stay empty on their rows.
 */
function summaryCells(s: Summary, staff = false): CsvCell[] {
  const share = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
  return [
    staff ? null : s.opened,
    staff ? null : s.transfers,
    s.firstResponse.count,
    s.firstResponse.median,
    s.firstResponse.p90,
    share(s.firstResponse.withinShare),
    s.resolution.count,
    s.resolution.median,
    s.resolution.p90,
    share(s.resolution.withinShare),
    s.good,
    s.bad,
  ];
}

function csvRows(report: Report, table: CsvTable, t: Translate, locale: Locale): CsvCell[][] {
  const figures = [
    'opened',
    'transfers',
    'firstCount',
    'firstMedian',
    'firstP90',
    'firstWithin',
    'resolvedCount',
    'resolvedMedian',
    'resolvedP90',
    'resolvedWithin',
    'good',
    'bad',
  ].map((key) => t(`report.csv.${key}`));
  switch (table) {
    case 'days':
      return [[t('report.csv.day'), ...figures], ...report.days.map((d) => [d.day, ...summaryCells(d)])];
    case 'departments':
      return [
        [t('report.csv.department'), ...figures],
        ...report.departments.map((d) => [
          d.department ? d.department.name[locale] : t('rating.admin.removedDepartment'),
          ...summaryCells(d),
        ]),
      ];
    case 'staff':
      return [
        [t('report.csv.staff'), t('report.csv.staffId'), ...figures],
        ...report.staff.map((s) => [s.staffName, s.staffId, ...summaryCells(s, true)]),
      ];
    case 'backlog':
      return [
        [t('report.csv.age'), t('report.csv.open'), t('report.csv.overdue')],
        ...report.backlog.bands.map((b) => [bandLabel(b, t), b.open, b.overdue]),
      ];
  }
}
