// The customer's Support → Requests: list (web/customer-list.ts), create, thread, reply, close (after a confirmation), download.
// Every handler works for the signed-in customer only; the domain answers NotFound otherwise.
import { Router, type Request, type Response } from 'express';
import type { HostUser, Locale } from '../host';
import type { Problem } from '../model/errors';
import type { RatingLinks } from '../model/mail';
import { firstResponsePromise } from '../model/regulation';
import type { Settings } from '../model/settings';
import type { Clock, Department } from '../model/types';
import type { CustomerTickets } from '../domain/customer-tickets';
import type { Incidents } from '../domain/incidents';
import type { Ratings } from '../domain/ratings';
import type { FileStorage } from '../files/storage';
import type { Thumbnails } from '../files/thumbnails';
import type { Translate } from '../i18n';
import { usualResponse } from '../i18n/format';
import { contextOf } from './context';
import type { CsrfProtection } from './csrf';
import { customerList } from './customer-list';
import { customerRatingRoutes } from './customer-rating';
import { departmentHint } from './department-hint';
import { sendAttachment } from './downloads';
import { keptFilesOf, newSubmissionKey, orShowAgain, submissionKeyOf } from './forms';
import { pathId, ticketNumberOf } from './ids';
import { pictureRoutes } from './pictures';
import { localizeProblems, type Renderer } from './render';
import { formField } from './text-input';
import { ticketPage } from './ticket-page';
import { fileRulesOf, fileUploads, uploadProblemOf, uploadsOf, withFileRules } from './uploads';

/** The create form as typed, and the confirmations already given. */
interface FormValues {
  subject: string;
  serviceId: string;
  departmentId: string;
  message: string;
  subjectConfirmed: boolean;
  emergencyConfirmed: boolean;
}

/**
 * "Request №N created", with what happens next: for an urgent department that the on-call
 * engineer was alerted (when it has anyone to alert), and how soon the department usually answers.
 */
function createdNotice(number: string, department: Department | null, t: Translate, locale: Locale): string {
  const alerted = department?.urgent && department.emails.length + department.onCall.length > 0 ? t('emergency.alerted') : null;
  const usual = usualResponse(department ? firstResponsePromise(department) : null, t, locale);
  return [t('list.created', { number }), alerted, usual].filter(Boolean).join(' ');
}

interface Deps {
  tickets: CustomerTickets;
  ratings: Ratings;
  ratingLinks: RatingLinks | null;
  storage: FileStorage;
  thumbnails: Thumbnails;
  settings: Settings;
  render: Renderer;
  csrf: CsrfProtection;
  /** The address of the create form's department hint script. */
  hintScript: string;
  now: Clock;
  /** Open incidents that affect the customer, shown above the list and the create form. */
  incidents: Pick<Incidents, 'forCustomer'>;
}

