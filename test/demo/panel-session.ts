// Signing in to the demo panel the way a browser does: the sign-in page's CSRF token, a cookie
// jar, and the plugin's CSRF token read from its create form.
import assert from 'node:assert/strict';
import request from 'supertest';
import type { DemoApp } from '../../demo/app';
import type { HostLogger } from '../../src/host';

/** Log lines kept in memory instead of the console; `lines` to look at them. */
export function memoryLogger(): HostLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
}

export function hiddenField(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  assert.ok(match, `no hidden field ${name} in the page`);
  return match[1] as string;
}

export async function userId(demo: DemoApp, email: string): Promise<string> {
  const row = (await demo.knex('panel_users').where({ email }).first()) as { id: number } | undefined;
  assert.ok(row, `no user ${email}`);
  return String(row.id);
}

/** A browser (cookie jar) signed in as the user with this e-mail. */
export async function signIn(demo: DemoApp, email: string) {
  const agent = request.agent(demo.app);
  const login = await agent.get('/login').expect(200);
  const token = hiddenField(login.text, '_csrf');
  await agent
    .post('/login')
    .type('form')
    .send({ _csrf: token, userId: await userId(demo, email) })
    .expect(303)
    .expect('Location', '/services');
  return agent;
}

export type PanelAgent = Awaited<ReturnType<typeof signIn>>;

/** The plugin's CSRF token, from the action URL of its create form. */
export async function pluginCsrf(agent: PanelAgent, demo: DemoApp): Promise<string> {
  const form = await agent.get(`${demo.plugin.mountPath}/new`).expect(200);
  const match = /_csrf=([^"&]+)/.exec(form.text);
  assert.ok(match, 'no CSRF token on the create form');
  return decodeURIComponent(match[1] as string);
}

/** The id of the plugin's department with this code (the demo keeps the default table prefix). */
export async function departmentId(demo: DemoApp, code: string): Promise<string> {
  const row = (await demo.knex('support_departments').where({ code }).first('id')) as { id: number } | undefined;
  assert.ok(row, `no department ${code}`);
  return String(row.id);
}
