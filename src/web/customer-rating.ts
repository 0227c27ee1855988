// The customer's rating of a request: the form on the request's page posts here, and the links in
// e-mail open a page that asks first (mail scanners follow links: a GET never records a rating).
// Both need the signed-in customer who owns the request; a link's signature shows it came from us.
import { Router, type Request, type Response } from 'express';
import type { CustomerTickets, TicketView } from '../domain/customer-tickets';
import type { Ratings } from '../domain/ratings';
import type { HostUser } from '../host';
import type { Problem } from '../model/errors';
import type { RatingLinks } from '../model/mail';
import { RATING_CHOICES, type RatingChoice } from '../model/types';
import { contextOf } from './context';
import type { CsrfProtection } from './csrf';
import { formBody, orShowAgain } from './forms';
import { ticketNumberOf } from './ids';
import { localizeProblems, type Renderer } from './render';
import { formField, queryText } from './text-input';

interface Deps {
  tickets: CustomerTickets;
  ratings: Ratings;
  /** Null without the inbound secret: then e-mail links are not signed, and none is asked for. */
  ratingLinks: RatingLinks | null;
  render: Renderer;
  csrf: CsrfProtection;
}

/** The choice a link or a form names, if it is one. */
const choiceOf = (value: string): RatingChoice | '' => (RATING_CHOICES.includes(value as RatingChoice) ? (value as RatingChoice) : '');

export function customerRatingRoutes({ tickets, ratings, ratingLinks, render, csrf }: Deps): Router {
  const router = Router();
  const form = formBody('16kb', 5);
  const customer = (res: Response) => contextOf(res).user as HostUser;

  /** The page that asks before rating; `values` as the link or the form left them. */
  async function showConfirm(
    req: Request,
    res: Response,
    { ticket, rateable }: TicketView,
    values: { rating: string; comment: string },
    problems: Record<string, Problem> = {},
  ) {
    if (!rateable) return render.message(req, res, 409, 'rating.notYet');
    await render.page(
      req,
      res,
      'customer/rate',
      contextOf(res).t('rating.confirmTitle', { number: ticket.number }),
      { ticket, values, errors: localizeProblems(res, problems), csrfToken: csrf.token(req) },
      Object.keys(problems).length > 0 ? 422 : 200,
    );
  }

  router.get('/:number/rate', async (req, res) => {
    // The request is the customer's own, or not found, before the signature is looked at.
    const view = await tickets.view(customer(res), ticketNumberOf(req));
    if (ratingLinks && !ratingLinks.isSignatureOf(view.ticket.number, queryText(req, 'sig'))) {
      return render.message(req, res, 400, 'rating.badLink');
    }
    res.set('Cache-Control', 'no-store');
    await showConfirm(req, res, view, { rating: choiceOf(queryText(req, 'r')), comment: view.rating?.comment ?? '' });
  });

  router.post('/:number/rate', csrf.protect, form, async (req, res) => {
    const number = ticketNumberOf(req);
    const values = { rating: formField(req, 'rating'), comment: formField(req, 'comment') };
    await orShowAgain(
      req,
      res,
      async () => {
        await ratings.rate(customer(res), number, values);
        res.redirect(303, `${render.base}/${number}?rated=1#rating`);
      },
      async (problems) =>
        showConfirm(
          req,
          res,
          await tickets.view(customer(res), number),
          { rating: choiceOf(values.rating), comment: values.comment },
          problems,
        ),
    );
  });

  return router;
}
