// The create form's department hint as the server sends it: the data and script for the browser
// (the domain's suggester itself, wrapped), and, without JavaScript, the hint on a form shown
// again after a refusal, when the text looks like another department's than the one chosen.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { forEachDatabase } from '../support/databases';
import { startPlugin, type TestPlugin } from '../support/test-host';
import { departmentId } from '../support/tickets';

/** The five characters a view escapes. */
const ENTITIES: Record<string, string> = { '#34': '"', '#39': "'", lt: '<', gt: '>', amp: '&' };
const PAYMENT = 'Пытаюсь пополнить баланс картой, платёж отклоняется.';

forEachDatabase('create form: the department hint', (db) => {
  let t: TestPlugin;
  before(async () => {
    t = await startPlugin(db);
  });
  after(() => t.close());

  /** The create form sent with an empty subject (so it comes back), this message and department. */
  async function refusedForm(message: string, department: string): Promise<string> {
    const ivan = t.as('ivan');
    const res = await ivan
      .post(`/?_csrf=${encodeURIComponent(await ivan.csrf())}`)
      .field('subject', '')
      .field('serviceId', '')
      .field('departmentId', String(await departmentId(t, department)))
      .field('message', message);
    assert.equal(res.status, 422);
    return res.text;
  }

  const hintOf = (page: string) => /<div id="department-hint"[^>]*>([\s\S]*?)<\/div>/.exec(page)?.[1]?.trim() ?? null;

  it('gives the browser each department’s keywords and the sentences, and an empty hint before anything is typed', async () => {
    const page = (await t.as('ivan').get('/new')).text;
    assert.equal(hintOf(page), '');
    const attribute = /data-suggest="([^"]*)"/.exec(page)?.[1] ?? '';
    const data = JSON.parse(attribute.replace(/&(#34|#39|lt|gt|amp);/g, (_, name: string) => ENTITIES[name] as string));
    assert.equal(data.locale, 'ru');
    assert.equal(data.withTopic, 'Похоже на вопрос {topic} — это «{department}».');
    assert.deepEqual(
      data.departments.map((d: { name: string }) => d.name),
      ['Отдел по работе с клиентами', 'Технический отдел', 'Аварийная служба'],
    );
    assert.deepEqual(data.departments[0].keywords.ru[0].words.slice(0, 2), ['оплат', 'платёж']);
    assert.match(page, /<script src="\/support\/requests\/assets\/department-hint\.js\?v=[0-9a-f]{12}" defer><\/script>/);
  });

  it('serves the script: the domain’s suggester and the page’s script, cached while its version holds, runnable as it is', async () => {
    const page = (await t.as('ivan').get('/new')).text;
    const url = /src="\/support\/requests(\/assets\/department-hint\.js\?v=[0-9a-f]+)"/.exec(page)?.[1] as string;
    const script = await t.as('').get(url);
    assert.equal(script.status, 200);
    assert.match(script.headers['content-type'] as string, /^text\/javascript/);
    assert.equal(script.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(script.headers['x-content-type-options'], 'nosniff');
    assert.ok(script.text.includes('function departmentSuggester('), 'the domain’s suggester');
    const pageScript = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'public', 'department-hint.js'), 'utf8');
    assert.ok(script.text.includes(pageScript), 'the page’s script');
    assert.doesNotMatch(script.text, /sourceMappingURL|require\(/);
    // It runs in a page without the hint and leaves nothing behind in the page's global scope.
    const page$ = { document: { getElementById: () => null } };
    vm.runInNewContext(script.text, page$);
    assert.deepEqual(Object.keys(page$), ['document']);
    assert.equal((await t.as('').get('/assets/department-hint.js?v=old')).headers['cache-control'], 'no-cache');
  });

  it('shows the hint on a form shown again, without JavaScript, when another department fits; never changes the choice', async () => {
    const page = await refusedForm(PAYMENT, 'technical');
    const clients = await departmentId(t, 'client_relations');
    assert.equal(
      hintOf(page),
      `<p class="notice"><span>Похоже на вопрос об оплате — это «Отдел по работе с клиентами».</span> <button type="button" class="btn" value="${clients}" hidden>Выбрать этот отдел</button></p>`,
    );
    const technical = await departmentId(t, 'technical');
    assert.match(page, new RegExp(`value="${technical}" checked`), 'Technical stays chosen');
    assert.doesNotMatch(page, new RegExp(`value="${clients}" checked`));
    // Chosen already, or nothing to go by: no hint.
    assert.equal(hintOf(await refusedForm(PAYMENT, 'client_relations')), '');
    assert.equal(hintOf(await refusedForm('Здравствуйте, у меня вопрос.', 'technical')), '');
  });
});
