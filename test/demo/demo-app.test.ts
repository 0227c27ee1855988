// The demo billing panel: sign-in with the host's CSRF token, services per customer, the plugin's
// menu entry, redirects for anonymous visitors, a seed that runs once.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createDemoApp, type DemoApp } from '../../demo/app';
import { departmentId, hiddenField, memoryLogger, pluginCsrf, signIn, userId } from './panel-session';

function start(dataDir: string): Promise<DemoApp> {
  return createDemoApp({ dataDir, logger: memoryLogger() });
}

describe('demo billing panel', () => {
  let dataDir: string;
  let demo: DemoApp;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'panel-demo-'));
    demo = await start(dataDir);
  });

  after(async () => {
    await demo?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists the demo accounts on the sign-in page, one button each, and says there are no passwords', async () => {
    const res = await request(demo.app).get('/login').expect(200).expect('Content-Type', /html/);
    for (const text of ['Иван Петров', 'ivan@example.ru', 'Alice Smith', 'alice@example.com', 'Tech: Sergey', 'admin@panel.example']) {
      assert.ok(res.text.includes(text), `sign-in page lacks ${text}`);
    }
    assert.equal((res.text.match(/name="userId"/g) ?? []).length, 6);
    assert.match(res.text, /Это демонстрационная панель: паролей нет\./);
    const english = await request(demo.app).get('/login').set('accept-language', 'en').expect(200);
    assert.match(english.text, /This is a demo panel: there are no passwords\./);
    assert.match(res.text, /Billing panel \(demo\)/);
    assert.match(res.headers['set-cookie']?.[0] ?? '', /^panel_sid=[^;]+;.*HttpOnly.*SameSite=Lax/i);
  });

  it('shows a customer their services and the plugin menu entry', async () => {
    const ivan = await signIn(demo, 'ivan@example.ru');
    const res = await ivan.get('/services').expect(200);
    for (const label of ['VPS Cloud-2 (Москва)', 'petrov-shop.ru', 'Хостинг Старт']) assert.ok(res.text.includes(label), label);
    assert.match(res.text, /<a href="\/support\/requests">Запросы<\/a>/);
    assert.match(res.text, /<a href="\/services" class="current" aria-current="page">Услуги<\/a>/);
    assert.ok(res.text.includes('Иван Петров'));

    const alice = await signIn(demo, 'alice@example.com');
    const page = await alice.get('/services').expect(200);
    assert.match(page.text, /<a href="\/support\/requests">Requests<\/a>/);
    assert.ok(page.text.includes('alice-dev.com'));
  });

  it('does not show a customer the other customer’s services', async () => {
    const alice = await signIn(demo, 'alice@example.com');
    const res = await alice.get('/services').expect(200);
    for (const label of ['VPS Cloud-4 (Amsterdam)', 'alice-dev.com', 'Shared hosting Pro']) assert.ok(res.text.includes(label), label);
    for (const label of ['VPS Cloud-2 (Москва)', 'petrov-shop.ru', 'Хостинг Старт']) assert.ok(!res.text.includes(label), label);
  });

  it('opens the plugin inside the layout for a signed-in customer', async () => {
    const ivan = await signIn(demo, 'ivan@example.ru');
    const res = await ivan.get('/support/requests').expect(200);
    assert.match(res.text, /<a href="\/support\/requests" class="current" aria-current="page">Запросы<\/a>/);
    assert.match(res.text, /Billing panel \(demo\)/);
  });

  it("shows staff the plugin's badge of requests waiting in their department", async () => {
    const ivan = await signIn(demo, 'ivan@example.ru');
    const token = await pluginCsrf(ivan, demo);
    await ivan
      .post(`/support/requests/?_csrf=${encodeURIComponent(token)}`)
      .field('subject', 'Сервер недоступен')
      .field('departmentId', await departmentId(demo, 'technical'))
      .field('message', 'С утра не открывается сайт.')
      .expect(303);
    const tech = await signIn(demo, 'sergey@panel.example');
    const page = await tech.get('/services').expect(200);
    assert.match(
      page.text,
      /<a href="\/support\/requests">[^<]+ <span class="menu-badge" title="Requests waiting for an answer">1<span class="visually-hidden">: Requests waiting for an answer<\/span><\/span><\/a>/,
    );
    const customer = await ivan.get('/services').expect(200);
    assert.doesNotMatch(customer.text, /<span class="menu-badge"/);
  });

  it("shows a customer the plugin's badge of answers they have not read, and what it counts", async () => {
    const ivan = await signIn(demo, 'ivan@example.ru');
    const token = await pluginCsrf(ivan, demo);
    const created = await ivan
      .post(`/support/requests/?_csrf=${encodeURIComponent(token)}`)
      .field('subject', 'Не приходит счёт')
      .field('departmentId', await departmentId(demo, 'technical'))
      .field('message', 'Счёт за март не пришёл на почту.')
      .expect(303);
    const number = /\/(\d{8})\?/.exec(String(created.headers.location))?.[1] as string;
    const tech = await signIn(demo, 'sergey@panel.example');
    const staffPage = await tech.get(`/support/requests/${number}`).expect(200);
    const staffToken = decodeURIComponent(/reply\?_csrf=([^"&]+)/.exec(staffPage.text)?.[1] ?? '');
    await tech
      .post(`/support/requests/${number}/reply?_csrf=${encodeURIComponent(staffToken)}`)
      .field('lastSeenId', hiddenField(staffPage.text, 'lastSeenId'))
      .field('submissionKey', hiddenField(staffPage.text, 'submissionKey'))
      .field('message', 'Отправили повторно.')
      .expect(303);
    const page = await ivan.get('/services').expect(200);
    assert.match(
      page.text,
      /<a href="\/support\/requests">Запросы <span class="menu-badge" title="Запросы с новым ответом">1<span class="visually-hidden">: Запросы с новым ответом<\/span><\/span><\/a>/,
    );
    await ivan.get(`/support/requests/${number}`).expect(200);
    assert.doesNotMatch((await ivan.get('/services').expect(200)).text, /<span class="menu-badge"/);
  });

  it('has no Mailbox when it runs no mail catcher', async () => {
    assert.equal(demo.catcher, null);
    const ivan = await signIn(demo, 'ivan@example.ru');
    const page = await ivan.get('/services').expect(200);
    assert.doesNotMatch(page.text, /href="\/mailbox"/);
    await ivan.get('/mailbox').expect(404);
  });

  it('sends anonymous visitors to the sign-in page', async () => {
    await request(demo.app).get('/services').expect(303).expect('Location', '/login?next=%2Fservices');
    await request(demo.app)
      .get('/support/requests')
      .expect(303)
      .expect('Location', /^\/login/);
    await request(demo.app).get('/').expect(303).expect('Location', '/login');
  });

  it('refuses POST /login without the CSRF token', async () => {
    const agent = request.agent(demo.app);
    await agent.get('/login').expect(200);
    const id = await userId(demo, 'ivan@example.ru');
    await agent.post('/login').type('form').send({ userId: id }).expect(403);
    await agent.post('/login').type('form').send({ userId: id, _csrf: 'forged' }).expect(403);
    await agent
      .get('/services')
      .expect(303)
      .expect('Location', /^\/login/);
  });

  it('switches the language in the session and signs out', async () => {
    const ivan = await signIn(demo, 'ivan@example.ru');
    const page = await ivan.get('/services').expect(200);
    await ivan
      .post('/language')
      .type('form')
      .send({ _csrf: hiddenField(page.text, '_csrf'), lang: 'en', returnTo: '/services' })
      .expect(303)
      .expect('Location', '/services');
    const english = await ivan.get('/services').expect(200);
    assert.match(english.text, /<a href="\/support\/requests">Requests<\/a>/);
    assert.match(english.text, /<html lang="en">/);

    await ivan
      .post('/logout')
      .type('form')
      .send({ _csrf: hiddenField(english.text, '_csrf') })
      .expect(303)
      .expect('Location', '/login');
    await ivan.get('/services').expect(303);
  });

  it('starts a new session at sign-in and at sign-out, keeping only the chosen language', async () => {
    const sessionCookie = (res: request.Response) => /panel_sid=[^;]+/.exec(String(res.headers['set-cookie'] ?? ''))?.[0];
    const agent = request.agent(demo.app);
    const login = await agent.get('/login').expect(200);
    const anonymous = sessionCookie(login);
    assert.ok(anonymous, 'a session from the first page');
    await agent
      .post('/language')
      .type('form')
      .send({ _csrf: hiddenField(login.text, '_csrf'), lang: 'en', returnTo: '/login' })
      .expect(303);
    const english = await agent.get('/login').expect(200);
    const signedIn = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: hiddenField(english.text, '_csrf'), userId: await userId(demo, 'ivan@example.ru') })
      .expect(303);
    const signedInCookie = sessionCookie(signedIn);
    assert.ok(signedInCookie && signedInCookie !== anonymous, 'a new session id at sign-in');
    await request(demo.app)
      .get('/services')
      .set('Cookie', anonymous)
      .expect(303)
      .expect('Location', /^\/login/);
    const services = await agent.get('/services').expect(200);
    assert.match(services.text, /<html lang="en">/);

    const out = await agent
      .post('/logout')
      .type('form')
      .send({ _csrf: hiddenField(services.text, '_csrf') })
      .expect(303);
    assert.ok(sessionCookie(out) && sessionCookie(out) !== signedInCookie, 'a new session id at sign-out');
    await request(demo.app)
      .get('/services')
      .set('Cookie', signedInCookie)
      .expect(303)
      .expect('Location', /^\/login/);
    assert.match((await agent.get('/login').expect(200)).text, /<html lang="en">/);
  });

  it('seeds the accounts only once', async () => {
    const count = async (d: DemoApp, table: string) =>
      Number(((await d.knex(table).count({ n: '*' }).first()) as { n: number | string }).n);
    const users = await count(demo, 'panel_users');
    const services = await count(demo, 'panel_services');
    assert.equal(users, 6);
    assert.equal(services, 6);
    const again = await start(dataDir);
    try {
      assert.equal(await count(again, 'panel_users'), users);
      assert.equal(await count(again, 'panel_services'), services);
    } finally {
      await again.close();
    }
  });
});
