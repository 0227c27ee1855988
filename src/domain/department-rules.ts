// The rules for what an admin sets on a department and its members, as checks on the form.
import type { Locale } from '../host';
import type { DepartmentFields } from '../model/store';
import type { Problem } from '../model/errors';
import { LOCALES } from '../model/locales';
import { checkText, LIMITS, type TextRule } from './field-rules';
import { checkKeywords } from './department-keywords';
import { checkRegulation, type RegulationInput } from './regulation-rules';

/** The same codes settings.departments accepts (plugin.json), so either can name a department. */
export const CODE_PATTERN = new RegExp(`^[a-z][a-z0-9_]{0,${LIMITS.departmentCode - 1}}$`);
/** The addresses are stored as a JSON array in a 2,000-character column. */
const ADDRESSES_STORED_MAX = 2000;

/** One address, no display name, no spaces or line breaks (it ends up in a header). */
function isEmailAddress(text: string): boolean {
  return (
    text.length <= LIMITS.emailAddress &&
    /^[^\s@<>()[\]\\,;:"]+@[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)+$/u.test(text)
  );
}

/** The texts a department has in each language. */
const LOCALIZED_TEXTS = ['name', 'guidance', 'keywords'] as const;
export type LocalizedText = (typeof LOCALIZED_TEXTS)[number];

/** A form field of one language: nameRu, guidanceEn, keywordsRu. */
export type LocalizedField = `${LocalizedText}${Capitalize<Locale>}`;

export function localizedField(text: LocalizedText, locale: Locale): LocalizedField {
  return `${text}${locale.charAt(0).toUpperCase()}${locale.slice(1)}` as LocalizedField;
}

/** Every field of one language in a department's form, each holding what `value` gives for it. */
export function localizedFields(value: (text: LocalizedText, locale: Locale) => string): Record<LocalizedField, string> {
  const fields = LOCALIZED_TEXTS.flatMap((text) => LOCALES.map((l) => [localizedField(text, l), value(text, l)]));
  return Object.fromEntries(fields) as Record<LocalizedField, string>;
}

/** The form as typed: everything is text, except the two checkboxes; a name, a guidance and keywords per language. */
export type DepartmentInput = Record<LocalizedField, string> & {
  code: string;
  /** Addresses separated by line breaks, commas or spaces. */
  emails: string;
  onCall: string;
  /** A language of LOCALES, or "" for the plugin's default. */
  mailLocale: string;
  order: string;
  /** The response regulation's fields (regulation-rules.ts). */
  regulation: RegulationInput;
  urgent: boolean;
  active: boolean;
};

export interface MemberInput {
  userId: string;
  name: string;
  email: string;
}

export function checkLocale(value: string, problems: Record<string, Problem>, field: string): Locale | null {
  if (value === '') return null;
  if (LOCALES.includes(value as Locale)) return value as Locale;
  problems[field] = { key: 'errors.language.invalid' };
  return null;
}

/** A list of addresses, each checked, duplicates (any case) dropped. */
export function checkAddresses(value: string, field: string, problems: Record<string, Problem>): string[] {
  const addresses: string[] = [];
  for (const address of value.split(/[\s,;]+/).filter(Boolean)) {
    if (!isEmailAddress(address)) {
      problems[field] = { key: 'errors.department.emailInvalid', params: { address: address.slice(0, 100) } };
      return [];
    }
    if (!addresses.some((a) => a.toLowerCase() === address.toLowerCase())) addresses.push(address);
  }
  if (addresses.length > LIMITS.departmentAddresses)
    problems[field] = { key: 'errors.department.emailsTooMany', params: { max: LIMITS.departmentAddresses } };
  else if (JSON.stringify(addresses).length > ADDRESSES_STORED_MAX) problems[field] = { key: 'errors.department.emailsTooLong' };
  return addresses;
}

/** Every problem with a department's form, by field, and the department it describes. */
export function checkDepartment(input: DepartmentInput, isNew: boolean): { fields: DepartmentFields; problems: Record<string, Problem> } {
  const problems: Record<string, Problem> = {};
  if (isNew) {
    if (!input.code.trim()) problems.code = { key: 'errors.department.codeRequired' };
    else if (!CODE_PATTERN.test(input.code.trim()))
      problems.code = { key: 'errors.department.codeInvalid', params: { max: LIMITS.departmentCode } };
  }
  /** The text in each language, each checked next to its own field. */
  const perLocale = <T>(text: LocalizedText, check: (field: LocalizedField, value: string) => T) =>
    Object.fromEntries(LOCALES.map((l) => [l, check(localizedField(text, l), input[localizedField(text, l)])])) as Record<Locale, T>;
  const asText = (rule: TextRule) => (field: LocalizedField, value: string) => checkText(problems, field, value, rule);
  const order = input.order.trim();
  // Digits only, at most as many as the limit has: 0 to departmentOrder.
  const orderValue = /^\d+$/.test(order) && order.length <= String(LIMITS.departmentOrder).length ? Number(order) : null;
  if (orderValue === null) problems.order = { key: 'errors.department.order', params: { max: LIMITS.departmentOrder } };
  const fields: DepartmentFields = {
    regulation: checkRegulation(input.regulation, problems),
    name: perLocale(
      'name',
      asText({ max: LIMITS.departmentName, required: 'errors.department.nameRequired', tooLong: 'errors.department.nameTooLong' }),
    ),
    guidance: perLocale('guidance', asText({ max: LIMITS.departmentGuidance, tooLong: 'errors.department.guidanceTooLong' })),
    keywords: perLocale('keywords', (field, value) => checkKeywords(problems, field, value)),
    emails: checkAddresses(input.emails, 'emails', problems),
    onCall: checkAddresses(input.onCall, 'onCall', problems),
    mailLocale: checkLocale(input.mailLocale, problems, 'mailLocale'),
    urgent: input.urgent,
    active: input.active,
    order: orderValue ?? 0,
  };
  return { fields, problems };
}

/** Every problem with a new member's form, by field (memberName and memberEmail, beside the department's own fields). */
export function checkMember(input: MemberInput): { member: MemberInput; problems: Record<string, Problem> } {
  const problems: Record<string, Problem> = {};
  const member = {
    userId: checkText(problems, 'userId', input.userId, {
      max: LIMITS.userId,
      required: 'errors.member.userIdRequired',
      tooLong: 'errors.member.userIdTooLong',
    }),
    name: checkText(problems, 'memberName', input.name, {
      max: LIMITS.memberName,
      required: 'errors.department.nameRequired',
      tooLong: 'errors.department.nameTooLong',
    }),
    email: input.email.trim(),
  };
  if (!isEmailAddress(member.email)) {
    problems.memberEmail = member.email
      ? { key: 'errors.department.emailInvalid', params: { address: member.email.slice(0, 100) } }
      : { key: 'errors.member.emailRequired' };
  }
  return { member, problems };
}