export function customerRoutes({
  tickets,
  ratings,
  ratingLinks,
  storage,
  thumbnails,
  settings,
  render,
  csrf,
  hintScript,
  now,
  incidents,
}: Deps): Router {
  const router = Router();
  router.use(customerRatingRoutes({ tickets, ratings, ratingLinks, render, csrf }));
  const uploads = fileUploads(storage, settings.uploads);
  const customer = (res: Response) => contextOf(res).user as HostUser;

  const fileRules = fileRulesOf(settings);
  const showTicketPage = ticketPage(render, csrf, fileRules, thumbnails);

  /**
   * The create form: new, or shown again with its problems under the same submission key, so
   * the files it kept (pending uploads of that key) stay with it.
   */
  async function showForm(
    req: Request,
    res: Response,
    values: FormValues,
    problems: Record<string, Problem> = {},
    filesLost = false,
    submissionKey: string | null = null,
  ) {
    const [{ departments, services }, pending] = await Promise.all([
      tickets.formChoices(customer(res)),
      submissionKey ? tickets.pendingFiles(customer(res), submissionKey) : [],
    ]);
    const banners = await incidents.forCustomer(customer(res), services);
    const hasProblems = Object.keys(problems).length > 0;
    const { t, locale } = contextOf(res);
    await render.page(
      req,
      res,
      'customer/new',
      t('form.title'),
      {
        values,
        errors: withFileRules(localizeProblems(res, problems), t, fileRules),
        departments,
        hint: departmentHint(departments, values, t, locale, hintScript),
        services,
        fileRules,
        // Valid files are kept; only those a limit refused while streaming are lost.
        filesLost: hasProblems && filesLost,
        pending,
        csrfToken: csrf.token(req),
        submissionKey: submissionKey ?? newSubmissionKey(),
        contacts: settings.contacts,
        incidents: banners,
      },
      hasProblems ? 422 : 200,
    );
  }

  async function showTicket(
    req: Request,
    res: Response,
    number: string,
    draft = '',
    problems: Record<string, Problem> = {},
    filesLost = false,
    submissionKey: string | null = null,
  ) {
    // A reply form shown again keeps its key, and with it the files it kept (pending uploads).
    const [view, pending] = await Promise.all([
      tickets.view(customer(res), number),
      submissionKey ? tickets.pendingFiles(customer(res), submissionKey) : [],
    ]);
    const { t, locale } = contextOf(res);
    // A merged request's number (an old link, an old e-mail): on to the request it went into.
    if (req.method === 'GET' && view.ticket.number !== number) return res.redirect(303, `${render.base}/${view.ticket.number}`);
    const notice =
      req.query.replied === '1'
        ? t('ticket.replied')
        : req.query.created === '1'
          ? createdNotice(number, view.department, t, locale)
          : req.query.rated === '1'
            ? t('rating.thanks')
            : null;
    await showTicketPage(
      req,
      res,
      'customer/ticket',
      // Just created: the notice already says how soon we answer.
      { ...view, promise: req.query.created === '1' ? null : view.promise, draft, notice, pending, submissionKey },
      { problems, filesLost: Object.keys(problems).length > 0 && filesLost },
    );
  }

  router.get('/', customerList({ tickets, settings, render, now, incidents }));

  router.get('/new', (req, res) =>
    showForm(req, res, { subject: '', serviceId: '', departmentId: '', message: '', subjectConfirmed: false, emergencyConfirmed: false }),
  );

  router.post('/', csrf.protect, uploads, async (req, res) => {
    const values: FormValues = {
      subject: formField(req, 'subject'),
      serviceId: formField(req, 'serviceId'),
      departmentId: formField(req, 'departmentId'),
      message: formField(req, 'message'),
      // Set by the "send as it is" button the form shows with a copied-subject warning.
      subjectConfirmed: formField(req, 'subjectConfirmed') === '1',
      // Set by the "yes, this is an emergency" button, or the checkbox script shows.
      emergencyConfirmed: formField(req, 'emergencyConfirmed') === '1',
    };
    const submissionKey = submissionKeyOf(req);
    const { files } = uploadsOf(req, res);
    await orShowAgain(
      req,
      res,
      async () => {
        const ticket = await tickets.create(customer(res), values, files, contextOf(res).locale, submissionKey, keptFilesOf(req));
        res.redirect(303, `${render.base}/${ticket.number}?created=1`);
      },
      // Files refused while streaming are gone; the others wait under this key.
      (problems) => showForm(req, res, values, problems, uploadProblemOf(res) !== undefined, submissionKey),
    );
  });

  router.get('/:number', (req, res) => showTicket(req, res, ticketNumberOf(req)));

  router.post('/:number/reply', csrf.protect, uploads, async (req, res) => {
    const number = ticketNumberOf(req);
    const body = formField(req, 'message');
    const { files, filesLost } = uploadsOf(req, res);
    const submissionKey = submissionKeyOf(req);
    await orShowAgain(
      req,
      res,
      async () => {
        const messageId = await tickets.reply(customer(res), number, body, files, submissionKey, keptFilesOf(req));
        res.redirect(303, `${render.base}/${number}?replied=1#m${messageId}`);
      },
      // Files refused while streaming are gone; the others wait under this key.
      (problems) => showTicket(req, res, number, body, problems, filesLost, submissionKey),
    );
  });

  // Closing asks first, on a page of its own, so that it works without JavaScript.
  router.get('/:number/close', async (req, res) => {
    const number = ticketNumberOf(req);
    const { ticket } = await tickets.view(customer(res), number);
    if (ticket.status === 'closed') return res.redirect(303, `${render.base}/${number}`);
    await render.page(req, res, 'customer/close', contextOf(res).t('ticket.closeTitle', { number }), {
      ticket,
      csrfToken: csrf.token(req),
    });
  });

  router.post('/:number/close', csrf.protect, async (req, res) => {
    const number = ticketNumberOf(req);
    await tickets.close(customer(res), number);
    res.redirect(303, `${render.base}/${number}`);
  });

  router.get('/:number/files/:attachmentId', async (req, res) => {
    const attachment = await tickets.attachment(customer(res), ticketNumberOf(req), pathId(req, 'attachmentId'));
    sendAttachment(res, storage, attachment);
  });
  pictureRoutes(router, { thumbnails, storage, render, find: (res, number, id) => tickets.attachment(customer(res), number, id) });

  return router;
}
