// Every limit on what people type, and the one check of a text field against its limit. The
// domain's rules read these, the renderer hands LIMITS to every view (maxlength="<%= limits.subject %>"),
// and the messages that name a limit get it as a parameter, so a limit is written here only.
import type { Problem } from '../model/errors';

export const LIMITS = {
  /** A request's subject, trimmed. */
  subject: 120,
  /** A message: a request's first one, a reply, a note; also a canned reply's body. Counted as typed. */
  message: 20_000,
  cannedTitle: 120,
  transferReason: 500,
  /** The customer's comment on their rating of a request. */
  ratingComment: 1000,
  /** A department's code: a letter, then letters, digits and "_" (CODE_PATTERN in department-rules). */
  departmentCode: 32,
  departmentName: 100,
  departmentGuidance: 1000,
  /** A department's keywords in one language, as typed on the Departments page (lines "topic: word, word"). */
  departmentKeywords: 3000,
  /** One keyword or phrase, and a keyword group's topic. */
  keyword: 40,
  keywordTopic: 60,
  /** Addresses in one list of a department (its e-mails, its on-call ones). */
  departmentAddresses: 20,
  /** The largest sort order of a department: four digits. */
  departmentOrder: 9999,
  /** A department's usual time to answer, in minutes: at most a week (as plugin.json's settings.departments). */
  /** A member's user id in the panel. */
  userId: 64,
  memberName: 200,
  /** The longest e-mail address SMTP carries. */
  emailAddress: 254,
  /** The staff queue's search box and service-kind filter. */
  queueSearch: 200,
  /** The customer's list's search box (a number or words of a subject). */
  listSearch: 200,
  serviceKind: 32,
  /** An incident's title in each language. */
  incidentTitle: 120,
  /** An incident's text, an update, a final message: each language's text. */
  incidentText: 4000,
  /** Service kinds or service ids an incident names. */
  incidentTargets: 50,
} as const;

/** How one text field is checked: its limit and the message keys of its two problems. */
export interface TextRule {
  max: number;
  /** The message key when the field is blank; an optional field has none. */
  required?: string;
  tooLong: string;
  /** Counted and returned as typed, spaces around it included, as the browser's maxlength counts (a message is kept so); otherwise trimmed. */
  asTyped?: boolean;
}

/** The field's text (trimmed unless asTyped); a blank required field or one over its limit puts its problem in problems[field]. */
export function checkText(problems: Record<string, Problem>, field: string, value: string, rule: TextRule): string {
  const text = rule.asTyped ? value : value.trim();
  if (rule.required && !value.trim()) problems[field] = { key: rule.required };
  else if (text.length > rule.max) problems[field] = { key: rule.tooLong, params: { max: rule.max } };
  return text;
}
