// The admin's pages of the plugin: the mail queue and what to do with e-mails that failed,
// the departments (admin-departments), the canned replies (admin-canned) and the e-mails the
// intake held back (admin-held-mail), the customers' ratings (admin-ratings) and the reports
// (admin-reports).
import { Router } from 'express';
import type { MailAdmin } from '../domain/mail-admin';
import type { DepartmentAdmin } from '../domain/department-admin';
import type { CannedReplies } from '../domain/canned-replies';
import type { HeldMail } from '../domain/held-mail';
import type { Thumbnails } from '../files/thumbnails';
import { departmentAdminRoutes } from './admin-departments';
import { cannedAdminRoutes } from './admin-canned';
import { heldMailAdminRoutes } from './admin-held-mail';
import { ratingAdminRoutes } from './admin-ratings';
import { reportAdminRoutes } from './admin-reports';
import type { Ratings } from '../domain/ratings';
import type { Reports } from '../domain/reports';
import { contextOf } from './context';
import type { Renderer } from './render';
import type { CsrfProtection } from './csrf';
import { pathId } from './ids';
import { formBody, newSubmissionKey, submissionKeyOf } from './forms';

interface Deps {
  mail: MailAdmin;
  departments: DepartmentAdmin;
  canned: CannedReplies;
  /** Null while mail in is off: then nothing is held, and the page is not there. */
  held: HeldMail | null;
  /** Thumbnails of the pictures a held e-mail carries. */
  thumbnails: Thumbnails;
  ratings: Ratings;
  reports: Reports;
  /** The plugin's clock, for the default period of the ratings and reports pages. */
  now: () => number;
  render: Renderer;
  csrf: CsrfProtection;
  /** settings.timeZone: where a department's new working schedule starts, and the reports' days. */
  timeZone: string;
}

export function adminRoutes({ mail, departments, canned, held, thumbnails, ratings, reports, now, render, csrf, timeZone }: Deps): Router {
  const router = Router();
  router.use(ratingAdminRoutes({ ratings, render, now, timeZone }));
  router.use(reportAdminRoutes({ reports, render, csrf, now, timeZone }));
  router.use(departmentAdminRoutes({ departments, render, csrf, timeZone }));
  router.use(cannedAdminRoutes({ canned, render, csrf }));
  if (held) router.use(heldMailAdminRoutes({ held, thumbnails, render, csrf }));

  router.get('/admin/mail', async (req, res) => {
    const { t } = contextOf(res);
    res.set('Cache-Control', 'no-store');
    await render.page(req, res, 'admin/mail', t('admin.mail.title'), {
      overview: await mail.overview(),
      retried: req.query.retried === '1',
      heldMail: held !== null,
      csrfToken: csrf.token(req),
      newKey: newSubmissionKey,
    });
  });

  router.post('/admin/mail/:id/retry', csrf.protect, formBody('1kb', 2), async (req, res) => {
    await mail.retry(pathId(req, 'id'), submissionKeyOf(req));
    res.redirect(303, `${render.base}/admin/mail?retried=1`);
  });

  return router;
}
