// A department's emergency escalation on the Departments page: settings seed it, only admins
// change it (with the CSRF token), a wrong form comes back with localized errors next to each
// field and everything typed kept, and a saved chain is what the department pages.
import assert from 'node:assert/strict';
import { forEachDatabase } from '../support/databases';
import { startPlugin, type TestPlugin } from '../support/test-host';
import { departmentId } from '../support/tickets';
import { postForm } from '../support/forms';

const settings = {
  departments: { emergency: { emails: ['emergency@panel.example'], escalation: [{ afterMinutes: 5, to: ['night@panel.example'] }] } },
  escalation: { adminEmails: ['boss@panel.example'] },
};

const stepsOf = async (t: TestPlugin) => JSON.parse((await t.knex(t.tables.departments).where('code', 'emergency').first()).escalation);

forEachDatabase('admin: emergency escalation', (db) => {
  let t: TestPlugin;
  let url: string;
  before(async () => {
    t = await startPlugin(db, settings);
    url = `/admin/departments/${await departmentId(t, 'emergency')}`;
  });
  after(() => t.close());

  it('the settings seed the chain, and the page shows it with the admins’ addresses', async () => {
    assert.deepEqual(await stepsOf(t), [{ afterMinutes: 5, to: ['night@panel.example'] }]);
    const page = await t.as('admin').get(url);
    assert.equal(page.status, 200);
    assert.match(page.text, /id="step1Minutes" name="step1Minutes"[^>]*value="5"/);
    assert.match(page.text, />night@panel.example<\/textarea>/);
    assert.match(page.text, /The admins are: boss@panel.example/);
  });

  it('a wrong form comes back with errors next to its fields and everything typed; nothing is saved', async () => {
    const admin = t.as('admin');
    const token = await admin.csrf(url);
    const typed = {
      step1Minutes: '15',
      step1Whom: 'addresses',
      step1Addresses: 'second@panel.example',
      step2Minutes: '10',
      step2Whom: 'admins',
      step3Minutes: 'скоро',
      step3Whom: 'addresses',
      step3Addresses: 'не адрес',
    };
    const res = await postForm(admin, `${url}/escalation`, token, typed);
    assert.equal(res.status, 422);
    assert.match(res.text, /id="step2Minutes-error" role="alert">Each step comes later than the one before it\./);
    assert.match(res.text, /id="step3Minutes-error" role="alert">Whole minutes from 1 to 1440\./);
    assert.match(res.text, /id="step3Addresses-error" role="alert">/);
    assert.match(res.text, /name="step3Minutes"[^>]*value="скоро"/);
    assert.match(res.text, />не адрес<\/textarea>/);
    assert.match(res.text, /id="step2Whom-admins" name="step2Whom" value="admins" checked/);
    const ru = await postForm(t.as('admin'), `${url}/escalation`, token, { step1Minutes: '5', step1Whom: 'addresses', step1Addresses: '' });
    assert.equal(ru.status, 422);
    assert.match(ru.text, /List the addresses to page, or choose the admins\./);
    assert.deepEqual(await stepsOf(t), [{ afterMinutes: 5, to: ['night@panel.example'] }]);
  });

  it('saves the chain; staff, customers and a missing token change nothing', async () => {
    const form = {
      step1Minutes: '10',
      step1Whom: 'addresses',
      step1Addresses: 'second@panel.example\nthird@panel.example',
      step2Minutes: '20',
      step2Whom: 'admins',
    };
    assert.equal((await postForm(t.as('admin'), `${url}/escalation`, null, form)).status, 403);
    for (const who of ['tech', 'ivan']) {
      // No admin route for them: not found, whatever token they send.
      const res = await postForm(t.as(who), `${url}/escalation`, 'any', form);
      assert.equal(res.status, 404, who);
    }
    assert.deepEqual(await stepsOf(t), [{ afterMinutes: 5, to: ['night@panel.example'] }]);
    const res = await postForm(t.as('admin'), `${url}/escalation`, await t.as('admin').csrf(url), form);
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, `/support/requests${url}?escalation=1#escalation`);
    assert.deepEqual(await stepsOf(t), [
      { afterMinutes: 10, to: ['second@panel.example', 'third@panel.example'] },
      { afterMinutes: 20, to: 'admins' },
    ]);
    assert.match((await t.as('admin').get(`${url}?escalation=1`)).text, /The escalation is saved\./);
  });
});
