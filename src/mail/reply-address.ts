// The plugin's addresses on the support mailbox, and its Message-IDs, each carrying an HMAC of
// the request number under the inbound secret:
//   support+12345678.c.<sig>@example.com answers to request 12345678 (c: in the customer's e-mail,
//                                        d: in a department's; only d takes staff answers)
//   support+technical@example.com        opens a request in the department "technical"
//   <sr.12345678.<random>.<sig>@example.com>   a Message-ID the plugin made for that request
// A mail client keeps the plus address when replying, and In-Reply-To/References keep the
// Message-ID, so a reply names its request in a way a sender cannot forge for another request.
import crypto from 'node:crypto';
import type { AddressMeaning, ReplyAddresses } from '../model/inbound';

/** Hex digits of the HMAC kept: 64 bits, beyond guessing by sending mail. */
const SIGNATURE_LENGTH = 16;
const TICKET_PART = /^([1-9]\d{7})\.([cd])\.([a-f0-9]{16})$/;
const DEPARTMENT_PART = /^[a-z][a-z0-9_]{0,31}$/;
const MESSAGE_ID = /^<sr\.([1-9]\d{7})\.([a-f0-9]{1,32})\.([a-f0-9]{16})@[^>]+>$/;

/**
 * The one HMAC of the plugin's signed values (reply addresses, Message-IDs, rating links) under
 * the inbound secret: `purpose` keeps a signature made for one use from passing for another.
 */
export function signer(secret: string) {
  const sign = (purpose: string, value: string): string =>
    crypto.createHmac('sha256', secret).update(`${purpose}:${value}`).digest('hex').slice(0, SIGNATURE_LENGTH);
  /** Compared in constant time. */
  const same = (a: string, b: string): boolean => a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));
  return { sign, same, verify: (purpose: string, value: string, signature: string) => same(signature, sign(purpose, value)) };
}

export function replyAddresses(supportAddress: string, secret: string): ReplyAddresses {
  const at = supportAddress.lastIndexOf('@');
  const local = supportAddress.slice(0, at).toLowerCase();
  const domain = supportAddress.slice(at + 1).toLowerCase();
  const { sign, same } = signer(secret);

  return {
    forTicket: (ticketNumber, audience) => {
      const a = audience === 'customer' ? 'c' : 'd';
      return `${local}+${ticketNumber}.${a}.${sign(`reply:${a}`, ticketNumber)}@${domain}`;
    },

    read(address): AddressMeaning {
      const lower = address.trim().toLowerCase();
      const split = lower.lastIndexOf('@');
      if (split < 0 || lower.slice(split + 1) !== domain) return { kind: 'other' };
      const [base, ...plus] = lower.slice(0, split).split('+');
      if (base !== local) return { kind: 'other' };
      if (plus.length === 0) return { kind: 'support' };
      const tag = plus.join('+');
      const ticket = TICKET_PART.exec(tag);
      if (ticket) {
        const [, ticketNumber, a, signature] = ticket as unknown as [string, string, 'c' | 'd', string];
        if (!same(signature, sign(`reply:${a}`, ticketNumber))) return { kind: 'forged' };
        return { kind: 'ticket', ticketNumber, audience: a === 'c' ? 'customer' : 'department' };
      }
      if (/^\d/.test(tag)) return { kind: 'forged' };
      return DEPARTMENT_PART.test(tag) ? { kind: 'intake', departmentCode: tag } : { kind: 'other' };
    },

    newMessageId(ticketNumber) {
      // randomUUID draws from a cached pool, unlike a randomBytes call per id.
      const random = crypto.randomUUID().replace(/-/g, '').slice(-18);
      return `<sr.${ticketNumber}.${random}.${sign('id', `${ticketNumber}.${random}`)}@${domain}>`;
    },

    ticketOfMessageId(messageId) {
      const match = MESSAGE_ID.exec(messageId.trim().toLowerCase());
      if (!match) return null;
      const [, ticketNumber, random, signature] = match as unknown as [string, string, string, string];
      return same(signature, sign('id', `${ticketNumber}.${random}`)) ? ticketNumber : null;
    },
  };
}
