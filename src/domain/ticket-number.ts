import crypto from 'node:crypto';

/** An 8-digit number that does not start with 0, so it reads the same however it is quoted. */
export function randomTicketNumber(): string {
  return String(crypto.randomInt(10_000_000, 100_000_000));
}

export function isTicketNumber(text: string): boolean {
  return /^[1-9]\d{7}$/.test(text);
}

/** The request number as people write it: "12345678", "#12345678", "№ 12345678". */
export function typedNumber(text: string): string {
  return text.trim().replace(/^[#№]\s*/, '');
}
