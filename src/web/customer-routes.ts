// The customer's Support → Requests: list, create, thread, reply, close (after a confirmation), download.
// Every handler works for the signed-in customer only; the domain answers NotFound otherwise.
import { Router, type Request, type Response } from 'express';
import type { Settings } from '../model/settings';
import type { CustomerTickets } from '../domain/customer-tickets';
import type { Problem } from '../model/errors';
import type { HostUser } from '../host';
import type { FileStorage } from '../files/storage';
import type { Thumbnails } from '../files/thumbnails';
import { contextOf } from './context';
import type { CsrfProtection } from './csrf';
import { localizeProblems, type Renderer } from './render';
import { fileRulesOf, fileUploads, uploadsOf } from './uploads';
import { sendAttachment } from './downloads';
import { formField, queryText } from './text-input';
import { pathId, ticketNumberOf } from './ids';
import { newSubmissionKey, orShowAgain, submissionKeyOf } from './forms';
import { ticketPage } from './ticket-page';
import { pictureRoutes } from './pictures';
import type { Incidents } from '../domain/incidents';

interface Deps {
  tickets: CustomerTickets;
  storage: FileStorage;
  thumbnails: Thumbnails;
  settings: Settings;
  render: Renderer;
  csrf: CsrfProtection;
  /** Open incidents that affect the customer, shown above the list and the create form. */
  incidents: Pick<Incidents, 'forCustomer'>;
}

export function customerRoutes({ tickets, storage, thumbnails, settings, render, csrf, incidents }: Deps): Router {
  const router = Router();
  const uploads = fileUploads(storage, settings.uploads);
  const customer = (res: Response) => contextOf(res).user as HostUser;

  const fileRules = fileRulesOf(settings);
  const showTicketPage = ticketPage(render, csrf, fileRules, thumbnails);

  async function showForm(
    req: Request,
    res: Response,
    values: Record<string, string>,
    problems: Record<string, Problem> = {},
    filesLost = false,
  ) {
    const { departments, services } = await tickets.formChoices(customer(res));
    const hasProblems = Object.keys(problems).length > 0;
    await render.page(
      req,
      res,
      'customer/new',
      contextOf(res).t('form.title'),
      {
        values,
        errors: localizeProblems(res, problems),
        departments,
        services,
        fileRules,
        filesLost: hasProblems && filesLost,
        csrfToken: csrf.token(req),
        newKey: newSubmissionKey,
        contacts: settings.contacts,
        incidents: await incidents.forCustomer(customer(res)),
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
  ) {
    const view = await tickets.view(customer(res), number);
    const notice =
      req.query.replied === '1'
        ? contextOf(res).t('ticket.replied')
        : req.query.created === '1'
          ? contextOf(res).t('list.created', { number })
          : null;
    await showTicketPage(
      req,
      res,
      'customer/ticket',
      { ...view, draft, notice },
      { problems, filesLost: Object.keys(problems).length > 0 && filesLost },
    );
  }

  router.get('/', async (req, res) => {
    const cursor = queryText(req, 'after') || null;
    const [page, departments] = await Promise.all([tickets.list(customer(res), cursor), tickets.allDepartments()]);
    await render.page(req, res, 'customer/list', contextOf(res).t('list.title'), {
      tickets: page.items,
      next: page.next,
      isFirstPage: cursor === null,
      departments: new Map(departments.map((d) => [d.id, d])),
      contacts: settings.contacts,
      incidents: await incidents.forCustomer(customer(res)),
    });
  });

  router.get('/new', (req, res) => showForm(req, res, { subject: '', serviceId: '', departmentId: '', message: '' }));

  router.post('/', csrf.protect, uploads, async (req, res) => {
    const values = {
      subject: formField(req, 'subject'),
      serviceId: formField(req, 'serviceId'),
      departmentId: formField(req, 'departmentId'),
      message: formField(req, 'message'),
    };
    const { files, filesLost } = uploadsOf(req, res);
    await orShowAgain(
      req,
      res,
      async () => {
        // Set only by the "send as it is" button the form shows with a copied-subject warning.
        const subjectConfirmed = formField(req, 'subjectConfirmed') === '1';
        const ticket = await tickets.create(
          customer(res),
          { ...values, subjectConfirmed },
          files,
          contextOf(res).locale,
          submissionKeyOf(req),
        );
        res.redirect(303, `${render.base}/${ticket.number}?created=1`);
      },
      (problems) => showForm(req, res, values, problems, filesLost),
    );
  });

  router.get('/:number', (req, res) => showTicket(req, res, ticketNumberOf(req)));

  router.post('/:number/reply', csrf.protect, uploads, async (req, res) => {
    const number = ticketNumberOf(req);
    const body = formField(req, 'message');
    const { files, filesLost } = uploadsOf(req, res);
    await orShowAgain(
      req,
      res,
      async () => {
        const messageId = await tickets.reply(customer(res), number, body, files, submissionKeyOf(req));
        res.redirect(303, `${render.base}/${number}?replied=1#m${messageId}`);
      },
      (problems) => showTicket(req, res, number, body, problems, filesLost),
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
