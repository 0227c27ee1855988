// Merging a request into another, or closing it as a duplicate: the ticket page's merge form is a
// GET to a confirmation page that shows both requests and what will happen, whose POST (with the
// CSRF token) does it. No JavaScript anywhere; a refusal shows the ticket page again with the
// problem next to the merge form's number field.
import type { Request, Response, Router } from 'express';
import type { HostUser } from '../host';
import type { Problem } from '../model/errors';
import type { StaffTickets } from '../domain/staff-tickets';
import { contextOf } from './context';
import type { CsrfProtection } from './csrf';
import type { Renderer } from './render';
import { formBody, orShowAgain } from './forms';
import { formField, queryText } from './text-input';
import { ticketNumberOf } from './ids';

/** What the merge form sent, kept when the ticket page comes back with a problem. */
export interface MergeDraft {
  target: string;
  mode: string;
}

interface Deps {
  tickets: StaffTickets;
  render: Renderer;
  csrf: CsrfProtection;
  /** Shows the ticket page again with the form as it was and its problems. */
  showAgain(req: Request, res: Response, merge: MergeDraft, problems: Record<string, Problem>): Promise<void>;
}

/** The typed number wins over the list's choice: the list offers only the customer's open requests. */
function draftOf(read: (name: string) => string): MergeDraft {
  return { target: read('target').trim() || read('choice'), mode: read('mode') || 'merge' };
}

export function mergeRoutes(router: Router, { tickets, render, csrf, showAgain }: Deps): void {
  const form = formBody('4kb', 5);
  const staff = (res: Response) => contextOf(res).user as HostUser;

  router.get('/:number/merge', async (req, res) => {
    const draft = draftOf((name) => queryText(req, name));
    await orShowAgain(
      req,
      res,
      async () => {
        const plan = await tickets.plan(staff(res), ticketNumberOf(req), draft.target, draft.mode);
        const departments = await tickets.departmentsOf(staff(res));
        const { t } = contextOf(res);
        const title = t(plan.mode === 'merge' ? 'staff.merge.confirmTitle' : 'staff.merge.duplicateTitle', { number: plan.source.number });
        await render.page(req, res, 'staff/merge', title, {
          plan,
          departmentById: new Map(departments.map((d) => [d.id, d])),
          csrfToken: csrf.token(req),
        });
      },
      (problems) => showAgain(req, res, draft, problems),
    );
  });

  router.post('/:number/merge', csrf.protect, form, async (req, res) => {
    const draft = draftOf((name) => formField(req, name));
    await orShowAgain(
      req,
      res,
      async () => {
        const into = await tickets.merge(staff(res), ticketNumberOf(req), draft.target, draft.mode);
        // A merge goes on in the other request; a duplicate stays where it was, closed, with its link.
        res.redirect(303, `${render.base}/${draft.mode === 'merge' ? into.number : ticketNumberOf(req)}`);
      },
      (problems) => showAgain(req, res, draft, problems),
    );
  });
}
