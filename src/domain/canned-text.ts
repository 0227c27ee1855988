// A canned reply put to work on one request: the department's replies in the order that suits
// the customer (their language first), and a reply's placeholders filled with the request's
// own values.
import type { Locale } from '../host';
import type { CannedReply, Ticket } from '../model/types';

/** The placeholders a canned reply may use, as the admin page documents them. */
export const PLACEHOLDERS = ['customer_name', 'number', 'service'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** The customer's language first, then replies for any language, then the others; by title within each. */
export function forCustomer(replies: CannedReply[], customerLocale: Locale | null): CannedReply[] {
  const rank = (r: CannedReply) => (customerLocale !== null && r.locale === customerLocale ? 0 : r.locale === null ? 1 : 2);
  return [...replies].sort((a, b) => rank(a) - rank(b) || a.title.localeCompare(b.title) || a.id - b.id);
}

/** Written in another language than the customer's (both known): inserting it deserves a warning. */
export function inOtherLanguage(reply: CannedReply, customerLocale: Locale | null): boolean {
  return reply.locale !== null && customerLocale !== null && reply.locale !== customerLocale;
}

export interface FilledReply {
  body: string;
  /** Placeholders left in the text because the request has no value for them (no service). */
  unfilled: Placeholder[];
}

/**
 * The reply's text with {customer_name}, {number} and {service} replaced by the request's values.
 * A request without a service keeps {service} as it is, so staff see what to write in themselves
 * rather than a sentence with a hole in it. Anything else in braces is left alone.
 */
export function fillPlaceholders(body: string, ticket: Pick<Ticket, 'customerName' | 'number' | 'serviceLabel'>): FilledReply {
  const values: Record<Placeholder, string | null> = {
    customer_name: ticket.customerName,
    number: ticket.number,
    service: ticket.serviceLabel,
  };
  const unfilled = new Set<Placeholder>();
  const filled = body.replace(/\{(customer_name|number|service)\}/g, (whole, name: Placeholder) => {
    const value = values[name];
    if (value === null) unfilled.add(name);
    return value ?? whole;
  });
  return { body: filled, unfilled: [...unfilled] };
}
