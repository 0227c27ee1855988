// A delivery report (RFC 3464: multipart/report; report-type=delivery-status) read for what the
// outbox needs: which of our e-mails it is about, and what became of each recipient.
import type { DeliveryReport } from '../../model/inbound';
import { oneLine } from '../envelope';

/** A part of the report as mailparser hands it over (keepDeliveryStatus: every part is an attachment). */
export interface ReportPart {
  contentType: string;
  content: Buffer;
}

/** The parts of a report that are the report itself rather than files someone sent. */
export const REPORT_PART_TYPES = new Set([
  'message/delivery-status',
  'message/global-delivery-status',
  'text/rfc822-headers',
  'message/global-headers',
  'message/rfc822',
  'message/global',
]);

const STATUS_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);
const RETURNED_TYPES = ['text/rfc822-headers', 'message/global-headers', 'message/rfc822', 'message/global'];

export function isDeliveryReport(contentType: string, reportType: string | undefined): boolean {
  return contentType.toLowerCase() === 'multipart/report' && (reportType ?? '').trim().toLowerCase() === 'delivery-status';
}

/** What the report says; call it for a message isDeliveryReport accepts. */
export function deliveryReport(parts: readonly ReportPart[]): DeliveryReport {
  const status = parts.find((part) => STATUS_TYPES.has(part.contentType.toLowerCase()));
  const returned = RETURNED_TYPES.map((type) => parts.find((part) => part.contentType.toLowerCase() === type)).find(Boolean);
  return {
    originalMessageId: returned ? returnedMessageId(returned.content) : null,
    recipients: status ? recipientsOf(status.content.toString('utf8')) : [],
  };
}

/** The Message-ID among the returned headers (the header block before the first empty line). */
function returnedMessageId(content: Buffer): string | null {
  const head = content.toString('latin1').split(/\r?\n\r?\n/, 1)[0] ?? '';
  const value = fields(head).get('message-id');
  return value?.match(/<[^<>\s]{1,250}>/)?.[0] ?? null;
}

/**
 * One entry per recipient block (every block after the first, which is about the message): its
 * Final-Recipient (or Original-Recipient), Action, Status and Diagnostic-Code, the address types
 * ("rfc822;") and diagnostic types ("smtp;") left out.
 */
function recipientsOf(status: string): DeliveryReport['recipients'] {
  const blocks = status.split(/\r?\n[ \t]*\r?\n/).slice(1);
  const recipients: DeliveryReport['recipients'] = [];
  for (const block of blocks) {
    const f = fields(block);
    const address = withoutType(f.get('final-recipient') ?? f.get('original-recipient') ?? '')
      .replace(/^<|>$/g, '')
      .toLowerCase();
    if (!address) continue;
    recipients.push({
      address: clip(address, 254),
      action: clip((f.get('action') ?? '').toLowerCase(), 32),
      status: clip(f.get('status') ?? '', 32),
      diagnostic: clip(withoutType(f.get('diagnostic-code') ?? ''), 1000),
    });
  }
  return recipients;
}

/** "Name: value" lines, continuation lines joined, names lower-cased; the first of a repeated name wins. */
function fields(block: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!map.has(name)) map.set(name, line.slice(colon + 1).trim());
  }
  return map;
}

function withoutType(value: string): string {
  return value.replace(/^[a-z0-9-]+\s*;\s*/i, '').trim();
}

function clip(value: string, max: number): string {
  return oneLine(value).slice(0, max);
}
