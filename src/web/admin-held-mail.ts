// The admin's Held mail page: e-mails the intake kept back (no request matched, an unknown sender,
// a failed check), each with its reason, and what an admin does with one: attach it to a request,
// open a request for a customer from it, or discard it. Its original can be read as it came, and
// the pictures it carries show as thumbnails (made from the e-mail, never stored), so a
// screenshot from an unknown sender can be judged without downloading anything.
import { Router, type Request, type Response } from 'express';
import { heldFileKey, type HeldMail } from '../domain/held-mail';
import { isTicketNumber } from '../domain/ticket-number';
import type { PictureSize, Thumbnails } from '../files/thumbnails';
import type { HostUser } from '../host';
import { NotFoundError, type Problem } from '../model/errors';
import { contextOf } from './context';
import type { CsrfProtection } from './csrf';
import { sendOriginalMail, sendThumbnail } from './downloads';
import { formBody, orShowAgain } from './forms';
import { formId, pathId } from './ids';
import { localizeProblems, type Renderer } from './render';
import { formField, queryText } from './text-input';

interface Deps {
  held: HeldMail;
  thumbnails: Thumbnails;
  render: Renderer;
  csrf: CsrfProtection;
}

/** What the page's forms were sent with, shown again next to their problems. */
interface HeldFormValues {
  number: string;
  email: string;
  departmentId: string;
}

export function heldMailAdminRoutes({ held, thumbnails, render, csrf }: Deps): Router {
  const router = Router();
  const form = formBody('4kb', 5);
  const idOf = (req: Request) => pathId(req, 'id');
  const admin = (res: Response) => contextOf(res).user as HostUser;
  const listUrl = `${render.base}/admin/held-mail`;

  /** One held e-mail with its forms; `values` and `problems` when a form came back. */
  async function showMessage(req: Request, res: Response, values?: HeldFormValues, problems: Record<string, Problem> = {}) {
    const { t } = contextOf(res);
    const [{ held: item, mail, namedRequest }, departments] = await Promise.all([held.view(idOf(req)), held.departments()]);
    // The pictures among its files, by their place in the message: their sizes go into the HTML.
    const made = await Promise.all(
      (mail?.files ?? []).map((file, index) =>
        thumbnails.ofContent(heldFileKey(item, index), async () => ({ content: file.content, name: file.filename })),
      ),
    );
    const previews = new Map<number, PictureSize>(made.flatMap((picture, index) => (picture ? [[index, picture.size] as const] : [])));
    res.set('Cache-Control', 'no-store');
    await render.page(
      req,
      res,
      'admin/held-message',
      t('admin.held.messageTitle'),
      {
        item,
        mail,
        previews,
        departments,
        canOpen: held.canOpen,
        values: values ?? { number: namedRequest ?? '', email: item.fromAddress, departmentId: '' },
        errors: localizeProblems(res, problems),
        csrfToken: csrf.token(req),
      },
      Object.keys(problems).length > 0 ? 422 : 200,
    );
  }

  /** Runs an admin's decision, then back to the list with its notice; a problem shows the e-mail again. */
  function decide(req: Request, res: Response, decision: () => Promise<string>) {
    const values: HeldFormValues = {
      number: formField(req, 'number'),
      email: formField(req, 'email'),
      departmentId: formField(req, 'departmentId'),
    };
    return orShowAgain(
      req,
      res,
      async () => res.redirect(303, `${listUrl}?${await decision()}`),
      (problems) => showMessage(req, res, values, problems),
    );
  }

  router.get('/admin/held-mail', async (req, res) => {
    const { t } = contextOf(res);
    const { items, total } = await held.list();
    // Only a request number goes back into the page: anything else in the address is no notice.
    const numberIn = (name: string) => {
      const value = queryText(req, name);
      return isTicketNumber(value) ? value : null;
    };
    res.set('Cache-Control', 'no-store');
    await render.page(req, res, 'admin/held-mail', t('admin.held.title'), {
      items,
      total,
      attached: numberIn('attached'),
      opened: numberIn('opened'),
      discarded: req.query.discarded === '1',
    });
  });

  router.get('/admin/held-mail/:id', (req, res) => showMessage(req, res));

  router.get('/admin/held-mail/:id/original', async (req, res) => {
    sendOriginalMail(res, await held.original(idOf(req)));
  });

  // A file's place in the message counts from 1 in the address (as ids do).
  router.get('/admin/held-mail/:id/files/:position/thumbnail', async (req, res) => {
    // The page that links it made it a moment ago: then the original is not read again.
    const file = await held.file(idOf(req), pathId(req, 'position') - 1);
    const picture = await thumbnails.ofContent(file.key, async () => {
      const { content, filename } = await file.read();
      return { content, name: filename };
    });
    if (!picture) throw new NotFoundError('thumbnail');
    sendThumbnail(res, picture.name, picture.bytes);
  });

  router.post('/admin/held-mail/:id/attach', csrf.protect, form, (req, res) =>
    decide(req, res, async () => `attached=${await held.attach(admin(res), idOf(req), formField(req, 'number'))}`),
  );

  router.post('/admin/held-mail/:id/open', csrf.protect, form, (req, res) =>
    decide(
      req,
      res,
      async () =>
        `opened=${await held.open(admin(res), idOf(req), { email: formField(req, 'email'), departmentId: formId(req, 'departmentId') })}`,
    ),
  );

  router.post('/admin/held-mail/:id/discard', csrf.protect, async (req, res) => {
    await held.discard(admin(res), idOf(req));
    res.redirect(303, `${listUrl}?discarded=1`);
  });

  return router;
}
