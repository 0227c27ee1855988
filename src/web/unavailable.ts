// The answer while the database is unavailable: 503, "try again in a minute", and whatever the
// user typed into the form, shown back to copy, since the form itself needs the database to
// be drawn again.
import type { Request, Response } from 'express';
import { contextOf } from './context';
import type { Renderer } from './render';
import { formField } from './text-input';

/** The free-text fields of the plugin's forms, in the order they appear. */
const TYPED_FIELDS = ['subject', 'message', 'note', 'reason'] as const;

type TypedField = (typeof TYPED_FIELDS)[number];

function typedText(req: Request): Array<{ name: TypedField; value: string }> {
  return TYPED_FIELDS.map((name) => ({ name, value: formField(req, name) })).filter(({ value }) => value.trim() !== '');
}

/** What is unavailable: the database, or the folder attachments are written to (disk full). */
export type Outage = 'database' | 'storage';

export async function answerUnavailable(render: Renderer, req: Request, res: Response, outage: Outage = 'database'): Promise<void> {
  const { t } = contextOf(res);
  // Browsers and proxies may try again by themselves after this long.
  res.set('Retry-After', '60');
  await render.page(
    req,
    res,
    'unavailable',
    t('unavailable.title'),
    { kept: typedText(req), text: t(outage === 'storage' ? 'unavailable.storageText' : 'unavailable.text') },
    503,
  );
}
