// Canned replies as admins manage them: a department's ready answers (title, body, language).
// Staff get them with the ticket they answer (staff-tickets view), never by id alone.
import type { CannedReplyFields, Store } from '../model/store';
import type { CannedReply, Clock, Department } from '../model/types';
import { NotFoundError, ValidationError, type Problem } from '../model/errors';
import { checkLocale } from './department-rules';
import { checkText, LIMITS } from './field-rules';
import { parseId } from './ids';

/** The form as typed. */
export interface CannedReplyInput {
  departmentId: string;
  title: string;
  body: string;
  /** A language of LOCALES, or "" for either. */
  locale: string;
}

export interface CannedReplyDeps {
  store: Store;
  now?: Clock;
}

export function cannedReplies(deps: CannedReplyDeps) {
  const { store } = deps;
  const now = deps.now ?? Date.now;

  async function existing(id: number): Promise<CannedReply> {
    const reply = Number.isSafeInteger(id) ? await store.canned.find(id) : null;
    if (!reply) throw new NotFoundError('canned reply');
    return reply;
  }

  /** The reply the form describes, or every problem with it by field. A body is kept as typed: staff send it as is. */
  async function checked(input: CannedReplyInput): Promise<CannedReplyFields> {
    const problems: Record<string, Problem> = {};
    const departmentId = parseId(input.departmentId);
    if (departmentId === null || !(await store.departments.find(departmentId))) {
      problems.departmentId = { key: 'errors.canned.department' };
    }
    const title = checkText(problems, 'title', input.title, {
      max: LIMITS.cannedTitle,
      required: 'errors.canned.titleRequired',
      tooLong: 'errors.canned.titleTooLong',
    });
    const body = checkText(problems, 'body', input.body, {
      max: LIMITS.message,
      required: 'errors.canned.bodyRequired',
      tooLong: 'errors.canned.bodyTooLong',
      asTyped: true,
    });
    const locale = checkLocale(input.locale, problems, 'locale');
    if (Object.keys(problems).length > 0) throw new ValidationError(problems);
    // A null id was reported above.
    return { departmentId: departmentId as number, title, body, locale };
  }

  return {
    /** Replies of one department, or of all of them when departmentId is null. */
    list: (departmentId: number | null): Promise<CannedReply[]> => store.canned.list(departmentId),

    /** Departments a reply can belong to: all of them, inactive ones keep theirs. */
    departments: (): Promise<Department[]> => store.departments.list({ activeOnly: false }),

    get: existing,

    async create(input: CannedReplyInput): Promise<CannedReply> {
      const fields = await checked(input);
      return existing(await store.canned.create(fields, now()));
    },

    async update(id: number, input: CannedReplyInput): Promise<CannedReply> {
      await existing(id);
      if (!(await store.canned.update(id, await checked(input), now()))) throw new NotFoundError('canned reply');
      return existing(id);
    },

    async remove(id: number): Promise<void> {
      if (!Number.isSafeInteger(id) || !(await store.canned.remove(id))) throw new NotFoundError('canned reply');
    },
  };
}

export type CannedReplies = ReturnType<typeof cannedReplies>;
