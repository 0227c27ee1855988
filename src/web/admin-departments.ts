// The admin's Departments page: every department with its texts, addresses and staff; a form
// per department (with its members) and one for a new department.
import { Router, type Request, type Response } from 'express';
import type { DepartmentAdmin } from '../domain/department-admin';
import type { Problem } from '../model/errors';
import { localizedField, localizedFields, type DepartmentInput, type MemberInput } from '../domain/department-rules';
import { keywordsText } from '../domain/department-keywords';
import {
  ESCALATION_MAX_MINUTES,
  ESCALATION_STEPS,
  escalationField,
  escalationRows,
  type EscalationRowInput,
} from '../domain/escalation-rules';
import { contextOf } from './context';
import type { CsrfProtection } from './csrf';
import { formBody, orShowAgain } from './forms';
import { pathId } from './ids';
import { localizeProblems, type Renderer } from './render';
import { formField } from './text-input';
import { REGULATION_FIELDS, regulationInput, type RegulationInput } from '../domain/regulation-rules';
import { NO_REGULATION } from '../model/regulation';
import { PRIORITIES, type Department } from '../model/types';

interface Deps {
  departments: DepartmentAdmin;
  render: Renderer;
  csrf: CsrfProtection;
  /** settings.timeZone: the zone a new working schedule starts in. */
  timeZone: string;
}

/** A new department's form; its regulation starts in the settings' time zone (see below). */
const NEW_DEPARTMENT: Omit<DepartmentInput, 'regulation'> = {
  code: '',
  ...localizedFields(() => ''),
  emails: '',
  onCall: '',
  mailLocale: '',
  order: '100',
  urgent: false,
  active: true,
};
const NO_MEMBER: MemberInput = { userId: '', name: '', email: '' };

/** A department as its form shows it: addresses one per line. */
function valuesOf(d: Department, zone: string): DepartmentInput {
  return {
    code: d.code,
    ...localizedFields((field, l) => (field === 'keywords' ? keywordsText(d.keywords[l]) : d[field][l])),
    emails: d.emails.join('\n'),
    onCall: d.onCall.join('\n'),
    mailLocale: d.mailLocale ?? '',
    order: String(d.order),
    regulation: regulationInput(d.regulation, zone),
    urgent: d.urgent,
    active: d.active,
  };
}

function inputOf(req: Request): DepartmentInput {
  const text = (name: keyof DepartmentInput) => formField(req, name);
  return {
    code: text('code'),
    ...localizedFields((field, l) => text(localizedField(field, l))),
    emails: text('emails'),
    onCall: text('onCall'),
    mailLocale: text('mailLocale'),
    order: text('order'),
    regulation: {
      ...(Object.fromEntries(REGULATION_FIELDS.map((f) => [f, formField(req, f)])) as Omit<RegulationInput, 'scheduled'>),
      scheduled: formField(req, 'scheduled') === '1',
    },
    urgent: text('urgent') === '1',
    active: text('active') === '1',
  };
}

