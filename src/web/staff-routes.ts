// Staff and admin pages: the queue, a ticket with its thread and audit trail, and every action
// on it. Each action is a CSRF-checked POST; the domain decides who may touch which ticket.
import { Router, type Request, type Response } from 'express';
import type { Settings } from '../model/settings';
import type { StaffTickets } from '../domain/staff-tickets';
import { DUE_FILTERS, DUE_SOON_MINUTES, EMPTY_QUEUE_PAGE, type DueFilter, type QueueQuery } from '../domain/staff-queue';
import type { HeldMail } from '../domain/held-mail';
import type { PendingChoice } from '../domain/pending-uploads';
import { NotFoundError, type Problem } from '../model/errors';
import { PRIORITIES, type Message, type StoredFile, type TicketStatus } from '../model/types';
import { LIMITS } from '../domain/field-rules';
import type { HostUser } from '../host';
import type { FileStorage } from '../files/storage';
import type { Thumbnails } from '../files/thumbnails';
import { contextOf } from './context';
import type { CsrfProtection } from './csrf';
import { localizeProblems, type Renderer } from './render';
import { fileRulesOf, fileUploads, uploadsOf } from './uploads';
import { sendAttachment, sendOriginalMail } from './downloads';
import { formField, queryText, unreadableQuery } from './text-input';
import { formId, pathId, queryId, ticketNumberOf } from './ids';
import { formBody, keptFilesOf, orShowAgain, submissionKeyOf } from './forms';
import { ticketPage } from './ticket-page';
import { acknowledgeRoutes } from './acknowledge-routes';
import type { AcknowledgeLinks } from '../model/mail';
import { pictureRoutes } from './pictures';
import { historyOf, lastTransfer } from './history';
import { fillPlaceholders, inOtherLanguage, type Placeholder } from '../domain/canned-text';
import { mergeRoutes, type MergeDraft } from './staff-merge';
import type { Incidents } from '../domain/incidents';
import { incidentRoutes } from './incident-routes';

interface Deps {
  tickets: StaffTickets;
  storage: FileStorage;
  thumbnails: Thumbnails;
  settings: Settings;
  render: Renderer;
  csrf: CsrfProtection;
  /** The plugin's clock, for how long customers have waited. */
  now: () => number;
  /** Held e-mails, counted on the admin's link to them; null while mail in is off. */
  held: Pick<HeldMail, 'count'> | null;
  incidents: Incidents;
  /** Signs the "I'm on it" links; null without the inbound secret. */
  acknowledgeLinks: AcknowledgeLinks | null;
}

/** What a reply or note form sent besides its text: new files, and the kept ones it carried. */
interface SentFiles {
  files: StoredFile[];
  filesLost: boolean;
  submissionKey: string;
  kept: PendingChoice;
}

const STATUSES: Array<TicketStatus | 'open' | 'all'> = ['open', 'new', 'waiting', 'answered', 'closed', 'all'];

/** What the staff member was typing, kept when the page comes back. */
interface Drafts {
  reply?: string;
  note?: string;
  reason?: string;
  /** Messages that arrived while the reply was being written. */
  newer?: Message[];
  errors?: Record<string, Problem>;
  filesLost?: boolean;
  /** The key of the reply's or note's form that came back: the page shows the files it keeps for the next submit. */
  formKey?: string;
  /** What to say about a canned reply just put in the box: another language than the customer's, placeholders left. */
  canned?: { otherLanguage: string | null; unfilled: Placeholder[] };
  /** The merge form as it was sent. */
  merge?: MergeDraft;
}

function queueQueryOf(req: Request, user: HostUser): QueueQuery {
  const text = (name: string) => queryText(req, name);
  const status = text('status') as QueueQuery['status'];
  const priority = text('priority') as QueueQuery['priority'] & string;
  const assigned = text('assigned');
  return {
    departmentId: queryId(req, 'department'),
    status: STATUSES.includes(status) ? status : 'open',
    priority: PRIORITIES.includes(priority) ? priority : null,
    serviceKind: text('kind').slice(0, LIMITS.serviceKind) || null,
    assignee: assigned === 'me' ? user.id : assigned === 'none' ? '' : null,
    search: text('q').slice(0, LIMITS.queueSearch),
    due: DUE_FILTERS.includes(text('due') as DueFilter) ? (text('due') as DueFilter) : null,
  };
}

