// Posting plain forms the way a browser does: the CSRF token in the action URL, the fields url-encoded.
import type { TestAgent, TestPlugin } from './test-host';

export function postForm(agent: TestAgent, url: string, token: string | null, body: Record<string, string> = {}) {
  return agent
    .post(token === null ? url : `${url}${url.includes('?') ? '&' : '?'}_csrf=${encodeURIComponent(token)}`)
    .type('form')
    .send(body);
}

/** A valid department form; checkboxes are sent only when checked, as browsers do. */
export function departmentForm(fields: Record<string, string> = {}): Record<string, string> {
  return {
    code: 'vip',
    nameRu: 'VIP-отдел',
    nameEn: 'VIP desk',
    guidanceRu: 'Для клиентов с персональным менеджером.',
    guidanceEn: 'For customers with a personal manager.',
    emails: 'vip@panel.example',
    onCall: '',
    mailLocale: '',
    order: '40',
    active: '1',
    ...fields,
  };
}

export async function rowCount(t: TestPlugin, table: string): Promise<number> {
  return Number((await t.knex(table).count({ n: '*' }))[0]?.n);
}

/** What a create form shown again carries: its submission key and the tokens of the files it kept. */
export function keptFormOf(html: string): { submissionKey: string; pending: string[] } {
  const submissionKey = /name="submissionKey" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const pending = [...html.matchAll(/name="pending" value="([^"]+)"/g)].map((m) => m[1] as string);
  return { submissionKey, pending };
}

/** Files kept for create forms shown again (pending uploads), of every customer. */
export function pendingCount(t: TestPlugin): Promise<number> {
  return rowCount(t, t.tables.pendingUploads);
}
