// The rules for what an admin sets on a department and its members, as checks on the form.
import type { Locale } from '../host';
import type { DepartmentFields } from '../model/store';
import type { Problem } from '../model/errors';

/** The same codes settings.departments accepts (plugin.json), so either can name a department. */
export const CODE_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;
export const NAME_MAX = 100;
export const GUIDANCE_MAX = 1000;
export const ADDRESSES_MAX = 20;
/** The addresses are stored as a JSON array in a 2,000-character column. */
const ADDRESSES_STORED_MAX = 2000;
export const ORDER_MAX = 9999;
export const USER_ID_MAX = 64;
export const MEMBER_NAME_MAX = 200;
const LOCALES: Locale[] = ['ru', 'en'];

/** One address, no display name, no spaces or line breaks (it ends up in a header). */
export function isEmailAddress(text: string): boolean {
  return text.length <= 254 && /^[^\s@<>()[\]\\,;:"]+@[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)+$/u.test(text);
}

/** The form as typed: everything is text, except the two checkboxes. */
export interface DepartmentInput {
  code: string;
  nameRu: string;
  nameEn: string;
  guidanceRu: string;
  guidanceEn: string;
  /** Addresses separated by line breaks, commas or spaces. */
  emails: string;
  onCall: string;
  /** "ru", "en", or "" for the plugin's default. */
  mailLocale: string;
  order: string;
  urgent: boolean;
  active: boolean;
}

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

/** Trimmed text within max characters; required when a message key for "required" is given. */
function checkText(value: string, field: string, max: number, problems: Record<string, Problem>, keys: { required?: string; tooLong: string }): string {
  const text = value.trim();
  if (keys.required && !text) problems[field] = { key: keys.required };
  else if (text.length > max) problems[field] = { key: keys.tooLong, params: { max } };
  return text;
}

/** A list of addresses, each checked, duplicates (any case) dropped. */
function checkAddresses(value: string, field: string, problems: Record<string, Problem>): string[] {
  const addresses: string[] = [];
  for (const address of value.split(/[\s,;]+/).filter(Boolean)) {
    if (!isEmailAddress(address)) {
      problems[field] = { key: 'errors.department.emailInvalid', params: { address: address.slice(0, 100) } };
      return [];
    }
    if (!addresses.some((a) => a.toLowerCase() === address.toLowerCase())) addresses.push(address);
  }
  if (addresses.length > ADDRESSES_MAX) problems[field] = { key: 'errors.department.emailsTooMany', params: { max: ADDRESSES_MAX } };
  else if (JSON.stringify(addresses).length > ADDRESSES_STORED_MAX) problems[field] = { key: 'errors.department.emailsTooLong' };
  return addresses;
}

/** Every problem with a department's form, by field, and the department it describes. */
export function checkDepartment(input: DepartmentInput, isNew: boolean): { fields: DepartmentFields; problems: Record<string, Problem> } {
  const problems: Record<string, Problem> = {};
  if (isNew) {
    if (!input.code.trim()) problems.code = { key: 'errors.department.codeRequired' };
    else if (!CODE_PATTERN.test(input.code.trim())) problems.code = { key: 'errors.department.codeInvalid' };
  }
  const name = { required: 'errors.department.nameRequired', tooLong: 'errors.department.nameTooLong' };
  const guidance = { tooLong: 'errors.department.guidanceTooLong' };
  const order = input.order.trim();
  // Four digits at most: 0 to ORDER_MAX.
  const orderValue = /^\d{1,4}$/.test(order) ? Number(order) : null;
  if (orderValue === null) problems.order = { key: 'errors.department.order', params: { max: ORDER_MAX } };
  const fields: DepartmentFields = {
    name: { ru: checkText(input.nameRu, 'nameRu', NAME_MAX, problems, name), en: checkText(input.nameEn, 'nameEn', NAME_MAX, problems, name) },
    guidance: { ru: checkText(input.guidanceRu, 'guidanceRu', GUIDANCE_MAX, problems, guidance), en: checkText(input.guidanceEn, 'guidanceEn', GUIDANCE_MAX, problems, guidance) },
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
    userId: checkText(input.userId, 'userId', USER_ID_MAX, problems, { required: 'errors.member.userIdRequired', tooLong: 'errors.member.userIdTooLong' }),
    name: checkText(input.name, 'memberName', MEMBER_NAME_MAX, problems, { required: 'errors.department.nameRequired', tooLong: 'errors.department.nameTooLong' }),
    email: input.email.trim(),
  };
  if (!isEmailAddress(member.email)) {
    problems.memberEmail = member.email ? { key: 'errors.department.emailInvalid', params: { address: member.email.slice(0, 100) } } : { key: 'errors.member.emailRequired' };
  }
  return { member, problems };
}
