// Pictures in the thread, for the customer and for staff alike: a thumbnail, the picture itself
// shown in the browser, and a page of the panel that shows it full size. Each answers only for a
// file its viewer may download (`find` is that side's download lookup); a file that is no picture
// the decoder agrees with stays a download everywhere.
import type { Request, Response, Router } from 'express';
import { NotFoundError } from '../model/errors';
import type { Attachment } from '../model/types';
import type { FileStorage } from '../files/storage';
import type { PictureSize, Thumbnails } from '../files/thumbnails';
import { sendAttachment, sendPicture, sendThumbnail } from './downloads';
import { pathId, ticketNumberOf } from './ids';
import type { Renderer } from './render';

interface PictureDeps {
  thumbnails: Thumbnails;
  storage: FileStorage;
  render: Renderer;
  /** The side's own attachment lookup: not found outside what the viewer may download. */
  find(res: Response, number: string, attachmentId: number): Promise<Attachment>;
}

/** The thumbnails of a thread's pictures by attachment id; a file without one is shown as a download. */
export async function previewsOf(
  thumbnails: Thumbnails,
  messages: Array<{ attachments: Attachment[] }>,
): Promise<Map<number, PictureSize>> {
  const files = messages.flatMap((m) => m.attachments);
  const sizes = await Promise.all(files.map((file) => thumbnails.sizeOf(file)));
  return new Map(files.flatMap((file, i) => (sizes[i] ? [[file.id, sizes[i]] as const] : [])));
}

/** Adds the picture routes under each file's download address (`/:number/files/:attachmentId`). */
export function pictureRoutes(router: Router, { thumbnails, storage, render, find }: PictureDeps): void {
  const fileOf = (req: Request, res: Response) => find(res, ticketNumberOf(req), pathId(req, 'attachmentId'));

  router.get('/:number/files/:attachmentId/thumbnail', async (req, res) => {
    const file = await fileOf(req, res);
    const thumbnail = await thumbnails.bytesOf(file);
    if (!thumbnail) throw new NotFoundError('thumbnail');
    sendThumbnail(res, file.originalName, thumbnail);
  });

  router.get('/:number/files/:attachmentId/inline', async (req, res) => {
    const file = await fileOf(req, res);
    if (await thumbnails.sizeOf(file)) sendPicture(res, storage, file);
    else sendAttachment(res, storage, file);
  });

  // Full size inside the panel, with the way back and the download: works without JavaScript.
  router.get('/:number/files/:attachmentId/view', async (req, res) => {
    const file = await fileOf(req, res);
    const number = ticketNumberOf(req);
    const download = `${render.base}/${number}/files/${file.id}`;
    const dimensions = await thumbnails.fullSizeOf(file);
    if (!dimensions) return res.redirect(303, download);
    await render.page(req, res, 'picture', file.originalName, { number, file, dimensions, download });
  });
}
