// Creating a ticket costs few round trips to the database (issue 11, section 6): the customer's
// gate, the hourly count, the ticket, its first message, and its e-mails; a file adds its row.
// The statements are counted from knex's 'query' event for the request that made them.
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import express from 'express';
import request from 'supertest';
import { forEachDatabase } from '../support/databases';
import { startPlugin, type TestAgent, type TestPlugin } from '../support/test-host';
import { createTicket } from '../support/tickets';
import { png } from '../support/samples';

/** Without BEGIN/COMMIT: gate, hourly count, ticket, message, outbox. */
const MOST_WITHOUT_FILES = 5;

const isBracket = (sql: string) => /^(begin|commit|start transaction)\b/i.test(sql.trim());

interface Recording {
  statements: string[];
  /** Set once the answer is sent: later statements (the mail dispatcher the create nudged) are not its own. */
  answered: boolean;
}

forEachDatabase('statements one create makes', (db) => {
  let t: TestPlugin;
  let ivan: TestAgent;
  const recording = new AsyncLocalStorage<Recording>();
  let lastPost: Recording | null = null;

  before(async () => {
    // A clock that stands still: the departments' copy never ages between the form and the create.
    const at = Date.now();
    t = await startPlugin(db, { limits: { newTicketsPerHour: 50 } }, { now: () => at });
    t.knex.on('query', (query: { sql: string }) => {
      const current = recording.getStore();
      if (current && !current.answered) current.statements.push(query.sql);
    });
    // The plugin behind a middleware that records the statements of each request.
    const app = express();
    app.use((req, res, next) => {
      const current: Recording = { statements: [], answered: false };
      res.on('finish', () => void (current.answered = true));
      if (req.method === 'POST') lastPost = current;
      recording.run(current, next);
    });
    app.use(t.plugin.mountPath, t.plugin.router);
    const agent = request(app);
    const send = (method: 'get' | 'post') => (url: string) => agent[method](t.plugin.mountPath + url).set('x-test-user', 'ivan');
    ivan = { ...t.as('ivan'), get: send('get'), post: send('post') };
    // The customer's first request also makes their gate row; every later one finds it.
    await createTicket(t, ivan);
  });
  after(() => t.close());

  /** The statements of one create, as knex sent them, up to its answer. */
  async function statementsOf(files: Array<[Buffer, string]>): Promise<string[]> {
    await createTicket(t, ivan, { files }, await ivan.csrf());
    return (lastPost as Recording | null)?.statements ?? [];
  }

  it(`makes at most ${MOST_WITHOUT_FILES} statements besides BEGIN and COMMIT without files`, async () => {
    const statements = await statementsOf([]);
    const work = statements.filter((sql) => !isBracket(sql));
    assert.ok(work.length <= MOST_WITHOUT_FILES, `${work.length} statements:\n${work.join('\n')}`);
    assert.equal(statements.length - work.length, 2, 'one transaction');
  });

  it('adds one statement for its files (two on MySQL, which has no RETURNING)', async () => {
    const statements = await statementsOf([[png, 'a.png']]);
    const work = statements.filter((sql) => !isBracket(sql));
    const most = MOST_WITHOUT_FILES + (db.name === 'mysql' ? 2 : 1);
    assert.ok(work.length <= most, `${work.length} statements:\n${work.join('\n')}`);
  });
});
