// The ticket page, the customer's and the staff's alike: its title, what its forms need (file
// rules, a CSRF token, submission keys), the problems of a form that came back, and the thumbnails
// of the thread's pictures.
import type { Request, Response } from 'express';
import type { Problem } from '../model/errors';
import type { Attachment } from '../model/types';
import type { Thumbnails } from '../files/thumbnails';
import type { CsrfProtection } from './csrf';
import { newSubmissionKey } from './forms';
import { localizeProblems, type Renderer } from './render';
import type { fileRulesOf } from './uploads';
import { previewsOf } from './pictures';

/** What one side's ticket page shows of its own: the domain's view of the ticket and what the form kept. */
interface TicketPageData {
  ticket: { number: string; subject: string };
  messages: Array<{ attachments: Attachment[] }>;
}

/** What came back from a form on the page; problems answer 422, otherwise `status`. */
interface FormOutcome {
  problems: Record<string, Problem>;
  filesLost: boolean;
  status?: number;
}

/** Shows a ticket page: `data` as the view's, with what every ticket page's forms need. */
export function ticketPage(render: Renderer, csrf: CsrfProtection, fileRules: ReturnType<typeof fileRulesOf>, thumbnails: Thumbnails) {
  return async <Data extends TicketPageData>(
    req: Request,
    res: Response,
    view: 'customer/ticket' | 'staff/ticket',
    data: Data,
    { problems, filesLost, status = 200 }: FormOutcome,
  ): Promise<void> =>
    render.page(
      req,
      res,
      view,
      // The panel shows the title as the page's heading: the subject leads; the view shows the number under it.
      data.ticket.subject,
      {
        ...data,
        // The thread's pictures: thumbnails with their sizes (views/partials/attachment.ejs).
        previews: await previewsOf(thumbnails, data.messages),
        errors: localizeProblems(res, problems),
        filesLost,
        fileRules,
        csrfToken: csrf.token(req),
        newKey: newSubmissionKey,
      },
      Object.keys(problems).length > 0 ? 422 : status,
    );
}
