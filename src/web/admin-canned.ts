// The admin's Canned replies page: each department's ready answers, with forms to write,
// change and delete them. Staff pick them on the ticket page (staff-routes).
import { Router, type Request, type Response } from 'express';
import type { CannedReplies, CannedReplyInput } from '../domain/canned-replies';
import type { Problem } from '../model/errors';
import type { CannedReply } from '../model/types';
import { contextOf } from './context';
import type { CsrfProtection } from './csrf';
import { formBody, orShowAgain } from './forms';
import { pathId, queryId } from './ids';
import { localizeProblems, type Renderer } from './render';
import { formField } from './text-input';
import { PLACEHOLDERS } from '../domain/canned-text';

interface Deps {
  canned: CannedReplies;
  render: Renderer;
  csrf: CsrfProtection;
}

const valuesOf = (r: CannedReply): CannedReplyInput => ({
  departmentId: String(r.departmentId),
  title: r.title,
  body: r.body,
  locale: r.locale ?? '',
});

function inputOf(req: Request): CannedReplyInput {
  return {
    departmentId: formField(req, 'departmentId'),
    title: formField(req, 'title'),
    body: formField(req, 'body'),
    locale: formField(req, 'locale'),
  };
}

export function cannedAdminRoutes({ canned, render, csrf }: Deps): Router {
  const router = Router();
  // A body of 20,000 characters, url-encoded (up to 12 bytes a character), with room to spare.
  const form = formBody('256kb', 10);
  const idOf = (req: Request) => pathId(req, 'id');
  const listUrl = (departmentId: string | number, notice: string) => `${render.base}/admin/canned?department=${departmentId}&${notice}=1`;

  /** The form of a new reply (id null) or of an existing one. */
  async function showForm(
    req: Request,
    res: Response,
    id: number | null,
    values?: CannedReplyInput,
    problems: Record<string, Problem> = {},
  ) {
    const { t } = contextOf(res);
    const reply = id === null ? null : await canned.get(id);
    const department = String(queryId(req, 'department') ?? '');
    res.set('Cache-Control', 'no-store');
    await render.page(
      req,
      res,
      'admin/canned-reply',
      reply ? t('admin.canned.editTitle', { title: reply.title }) : t('admin.canned.newTitle'),
      {
        reply,
        values: values ?? (reply ? valuesOf(reply) : { departmentId: department, title: '', body: '', locale: '' }),
        departments: await canned.departments(),
        placeholders: PLACEHOLDERS,
        errors: localizeProblems(res, problems),
        csrfToken: csrf.token(req),
      },
      Object.keys(problems).length > 0 ? 422 : 200,
    );
  }

  router.get('/admin/canned', async (req, res) => {
    const { t } = contextOf(res);
    const departmentId = queryId(req, 'department');
    const [replies, departments] = await Promise.all([canned.list(departmentId), canned.departments()]);
    res.set('Cache-Control', 'no-store');
    await render.page(req, res, 'admin/canned', t('admin.canned.title'), {
      replies,
      departments,
      departmentById: new Map(departments.map((d) => [d.id, d])),
      departmentId,
      placeholders: PLACEHOLDERS,
      notice: req.query.saved === '1' ? t('admin.canned.saved') : req.query.deleted === '1' ? t('admin.canned.deleted') : null,
      csrfToken: csrf.token(req),
    });
  });

  router.get('/admin/canned/new', (req, res) => showForm(req, res, null));

  router.post('/admin/canned', csrf.protect, form, async (req, res) => {
    const values = inputOf(req);
    await orShowAgain(
      req,
      res,
      async () => res.redirect(303, listUrl((await canned.create(values)).departmentId, 'saved')),
      (problems) => showForm(req, res, null, values, problems),
    );
  });

  router.get('/admin/canned/:id', (req, res) => showForm(req, res, idOf(req)));

  router.post('/admin/canned/:id', csrf.protect, form, async (req, res) => {
    const values = inputOf(req);
    await orShowAgain(
      req,
      res,
      async () => res.redirect(303, listUrl((await canned.update(idOf(req), values)).departmentId, 'saved')),
      (problems) => showForm(req, res, idOf(req), values, problems),
    );
  });

  router.post('/admin/canned/:id/delete', csrf.protect, async (req, res) => {
    const reply = await canned.get(idOf(req));
    await canned.remove(reply.id);
    res.redirect(303, listUrl(reply.departmentId, 'deleted'));
  });

  return router;
}
