// The rules of the "how to contact support" page, as checks on what a customer sends.
import type { HostService } from '../host';
import type { Department, StoredFile } from '../model/types';
import { ValidationError, type Problem } from '../model/errors';
import { checkSubject } from './subject-rule';
import { checkText, LIMITS } from './field-rules';

export interface NewTicketInput {
  subject: string;
  serviceId: string;
  departmentId: string;
  message: string;
  /** The customer chose "send as it is" after the warning about a copied subject. */
  subjectConfirmed?: boolean;
  /** The customer said "yes, this is an emergency" for an urgent department. */
  emergencyConfirmed?: boolean;
  /** Opened by an e-mail to a support address: the confirmation says so. */
  openedByMail?: boolean;
}

export interface UploadRules {
  maxFiles: number;
  allowedTypes: string[];
}

function checkMessage(message: string, problems: Record<string, Problem>, field = 'message'): void {
  checkText(problems, field, message, {
    max: LIMITS.message,
    required: 'errors.message.required',
    tooLong: 'errors.message.tooLong',
    asTyped: true,
  });
}

function checkFiles(files: StoredFile[], rules: UploadRules, problems: Record<string, Problem>): void {
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

/** Refuses a message (a reply, a note) whose text or files break the rules, with a problem per field. */
export function refuseBadMessage(message: string, files: StoredFile[], rules: UploadRules, field = 'message'): void {
  const problems: Record<string, Problem> = {};
  checkMessage(message, problems, field);
  checkFiles(files, rules, problems);
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
}

export interface NewTicketContext {
  services: HostService[];
  departments: Department[];
  uploads: UploadRules;
}

/**
 * Every problem with a new ticket, by form field; empty when it may be created. A subject copied
 * from the message comes back as `subjectWarning`, which the customer may confirm and send.
 */
export function checkNewTicket(input: NewTicketInput, files: StoredFile[], ctx: NewTicketContext): Record<string, Problem> {
  const problems: Record<string, Problem> = {};
  const subject = checkText(problems, 'subject', input.subject, {
    max: LIMITS.subject,
    required: 'errors.subject.required',
    tooLong: 'errors.subject.tooLong',
  });
  const department = ctx.departments.find((d) => String(d.id) === input.departmentId);
  // An e-mail cannot be sent back for another subject: the department asks in the thread instead.
  const subjectRule = input.openedByMail
    ? {}
    : checkSubject(subject, input.message, department?.code ?? null, input.subjectConfirmed === true);
  // The subject rule speaks only of a subject that is there and short enough.
  if (!problems.subject && subjectRule.refused) problems.subject = subjectRule.refused;
  else if (!problems.subject && subjectRule.warning) problems.subjectWarning = subjectRule.warning;

  if (input.serviceId !== '' && !ctx.services.some((s) => s.id === input.serviceId)) {
    problems.serviceId = { key: 'errors.service.unknown' };
  }
  if (!ctx.departments.some((d) => d.active && String(d.id) === input.departmentId)) {
    problems.departmentId = { key: input.departmentId ? 'errors.department.unknown' : 'errors.department.required' };
  }
  // An urgent department wakes the on-call engineer: the form asks once whether it is meant.
  // An e-mail cannot be asked; its address chose the department.
  if (department?.urgent && department.active && !input.emergencyConfirmed && !input.openedByMail) {
    problems.emergencyConfirm = { key: 'emergency.confirmNeeded' };
  }
  checkMessage(input.message, problems);
  checkFiles(files, ctx.uploads, problems);
  return problems;
}
