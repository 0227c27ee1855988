// The admin mail page tells how the real deliveries went, not only how the check at start-up
// did: the last failure with the server's answer, the last e-mail sent, and a server that has
// stopped answering while e-mails wait.
import assert from 'node:assert/strict';
import { forEachDatabase } from '../support/databases';
import { startPlugin, type TestPlugin } from '../support/test-host';
import { createTicket } from '../support/tickets';
import { SmtpSink, waitUntil } from '../support/smtp-sink';
import { waitForIdleOutbox } from '../support/outbox';

const departments = { technical: { emails: ['tech@panel.example'] } };

function delivery(page: string, kind: string): string | null {
  return new RegExp(`<p[^>]*data-delivery="${kind}"[^>]*>([\\s\\S]*?)</p>`).exec(page)?.[1] ?? null;
}

forEachDatabase('SMTP status on the admin mail page', (db) => {
  let sink: SmtpSink;
  let t: TestPlugin;
  let log: string[];

  beforeEach(async () => {
    sink = await SmtpSink.started();
    log = [];
  });
  afterEach(async () => {
    await t.close();
    await sink.stop();
  });

  const page = async () => (await t.as('admin').get('/admin/mail')).text;

  it('shows the last failed attempt with the server answer, then the last e-mail sent once one goes through', async () => {
    // One second between attempts: long enough to read the page in between.
    const retry = { minDelaySeconds: 1, maxDelaySeconds: 1, giveUpAfterHours: 1 };
    t = await startPlugin(db, { departments, mail: sink.settings({ confirmToCustomer: false, pollSeconds: 0.05, retry }) }, { log });
    await waitUntil(async () => /answered the check at start-up/.test(await page()), 5000, 'the start-up check');
    assert.equal(delivery(await page(), 'last-sent'), 'No e-mail has been sent since the panel started.');

    sink.refusals.push(451);
    await createTicket(t, t.as('ivan'));
    await waitUntil(() => log.some((line) => line.includes('retry #')), 5000, 'a failed attempt');
    const failed = await page();
    assert.match(delivery(failed, 'failed') ?? '', /^Last delivery attempt failed at .+:<br><code>.*451 test refusal 451<\/code>$/);
    assert.match(failed, /answered the check at start-up/, 'the start-up check is still shown, as what it is');
    assert.equal(delivery(failed, 'last-sent'), 'No e-mail has been sent since the panel started.');

    await waitForIdleOutbox(t);
    assert.equal(sink.received.length, 1);
    const sent = await page();
    assert.equal(delivery(sent, 'failed'), null, 'a later success replaces the failure');
    assert.match(delivery(sent, 'last-sent') ?? '', /^Last e-mail sent at .+\.$/);
  });

  it('says the server has not answered since an attempt began when it hangs, and shows the timeout when the attempt gives up', async () => {
    sink.hang = true;
    // Attempts time out after 2 s; the page calls the server silent after half of that.
    const retry = { minDelaySeconds: 60, maxDelaySeconds: 60, giveUpAfterHours: 1 };
    t = await startPlugin(
      db,
      { departments, mail: sink.settings({ confirmToCustomer: false, pollSeconds: 0.05, timeoutSeconds: 2, retry }) },
      { log },
    );
    await waitUntil(async () => /answered the check at start-up/.test(await page()), 5000, 'the start-up check');
    await createTicket(t, t.as('ivan'));

    let hung = '';
    await waitUntil(
      async () => Boolean((hung = delivery(await page(), 'not-answering') ?? '')),
      5000,
      'the page to say the server is not answering',
    );
    assert.match(
      hung,
      /^The mail server has not answered since .+: no e-mail handed to it since then has gone through, and mail waits in the queue\.$/,
    );

    await waitUntil(() => log.some((line) => line.includes('retry #')), 10_000, 'the attempt to time out');
    const timedOut = await page();
    assert.equal(delivery(timedOut, 'not-answering'), null, 'nothing is under way any more');
    assert.match(delivery(timedOut, 'failed') ?? '', /Last delivery attempt failed at .+<code>.*(timeout|Timeout|ETIMEDOUT).*<\/code>/);
    assert.equal(sink.received.length, 0);
  });
});
