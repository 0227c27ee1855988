// The staff pages as a workspace: the queue without a Department column for someone of one
// department, a transferred request's banner and its count on the receiving department's badge,
// the history in words (department and status names, never codes), and the staff the host
// places in each department on the admin's Departments list.
import assert from 'node:assert/strict';
import { forEachDatabase } from '../support/databases';
import { startPlugin, users, type TestAgent, type TestPlugin } from '../support/test-host';
import { createTicket, departmentId } from '../support/tickets';
import { postForm } from '../support/forms';

/** Posts one of the ticket page's action forms as the browser would, with the page's token. */
async function act(agent: TestAgent, number: string, action: string, body: Record<string, string>) {
  const token = await agent.csrf(`/${number}`);
  return postForm(agent, `/${number}/${action}`, token, body);
}

const columns = (html: string) => [...html.matchAll(/<th scope="col">([^<]*)<\/th>/g)].map((m) => m[1]);

forEachDatabase('staff workspace', (db) => {
  let t: TestPlugin;
  afterEach(() => t?.close());

  it('the queue drops the Department column and filter for someone of one department, and keeps them for an admin', async () => {
    t = await startPlugin(db);
    await createTicket(t, t.as('ivan'), { subject: 'Сайт не открывается', department: 'technical' });
    const tech = await t.as('tech').get('/');
    assert.deepEqual(columns(tech.text), ['Номер', 'Тема · Клиент', 'Услуга', 'Статус', 'Ждёт', 'Ответственный']);
    assert.doesNotMatch(tech.text, /id="department"/, 'no filter with one choice');
    assert.match(
      tech.text,
      /Сайт не открывается<\/a>\s*<span class="support-queue-customer">Иван Петров <span class="muted">ivan@example.ru<\/span>/,
    );
    const admin = await t.as('admin').get('/');
    assert.deepEqual(columns(admin.text), ['Number', 'Subject · Customer', 'Service', 'Department', 'Status', 'Waiting', 'Assignee']);
    assert.match(admin.text, /id="department"/);
  });

  it('a transferred request: the receiving department sees where it came from and why, and its badge counts it until opened', async () => {
    t = await startPlugin(db);
    const number = await createTicket(t, t.as('ivan'), { subject: 'Вернуть деньги', department: 'technical' });
    const tech = t.as('tech');
    // Answered first: not waiting, so only the transfer makes it count.
    const form = await tech.get(`/${number}`);
    const pick = (re: RegExp) => re.exec(form.text)?.[1] ?? '';
    const answered = await tech
      .post(`/${number}/reply?_csrf=${pick(/reply\?_csrf=([^"&]+)/)}`)
      .field('lastSeenId', pick(/name="lastSeenId" value="(\d+)"/))
      .field('submissionKey', pick(/name="submissionKey" value="([^"]+)"/))
      .field('message', 'Передаём коллегам.');
    assert.equal(answered.status, 303);
    assert.equal(await t.plugin.menuBadge(users.olga!), null, 'nothing waits in client relations');

    const reason = 'Клиент просит вернуть <деньги> & закрыть счёт';
    const moved = await act(tech, number, 'transfer', {
      departmentId: await departmentId(t, 'client_relations'),
      reason,
      submissionKey: 'k-1',
    });
    assert.equal(moved.status, 303);
    assert.equal(await t.plugin.menuBadge(users.olga!), 1, 'the transfer counts on the new department’s badge');
    assert.equal(await t.plugin.menuBadge(users.tech!), null, 'and not on the old one’s');
    assert.match((await t.as('olga').get('/')).text, /data-transfer-unseen>Передан вам</);

    // An admin looking in does not count as the department having seen it.
    const asAdmin = await t.as('admin').get(`/${number}`);
    assert.match(
      asAdmin.text,
      /Transferred from Technical to Client relations<\/strong>\. Reason: Клиент просит вернуть &lt;деньги&gt; &amp; закрыть счёт/,
    );
    assert.equal(await t.plugin.menuBadge(users.olga!), 1);

    const page = await t.as('olga').get(`/${number}`);
    assert.match(
      page.text,
      /<div class="notice notice-transfer is-new" data-transfer-banner>\s*<p><strong>Запрос передан вам\. Прежний отдел: Технический отдел<\/strong>\. Причина: Клиент просит вернуть &lt;деньги&gt; &amp; закрыть счёт<\/p>/,
    );
    assert.equal(await t.plugin.menuBadge(users.olga!), null, 'opened by the department: no longer counted');
    assert.doesNotMatch((await t.as('olga').get('/')).text, /data-transfer-unseen/);
    assert.match(
      (await t.as('olga').get(`/${number}`)).text,
      /class="notice notice-transfer" data-transfer-banner/,
      'the banner stays, no longer new',
    );
  });

  it('the history reads in words, with localized names and no codes, in Russian and in English', async () => {
    t = await startPlugin(db);
    const number = await createTicket(t, t.as('ivan'), { subject: 'Счёт', department: 'technical' });
    const tech = t.as('tech');
    assert.equal((await act(tech, number, 'priority', { priority: 'high' })).status, 303);
    assert.equal((await act(tech, number, 'assign', { assignee: 'me' })).status, 303);
    assert.equal((await act(tech, number, 'status', { open: '0' })).status, 303);
    assert.equal((await act(tech, number, 'status', { open: '1' })).status, 303);
    const transfer = { departmentId: await departmentId(t, 'client_relations'), reason: 'Вопрос об оплате', submissionKey: 'k-2' };
    assert.equal((await act(tech, number, 'transfer', transfer)).status, 303);

    const lines = (html: string) =>
      [...html.matchAll(/<li data-action="[^"]+"><span class="muted">[^<]*<\/span> <strong>([^<]*)<\/strong>: ([^<]*)<\/li>/g)].map(
        (m) => `${m[1]}: ${m[2]}`,
      );
    const ru = await t.as('olga').get(`/${number}`);
    assert.deepEqual(lines(ru.text), [
      'Tech Sergey: Приоритет: обычный → высокий',
      'Tech Sergey: Ответственный: никто → Tech Sergey',
      'Tech Sergey: Статус: новый → закрыт',
      'Tech Sergey: Статус: закрыт → ждёт нашего ответа',
      'Tech Sergey: Передан: Технический отдел → Отдел по работе с клиентами. Причина: Вопрос об оплате',
      'Tech Sergey: Ответственный: Tech Sergey → никто',
    ]);
    const en = await t.as('admin').get(`/${number}`);
    assert.deepEqual(lines(en.text), [
      'Tech Sergey: Priority: normal → high',
      'Tech Sergey: Assignee: nobody → Tech Sergey',
      'Tech Sergey: Status: new → closed',
      'Tech Sergey: Status: closed → awaiting our reply',
      'Tech Sergey: Transferred from Technical to Client relations. Reason: Вопрос об оплате',
      'Tech Sergey: Assignee: Tech Sergey → nobody',
    ]);
    for (const html of [ru.text, en.text]) {
      const history = /<ol class="support-audit">[\s\S]*?<\/ol>/.exec(html)?.[0] ?? '';
      assert.doesNotMatch(history, /technical|client_relations|\bwaiting\b/, 'no codes in the history');
    }
  });

  it("the Departments list shows the staff the host places in each department (staffOf), and the page's own list", async () => {
    t = await startPlugin(db, {}, { staffOf: true });
    const token = await t.as('admin').csrf(`/admin/departments/${await departmentId(t, 'emergency')}`);
    const added = await postForm(t.as('admin'), `/admin/departments/${await departmentId(t, 'emergency')}/members`, token, {
      userId: 's-max',
      memberName: 'Max Member',
      memberEmail: 'max@panel.example',
    });
    assert.equal(added.status, 303);
    const page = await t.as('admin').get('/admin/departments');
    const staffOf = (code: string) =>
      (new RegExp(`<tr data-code="${code}"[\\s\\S]*?<td[^>]*data-staff>([\\s\\S]*?)</td>`).exec(page.text)?.[1] ?? '')
        .replace(/\s+/g, ' ')
        .trim();
    assert.match(staffOf('technical'), /<li>Tech Sergey<\/li>/);
    assert.match(staffOf('client_relations'), /<li>Ольга<\/li>/);
    assert.match(staffOf('emergency'), /<li>Max Member <span class="muted">\(on this page&#39;s list\)<\/span><\/li>/);
    assert.doesNotMatch(page.text, /<td[^>]*>—<\/td>/);
    // Every department's edit link is in its first column, beside its name.
    for (const code of ['technical', 'client_relations', 'emergency']) {
      const id = await departmentId(t, code);
      assert.match(page.text, new RegExp(`<a class="support-edit-link" href="/support/requests/admin/departments/${id}">Edit`));
    }
  });
});
