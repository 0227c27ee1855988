// Staff and admin pages of incidents: the list, the declare form, and an incident's page with its
// linked requests and the forms to link one, send an update and resolve it. Every action is a
// CSRF-checked POST; the domain decides who manages which incident (NotFound otherwise).
import { Router, type Request, type Response } from 'express';
import type { Incidents, IncidentInput } from '../domain/incidents';
import type { Problem } from '../model/errors';
import type { HostUser } from '../host';
import { INCIDENT_REACHES } from '../model/incidents';
import { contextOf } from './context';
import type { CsrfProtection } from './csrf';
import { localizeProblems, type Renderer } from './render';
import { formField } from './text-input';
import { pathId } from './ids';
import { formBody, newSubmissionKey, orShowAgain, submissionKeyOf } from './forms';

interface Deps {
  incidents: Incidents;
  render: Renderer;
  csrf: CsrfProtection;
}

/** What was typed into the incident page's forms, kept when the page comes back with a problem. */
type PageDrafts = Partial<Record<'number' | 'updateRu' | 'updateEn' | 'finalRu' | 'finalEn' | 'closeLinked', string>>;

/** The one-off notice after an action (?done=...). */
const NOTICES = ['declared', 'linked', 'unlinked', 'updated', 'resolved'] as const;

const DECLARE_FIELDS = ['departmentId', 'titleRu', 'titleEn', 'bodyRu', 'bodyEn', 'affects', 'kinds', 'services'] as const;

export function incidentRoutes({ incidents, render, csrf }: Deps): Router {
  const router = Router();
  // Two languages of up to 4,000 characters each, and a few small fields.
  const form = formBody('64kb', 12);
  const staff = (res: Response) => contextOf(res).user as HostUser;
  const pageOf = (id: number) => `${render.base}/incidents/${id}`;

  async function showForm(req: Request, res: Response, values: IncidentInput, problems: Record<string, Problem> = {}) {
    const hasProblems = Object.keys(problems).length > 0;
    await render.page(
      req,
      res,
      'staff/incident-new',
      contextOf(res).t('incident.declareTitle'),
      {
        values,
        errors: localizeProblems(res, problems),
        departments: await incidents.departmentsOf(staff(res)),
        reaches: INCIDENT_REACHES,
        csrfToken: csrf.token(req),
        newKey: newSubmissionKey,
      },
      hasProblems ? 422 : 200,
    );
  }

  async function showIncident(req: Request, res: Response, drafts: PageDrafts = {}, problems: Record<string, Problem> = {}) {
    const view = await incidents.view(staff(res), pathId(req, 'id'));
    const { t, locale } = contextOf(res);
    res.set('Cache-Control', 'no-store');
    await render.page(
      req,
      res,
      'staff/incident',
      t('incident.pageTitle', { title: view.incident.title[locale] }),
      {
        ...view,
        drafts,
        errors: localizeProblems(res, problems),
        notice: NOTICES.find((n) => n === req.query.done) ?? null,
        csrfToken: csrf.token(req),
        newKey: newSubmissionKey,
      },
      Object.keys(problems).length > 0 ? 422 : 200,
    );
  }

  /** Runs an incident page's action, then back to the page; a problem shows it again with what was typed. */
  function act(req: Request, res: Response, drafts: PageDrafts, action: (id: number) => Promise<void>, done: string) {
    const id = pathId(req, 'id');
    return orShowAgain(
      req,
      res,
      async () => {
        await action(id);
        res.redirect(303, `${pageOf(id)}?done=${done}`);
      },
      (problems) => showIncident(req, res, drafts, problems),
    );
  }

  router.get('/incidents', async (req, res) => {
    const { open, resolved } = await incidents.list(staff(res));
    const departments = await incidents.departmentsOf(staff(res));
    await render.page(req, res, 'staff/incidents', contextOf(res).t('incident.listTitle'), {
      open,
      resolved,
      departmentById: new Map(departments.map((d) => [d.id, d])),
    });
  });

  router.get('/incidents/new', (req, res) =>
    showForm(req, res, { departmentId: '', titleRu: '', titleEn: '', bodyRu: '', bodyEn: '', affects: 'kinds', kinds: '', services: '' }),
  );

  router.post('/incidents', csrf.protect, form, async (req, res) => {
    const values = Object.fromEntries(DECLARE_FIELDS.map((name) => [name, formField(req, name)])) as unknown as IncidentInput;
    await orShowAgain(
      req,
      res,
      async () => {
        const id = await incidents.declare(staff(res), values, submissionKeyOf(req));
        res.redirect(303, `${pageOf(id)}?done=declared`);
      },
      (problems) => showForm(req, res, values, problems),
    );
  });

  router.get('/incidents/:id', (req, res) => showIncident(req, res));

  router.post('/incidents/:id/links', csrf.protect, form, async (req, res) => {
    const number = formField(req, 'number');
    await act(req, res, { number }, (id) => incidents.link(staff(res), id, number), 'linked');
  });

  router.post('/incidents/:id/links/:ticketId/delete', csrf.protect, async (req, res) => {
    const ticketId = pathId(req, 'ticketId');
    await act(req, res, {}, (id) => incidents.unlink(staff(res), id, ticketId), 'unlinked');
  });

  router.post('/incidents/:id/updates', csrf.protect, form, async (req, res) => {
    const text = { ru: formField(req, 'updateRu'), en: formField(req, 'updateEn') };
    await act(
      req,
      res,
      { updateRu: text.ru, updateEn: text.en },
      (id) => incidents.update(staff(res), id, text, submissionKeyOf(req)),
      'updated',
    );
  });

  router.post('/incidents/:id/updates/:updateId/resume', csrf.protect, async (req, res) => {
    const updateId = pathId(req, 'updateId');
    await act(req, res, {}, (id) => incidents.resume(staff(res), id, updateId), 'updated');
  });

  router.post('/incidents/:id/resolve', csrf.protect, form, async (req, res) => {
    const text = { ru: formField(req, 'finalRu'), en: formField(req, 'finalEn') };
    const closeLinked = formField(req, 'closeLinked') === '1';
    await act(
      req,
      res,
      { finalRu: text.ru, finalEn: text.en, closeLinked: closeLinked ? '1' : '' },
      (id) => incidents.resolve(staff(res), id, text, closeLinked, submissionKeyOf(req)),
      'resolved',
    );
  });

  return router;
}
