// The rules of the "how to contact support" page, as checks on what a customer sends.
import type { HostService } from '../host';
import type { Department, StoredFile } from './types';
import type { Problem } from './errors';

export const SUBJECT_MAX = 120;
export const MESSAGE_MAX = 20_000;

export interface NewTicketInput {
  subject: string;
  serviceId: string;
  departmentId: string;
  message: string;
}

export interface UploadRules {
  maxFiles: number;
  allowedTypes: string[];
}

/** Case, punctuation and spacing do not make a subject different from the message. */
function normalize(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** True when the subject is the message, or the message's opening words. */
export function subjectRepeatsMessage(subject: string, message: string): boolean {
  const s = normalize(subject);
  const m = normalize(message);
  if (!s || !m) return false;
  return m === s || m.startsWith(s + ' ');
}

export function checkMessage(message: string, problems: Record<string, Problem>, field = 'message'): void {
  if (!message.trim()) problems[field] = { key: 'errors.message.required' };
  else if (message.length > MESSAGE_MAX) problems[field] = { key: 'errors.message.tooLong', params: { max: MESSAGE_MAX } };
}

export function checkFiles(files: StoredFile[], rules: UploadRules, problems: Record<string, Problem>): void {
  if (files.length > rules.maxFiles) {
    problems.files = { key: 'errors.files.tooMany', params: { max: rules.maxFiles } };
    return;
  }
  const empty = files.find((f) => f.size === 0);
  if (empty) {
    problems.files = { key: 'errors.files.empty', params: { name: empty.originalName } };
    return;
  }
  const refused = files.find((f) => !rules.allowedTypes.includes(f.contentType));
  if (refused) problems.files = { key: 'errors.files.type', params: { name: refused.originalName } };
}

export interface NewTicketContext {
  services: HostService[];
  departments: Department[];
  uploads: UploadRules;
}

/** Every problem with a new ticket, by form field; empty when it may be created. */
export function checkNewTicket(input: NewTicketInput, files: StoredFile[], ctx: NewTicketContext): Record<string, Problem> {
  const problems: Record<string, Problem> = {};
  const subject = input.subject.trim();
  if (!subject) problems.subject = { key: 'errors.subject.required' };
  else if (subject.length > SUBJECT_MAX) problems.subject = { key: 'errors.subject.tooLong', params: { max: SUBJECT_MAX } };
  else if (subjectRepeatsMessage(subject, input.message)) problems.subject = { key: 'errors.subject.repeatsMessage' };

  if (input.serviceId !== '' && !ctx.services.some((s) => s.id === input.serviceId)) {
    problems.serviceId = { key: 'errors.service.unknown' };
  }
  if (!ctx.departments.some((d) => d.active && String(d.id) === input.departmentId)) {
    problems.departmentId = { key: input.departmentId ? 'errors.department.unknown' : 'errors.department.required' };
  }
  checkMessage(input.message, problems);
  checkFiles(files, ctx.uploads, problems);
  return problems;
}
