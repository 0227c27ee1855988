// What the receiving server found when it checked the sender (RFC 8601 Authentication-Results):
// whether SPF, DKIM or DMARC vouch for the domain in From.
//
// Only the receiving server's own header can be believed: anyone can write an
// Authentication-Results into the message they send. A receiving MTA adds its header on top and
// removes older ones bearing its own name (Postfix with OpenDMARC or rspamd, Exchange Online, the
// big mail providers all do), so the topmost header is read and every other one is ignored.
import { domainToASCII } from 'node:url';
import { headerValues, type HeaderLine } from './header-lines';

export type AuthVerdict = 'pass' | 'fail' | 'none';

interface MethodResult {
  method: string;
  result: string;
  /** Its properties, lower-cased names: header.d, header.i, header.from, smtp.mailfrom... */
  props: Map<string, string>;
}

/** Results that say the check ran and the sender did not pass it. */
const FAILED = new Set(['fail', 'softfail', 'permerror']);

/**
 * pass: DMARC passed for the From domain, or DKIM passed with a signing domain (header.d, or
 * header.i's domain) that is the From domain or a parent of it, or SPF passed for an envelope
 * sender (smtp.mailfrom) of that domain; fail: one of them failed and none passed; none: no
 * header, or nothing said either way.
 */
export function authVerdict(lines: readonly HeaderLine[], fromAddress: string | null): AuthVerdict {
  const header = headerValues(lines, 'authentication-results')[0];
  if (header === undefined) return 'none';
  const fromDomain = fromAddress ? asciiDomain(fromAddress.slice(fromAddress.lastIndexOf('@') + 1)) : '';
  const results = methodResults(header).filter((r) => ['dmarc', 'dkim', 'spf'].includes(r.method));

  const vouches = (r: MethodResult): boolean => {
    if (r.result !== 'pass' || fromDomain === '') return false;
    if (r.method === 'dmarc') {
      const checked = r.props.get('header.from');
      return checked === undefined || asciiDomain(checked) === fromDomain;
    }
    if (r.method === 'dkim') {
      const signer = r.props.get('header.d') ?? domainOf(r.props.get('header.i'));
      return signer !== undefined && aligned(asciiDomain(signer), fromDomain);
    }
    const mailFrom = domainOf(r.props.get('smtp.mailfrom'));
    return mailFrom !== undefined && aligned(asciiDomain(mailFrom), fromDomain);
  };

  if (results.some(vouches)) return 'pass';
  if (results.some((r) => FAILED.has(r.result))) return 'fail';
  return 'none';
}

/** The signer's domain is the From domain or a parent of it (DMARC's relaxed alignment, without a public-suffix list). */
function aligned(signer: string, fromDomain: string): boolean {
  return signer !== '' && (signer === fromDomain || (signer.includes('.') && fromDomain.endsWith(`.${signer}`)));
}

function domainOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value.includes('@') ? value.slice(value.lastIndexOf('@') + 1) : value;
}

/** Lower-cased ASCII (punycode) form, so "пример.рф" in From matches "xn--e1afmkfd.xn--p1ai" in the header. */
function asciiDomain(domain: string): string {
  const trimmed = domain.trim().toLowerCase().replace(/\.$/, '');
  return domainToASCII(trimmed) || trimmed;
}

/** "authserv-id; dkim=pass header.d=a.example (comment); spf=fail smtp.mailfrom=b@c.example" as a list of results. */
function methodResults(header: string): MethodResult[] {
  const statements = stripComments(header).split(';').slice(1);
  const results: MethodResult[] = [];
  for (const statement of statements) {
    const words = statement.trim().split(/\s+/);
    const [method, result] = (words.shift() ?? '').split('=');
    if (!method || !result) continue;
    const props = new Map<string, string>();
    for (const word of words) {
      const eq = word.indexOf('=');
      if (eq > 0) props.set(word.slice(0, eq).toLowerCase(), word.slice(eq + 1).replace(/^"|"$/g, ''));
    }
    // "dkim/1=pass" names a version; the method is before the slash.
    results.push({ method: method.split('/')[0]!.toLowerCase(), result: result.toLowerCase(), props });
  }
  return results;
}

/** Drops (comments), nested ones too, and quoted strings' contents stay as they are. */
function stripComments(text: string): string {
  let depth = 0;
  let quoted = false;
  let out = '';
  for (const char of text) {
    if (char === '"' && depth === 0) quoted = !quoted;
    if (!quoted && char === '(') depth += 1;
    if (depth === 0) out += char;
    if (!quoted && char === ')' && depth > 0) depth -= 1;
  }
  return out;
}
