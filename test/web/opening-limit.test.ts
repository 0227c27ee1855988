// The hourly limit on new requests holds exactly when one customer sends many at once: the
// count and the insert happen in one transaction that holds the customer's gate row.
import assert from 'node:assert/strict';
import { forEachDatabase } from '../support/databases';
import { filesUnder, startPlugin, type TestPlugin } from '../support/test-host';
import { departmentId } from '../support/tickets';
import { rowCount } from '../support/forms';
import { runConcurrently } from '../support/concurrency';
import { png } from '../support/samples';

const LIMIT = 10;

forEachDatabase('the hourly limit under concurrent creates', (db) => {
  let t: TestPlugin;
  before(async () => {
    t = await startPlugin(db, { limits: { newTicketsPerHour: LIMIT } });
  });
  after(() => t.close());

  it(`creates exactly ${LIMIT} of 40 requests sent 20 at a time; the rest are refused with their text kept`, async () => {
    const ivan = t.as('ivan');
    const token = await ivan.csrf();
    const technical = await departmentId(t, 'technical');
    // Each request is a different form (no submission key: every one is meant to be new).
    const answers = await runConcurrently(40, 20, (i) =>
      ivan
        .post(`/?_csrf=${encodeURIComponent(token)}`)
        .field('subject', `Запрос номер ${i}`)
        .field('departmentId', technical)
        .field('message', `Текст запроса ${i}: сервер не отвечает.`)
        .attach('files', png, `screen-${i}.png`),
    );

    const created = answers.filter((r) => r.status === 303);
    const refused = answers.filter((r) => r.status !== 303);
    assert.equal(created.length, LIMIT, `answers: ${answers.map((r) => r.status).join(' ')}`);
    assert.equal(await rowCount(t, t.tables.tickets), LIMIT);
    assert.equal(await rowCount(t, t.tables.messages), LIMIT);
    assert.equal(await rowCount(t, t.tables.attachments), LIMIT);
    // Each refused form keeps its file for its next submit; no other file stays.
    assert.equal(
      filesUnder(t.storageDir).length,
      LIMIT + (await rowCount(t, t.tables.pendingUploads)),
      'only kept files besides the attached ones',
    );
    assert.equal(await rowCount(t, t.tables.pendingUploads), answers.length - LIMIT, 'every refused form kept its file');
    for (const res of refused) {
      assert.equal(res.status, 422);
      assert.match(res.text, new RegExp(`Вы достигли лимита новых запросов за час \\(${LIMIT}\\)`));
      const i = answers.indexOf(res);
      assert.match(res.text, new RegExp(`value="Запрос номер ${i}"`), 'the subject is kept');
      assert.match(res.text, new RegExp(`>Текст запроса ${i}: сервер не отвечает.</textarea>`), 'the message is kept');
    }
    // Another customer is counted alone, even right now.
    const alice = t.as('alice');
    const own = await alice
      .post(`/?_csrf=${encodeURIComponent(await alice.csrf())}`)
      .field('subject', 'Mine')
      .field('departmentId', technical)
      .field('message', 'My server is down.');
    assert.equal(own.status, 303);
  });
});
