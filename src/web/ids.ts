// Row ids in a path, a form or a query, all read by the one parser (domain/ids). A path that
// names no row is a page that does not exist; a form or query field gets null, for its own error.
// A ticket's number in a path is checked by the domain, which answers "not found" for any other.
import type { Request } from 'express';
import { NotFoundError } from '../model/errors';
import { parseId } from '../domain/ids';
import { formField, queryText } from './text-input';

/** The id in path parameter `name`; anything else is "not found". */
export function pathId(req: Request, name: string): number {
  const id = parseId(req.params[name]);
  if (id === null) throw new NotFoundError(`${name} in path`);
  return id;
}

export function formId(req: Request, name: string): number | null {
  return parseId(formField(req, name));
}

export function queryId(req: Request, name: string): number | null {
  return parseId(queryText(req, name));
}

/** The ticket number in the path (/:number/...), as text. */
export function ticketNumberOf(req: Request): string {
  return String(req.params.number);
}