export function staffRoutes({
  tickets,
  storage,
  thumbnails,
  settings,
  render,
  csrf,
  now,
  held,
  incidents,
  acknowledgeLinks,
}: Deps): Router {
  const router = Router();
  // Before /:number, which would take "incidents" for a request's number.
  router.use(incidentRoutes({ incidents, render, csrf }));
  router.use(acknowledgeRoutes({ tickets, acknowledgeLinks, render, csrf }));
  const uploads = fileUploads(storage, settings.uploads);
  // Small action forms; parsed only after the CSRF check.
  const form = formBody('16kb', 10);
  const showTicketPage = ticketPage(render, csrf, fileRulesOf(settings), thumbnails);
  const staff = (res: Response) => contextOf(res).user as HostUser;
  const back = (req: Request, anchor = '') => `${render.base}/${ticketNumberOf(req)}${anchor}`;

  /** The ticket page; cannedId puts that canned reply of the ticket's department in the reply box. */
  async function showTicket(req: Request, res: Response, drafts: Drafts = {}, cannedId: number | null = null) {
    const [view, pending] = await Promise.all([
      tickets.view(staff(res), ticketNumberOf(req)),
      drafts.formKey ? tickets.pendingFiles(staff(res), drafts.formKey) : [],
    ]);
    // A merged request's number: its page is the request it went into, at that request's own address.
    if (req.method === 'GET' && view.ticket.number !== ticketNumberOf(req))
      return res.redirect(303, `${render.base}/${view.ticket.number}`);
    if (cannedId !== null) {
      // Only the ticket's own department's replies are on offer; any other id is not found.
      const canned = view.canned.find((c) => c.id === cannedId);
      if (!canned) throw new NotFoundError('canned reply');
      const filled = fillPlaceholders(canned.body, view.ticket);
      const otherLanguage = inOtherLanguage(canned, view.ticket.customerLocale) ? canned.locale : null;
      drafts = { ...drafts, reply: filled.body, canned: { otherLanguage, unfilled: filled.unfilled } };
    }
    const { t, locale } = contextOf(res);
    const words = { t, locale, departments: view.departments };
    const [mergeTargets, linkedIncidents] = await Promise.all([
      tickets.targetsFor(staff(res), view.ticket),
      incidents.ofTicket(view.ticket.id),
    ]);
    await showTicketPage(
      req,
      res,
      'staff/ticket',
      {
        ...view,
        history: historyOf(view.events, words),
        transfer: lastTransfer(view.events, words),
        drafts,
        // A form shown again keeps its key, and with it the files it kept.
        form: drafts.formKey ? { submissionKey: drafts.formKey, pending } : undefined,
        priorities: PRIORITIES,
        // The reply picked last, or else the first: the customer's language comes first.
        cannedId: cannedId ?? view.canned[0]?.id ?? null,
        mergeTargets,
        linkedIncidents,
      },
      { problems: drafts.errors ?? {}, filesLost: drafts.filesLost ?? false, status: drafts.newer ? 409 : 200 },
    );
  }

  /** Runs an action, then back to the ticket; a problem shows the ticket page again with what was typed. */
  function act(req: Request, res: Response, action: () => Promise<void>, drafts: Drafts, anchor = '') {
    return orShowAgain(
      req,
      res,
      async () => {
        await action();
        res.redirect(303, back(req, anchor));
      },
      (problems) => showTicket(req, res, { ...drafts, errors: problems }),
    );
  }

  /**
   * The reply and the note: a text with files. Runs `send` with them, or shows the ticket again
   * with the text back in its box (`draft`) and the problems next to it.
   */
  function postWithFiles(
    req: Request,
    res: Response,
    text: { field: string; draft: 'reply' | 'note' },
    send: (body: string, upload: SentFiles) => Promise<void>,
    uploadProblemAt?: string,
  ) {
    const body = formField(req, text.field);
    const { files, filesLost } = uploadsOf(req, res);
    const submissionKey = submissionKeyOf(req);
    const kept = keptFilesOf(req);
    return orShowAgain(
      req,
      res,
      () => send(body, { files, filesLost, submissionKey, kept }),
      // Files refused while streaming are gone; the others wait under the form's key.
      (problems) => showTicket(req, res, { [text.draft]: body, errors: problems, filesLost, formKey: submissionKey }),
      uploadProblemAt,
    );
  }

  router.get('/', async (req, res) => {
    const query = queueQueryOf(req, staff(res));
    const cursor = queryText(req, 'after') || null;
    // A filter that was not valid UTF-8 matches nothing honestly: say so next to it instead of searching.
    const problems = unreadableQuery(req, ['q', 'kind']);
    const refused = Object.keys(problems).length > 0;
    const [page, departments, heldCount] = await Promise.all([
      refused ? EMPTY_QUEUE_PAGE : tickets.queue(staff(res), query, cursor),
      tickets.departmentsOf(staff(res)),
      // Only admins are linked to held mail.
      held && staff(res).role === 'admin' ? held.count() : null,
    ]);
    // Filters carry over to the next page; the cursor and a one-off notice do not.
    const params = new URLSearchParams(
      Object.entries(req.query).filter(([k, v]) => k !== 'after' && k !== 'transferred' && typeof v === 'string') as Array<
        [string, string]
      >,
    );
    const transferred =
      typeof req.query.transferred === 'string' && /^\d{1,20}$/.test(req.query.transferred) ? req.query.transferred : null;
    await render.page(
      req,
      res,
      'staff/queue',
      contextOf(res).t('staff.title'),
      {
        tickets: page.items,
        ratedBad: page.ratedBad,
        next: page.next,
        isFirstPage: cursor === null,
        transferred,
        query,
        filterParams: params.toString(),
        departments,
        departmentById: new Map(departments.map((d) => [d.id, d])),
        statuses: STATUSES,
        priorities: PRIORITIES,
        dueFilters: DUE_FILTERS,
        dueSoonMinutes: DUE_SOON_MINUTES,
        now: now(),
        heldCount,
        errors: localizeProblems(res, problems),
      },
      refused ? 400 : 200,
    );
  });

  // Picking a canned reply is a plain GET form, so it works without JavaScript: ?canned=<id>.
  // An empty choice is no canned reply; anything else that is not one of the department's is not found.
  router.get('/:number', async (req, res) => {
    if (queryText(req, 'canned') === '') return showTicket(req, res);
    const cannedId = queryId(req, 'canned');
    if (cannedId === null) throw new NotFoundError('canned reply');
    await showTicket(req, res, {}, cannedId);
  });

  router.post('/:number/reply', csrf.protect, uploads, async (req, res) => {
    await postWithFiles(req, res, { field: 'message', draft: 'reply' }, async (body, { files, filesLost, submissionKey, kept }) => {
      const outcome = await tickets.reply(
        staff(res),
        ticketNumberOf(req),
        { body, files, lastSeenId: formId(req, 'lastSeenId') ?? 0, confirmed: formField(req, 'confirmed') === '1', submissionKey },
        kept,
      );
      if (outcome.sent) return res.redirect(303, back(req, '#reply'));
      // Held until the author has read what others wrote meanwhile; the files wait with the form.
      await showTicket(req, res, { reply: body, newer: outcome.newer, filesLost, formKey: submissionKey });
    });
  });

  router.post('/:number/note', csrf.protect, uploads, async (req, res) => {
    // The note's form has no place for a problem of the whole form: an upload's goes next to the note.
    await postWithFiles(
      req,
      res,
      { field: 'note', draft: 'note' },
      async (body, { files, submissionKey, kept }) => {
        await tickets.note(staff(res), ticketNumberOf(req), body, files, submissionKey, kept);
        res.redirect(303, back(req, '#notes'));
      },
      'note',
    );
  });

  router.post('/:number/status', csrf.protect, form, async (req, res) => {
    await act(req, res, () => tickets.setOpen(staff(res), ticketNumberOf(req), formField(req, 'open') === '1'), {});
  });

  router.post('/:number/priority', csrf.protect, form, async (req, res) => {
    await act(req, res, () => tickets.setPriority(staff(res), ticketNumberOf(req), formField(req, 'priority')), {});
  });

  router.post('/:number/assign', csrf.protect, form, async (req, res) => {
    const user = staff(res);
    // "me", "none", or the user id of a member of the ticket's department.
    const choice = formField(req, 'assignee');
    const assigneeId = choice === 'me' ? user.id : choice === 'none' || choice === '' ? null : choice;
    await act(req, res, () => tickets.assign(user, ticketNumberOf(req), assigneeId), {});
  });

  router.post('/:number/transfer', csrf.protect, form, async (req, res) => {
    const reason = formField(req, 'reason');
    await orShowAgain(
      req,
      res,
      async () => {
        await tickets.transfer(staff(res), ticketNumberOf(req), formId(req, 'departmentId'), reason, submissionKeyOf(req));
        // The ticket may now be outside this user's departments: back to the queue.
        res.redirect(303, `${render.base}/?transferred=${encodeURIComponent(ticketNumberOf(req))}`);
      },
      (problems) => showTicket(req, res, { reason, errors: problems }),
    );
  });

  mergeRoutes(router, {
    tickets,
    render,
    csrf,
    showAgain: (req, res, merge, problems) => showTicket(req, res, { merge, errors: problems }),
  });

  router.get('/:number/files/:attachmentId', async (req, res) => {
    sendAttachment(res, storage, await tickets.attachment(staff(res), ticketNumberOf(req), pathId(req, 'attachmentId')));
  });
  pictureRoutes(router, { thumbnails, storage, render, find: (res, number, id) => tickets.attachment(staff(res), number, id) });

  // The e-mail a message came as: staff only (customers have no such route), for a ticket they reach.
  router.get('/:number/messages/:messageId/original', async (req, res) => {
    sendOriginalMail(res, await tickets.original(staff(res), ticketNumberOf(req), pathId(req, 'messageId')));
  });

  return router;
}
