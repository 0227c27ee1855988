// "I'm on it" for an urgent request. The link in the department's e-mail and in escalation pages
// opens a page that asks first (mail scanners follow links: a GET never records anything); the
// button there and on the request's staff page post here. Both need a signed-in staff member who
// reaches the request (its department's, or an admin): anyone else finds nothing. A link's
// signature shows it came from us.
import { Router, type Response } from 'express';
import type { StaffTickets } from '../domain/staff-tickets';
import type { HostUser } from '../host';
import type { AcknowledgeLinks } from '../model/mail';
import { contextOf } from './context';
import type { CsrfProtection } from './csrf';
import { formBody } from './forms';
import { ticketNumberOf } from './ids';
import type { Renderer } from './render';
import { queryText } from './text-input';

interface Deps {
  tickets: Pick<StaffTickets, 'acknowledge' | 'toAcknowledge'>;
  /** Null without the inbound secret: then links are not signed, and no signature is asked for. */
  acknowledgeLinks: AcknowledgeLinks | null;
  render: Renderer;
  csrf: CsrfProtection;
}

export function acknowledgeRoutes({ tickets, acknowledgeLinks, render, csrf }: Deps): Router {
  const router = Router();
  const form = formBody('4kb', 5);
  const staff = (res: Response) => contextOf(res).user as HostUser;

  router.get('/:number/acknowledge', async (req, res) => {
    // The request is within the user's reach, or not found, before the signature is looked at.
    const ticket = await tickets.toAcknowledge(staff(res), ticketNumberOf(req));
    if (acknowledgeLinks && !acknowledgeLinks.isSignatureOf(ticket.number, queryText(req, 'sig'))) {
      return render.message(req, res, 400, 'acknowledge.badLink');
    }
    res.set('Cache-Control', 'no-store');
    await render.page(req, res, 'staff/acknowledge', contextOf(res).t('acknowledge.title', { number: ticket.number }), {
      ticket,
      csrfToken: csrf.token(req),
    });
  });

  router.post('/:number/acknowledge', csrf.protect, form, async (req, res) => {
    const number = ticketNumberOf(req);
    await tickets.acknowledge(staff(res), number);
    res.redirect(303, `${render.base}/${number}#facts-title`);
  });

  return router;
}