export function departmentAdminRoutes({ departments, render, csrf, timeZone }: Deps): Router {
  const router = Router();
  const form = formBody('64kb');
  // The department's own fields, its keywords per language and its regulation's (REGULATION_FIELDS).
  const departmentForm = formBody('64kb', 20 + REGULATION_FIELDS.length + 1);
  const idOf = (req: Request) => pathId(req, 'id');
  const listUrl = `${render.base}/admin/departments`;

  /** The form of a new department (id null) or of an existing one with its members. */
  async function showForm(
    req: Request,
    res: Response,
    id: number | null,
    values?: DepartmentInput,
    problems: Record<string, Problem> = {},
    member = NO_MEMBER,
    escalation?: EscalationRowInput[],
  ) {
    const { t, locale } = contextOf(res);
    const overview = id === null ? null : await departments.get(id);
    const title = overview ? t('admin.departments.editTitle', { name: overview.department.name[locale] }) : t('admin.departments.newTitle');
    res.set('Cache-Control', 'no-store');
    await render.page(
      req,
      res,
      'admin/department',
      title,
      {
        overview,
        values:
          values ??
          (overview
            ? valuesOf(overview.department, timeZone)
            : { ...NEW_DEPARTMENT, regulation: regulationInput(NO_REGULATION, timeZone) }),
        priorities: PRIORITIES,
        member,
        localizedField,
        escalation: {
          rows: escalation ?? escalationRows(overview?.department.escalation ?? []),
          field: escalationField,
          maxMinutes: ESCALATION_MAX_MINUTES,
        },
        errors: localizeProblems(res, problems),
        notice:
          req.query.saved === '1'
            ? t('admin.departments.saved')
            : req.query.member === '1'
              ? t('admin.departments.memberSaved')
              : req.query.escalation === '1'
                ? t('escalation.saved')
                : null,
        csrfToken: csrf.token(req),
      },
      Object.keys(problems).length > 0 ? 422 : 200,
    );
  }

  router.get('/admin/departments', async (req, res) => {
    const { t } = contextOf(res);
    res.set('Cache-Control', 'no-store');
    await render.page(req, res, 'admin/departments', t('admin.departments.title'), {
      overview: await departments.overview(),
      notice: req.query.saved === '1' ? t('admin.departments.saved') : req.query.deleted === '1' ? t('admin.departments.deleted') : null,
    });
  });

  router.get('/admin/departments/new', (req, res) => showForm(req, res, null));

  router.post('/admin/departments', csrf.protect, departmentForm, async (req, res) => {
    const values = inputOf(req);
    await orShowAgain(
      req,
      res,
      async () => res.redirect(303, `${listUrl}/${await departments.create(values)}?saved=1`),
      (problems) => showForm(req, res, null, values, problems),
    );
  });

  router.get('/admin/departments/:id', (req, res) => showForm(req, res, idOf(req)));

  router.post('/admin/departments/:id', csrf.protect, departmentForm, async (req, res) => {
    const values = inputOf(req);
    await orShowAgain(
      req,
      res,
      async () => {
        await departments.update(idOf(req), values);
        res.redirect(303, `${listUrl}?saved=1`);
      },
      (problems) => showForm(req, res, idOf(req), values, problems),
    );
  });

  router.post('/admin/departments/:id/escalation', csrf.protect, form, async (req, res) => {
    const rows = Array.from({ length: ESCALATION_STEPS }, (_, i) => ({
      minutes: formField(req, escalationField(i, 'Minutes')),
      whom: formField(req, escalationField(i, 'Whom')),
      addresses: formField(req, escalationField(i, 'Addresses')),
    }));
    await orShowAgain(
      req,
      res,
      async () => {
        await departments.setEscalation(idOf(req), rows);
        res.redirect(303, `${listUrl}/${idOf(req)}?escalation=1#escalation`);
      },
      (problems) => showForm(req, res, idOf(req), undefined, problems, NO_MEMBER, rows),
    );
  });

  router.post('/admin/departments/:id/delete', csrf.protect, async (req, res) => {
    await orShowAgain(
      req,
      res,
      async () => {
        await departments.remove(idOf(req));
        res.redirect(303, `${listUrl}?deleted=1`);
      },
      (problems) => showForm(req, res, idOf(req), undefined, problems),
    );
  });

  router.post('/admin/departments/:id/members', csrf.protect, form, async (req, res) => {
    const member = { userId: formField(req, 'userId'), name: formField(req, 'memberName'), email: formField(req, 'memberEmail') };
    await orShowAgain(
      req,
      res,
      async () => {
        await departments.addMember(idOf(req), member);
        res.redirect(303, `${listUrl}/${idOf(req)}?member=1#members`);
      },
      (problems) => showForm(req, res, idOf(req), undefined, problems, member),
    );
  });

  router.post('/admin/departments/:id/members/:memberId/delete', csrf.protect, async (req, res) => {
    await departments.removeMember(idOf(req), pathId(req, 'memberId'));
    res.redirect(303, `${listUrl}/${idOf(req)}#members`);
  });

  return router;
}
