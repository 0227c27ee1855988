// The background jobs' leases on each database: two instances on the same tables (each with its
// own connection pool on a server database, as two processes would have) run a job once per due
// time; a lease left by an instance that died is taken over once it ends; stop() waits for a run
// and releases its lease. The clock is the test's; the jobs are the test's own.
import assert from 'node:assert/strict';
import { forEachDatabase, type Connection } from '../support/databases';
import { startPlugin, type TestPlugin } from '../support/test-host';
import { waitUntil } from '../support/smtp-sink';
import { Scheduler } from '../../src/jobs/scheduler';
import { jobLeaseStore } from '../../src/store/job-leases';
import type { Job, JobContext } from '../../src/model/jobs';
import type { Knex } from 'knex';

const quiet = { info() {}, warn() {}, error() {} };

forEachDatabase('background-job leases', (db) => {
  let t: TestPlugin;
  let second: Connection;
  let clock: number;
  const now = () => clock;
  const schedulerOn = (knex: Knex, jobs: Job[], leaseMs?: number) =>
    new Scheduler({ jobs, leases: jobLeaseStore(knex, t.tables), logger: quiet, now, ...(leaseMs ? { leaseMs } : {}) });

  beforeEach(async () => {
    t = await startPlugin(db);
    second = db.name === 'sqlite' ? { knex: t.knex, release: async () => {} } : db.connect();
    clock = Date.UTC(2026, 10, 2, 9, 0);
  });
  afterEach(async () => {
    await second.release();
    await t.close();
  });

  it('two instances on the same tables run a job exactly once per due time', async () => {
    const runs: string[] = [];
    const job = (who: string, knex: Knex): Job => ({
      name: 'shared',
      everyMs: 1000,
      runOnStart: true,
      async run(ctx: JobContext) {
        runs.push(`${who} at ${ctx.now()}`);
        // A round trip inside the run, as real jobs make, while the other instance tries to claim.
        await knex(t.tables.jobLeases).count({ n: '*' });
      },
    });
    const first = schedulerOn(t.knex, [job('first', t.knex)]);
    const other = schedulerOn(second.knex, [job('second', second.knex)]);
    const steps = 25;
    for (let step = 0; step < steps; step++) {
      await Promise.all([first.runDue(), other.runDue()]);
      clock += 1000;
    }
    assert.equal(runs.length, steps, runs.join('\n'));
    assert.equal(new Set(runs.map((r) => r.split(' at ')[1])).size, steps, 'one run per due time');
  });

  it("takes over a job whose instance died holding its lease, once the lease has ended, and the dead run's release changes nothing", async () => {
    const leases = jobLeaseStore(t.knex, t.tables);
    const start = clock;
    // What a process killed mid-run leaves: a claimed lease that nobody renews or releases.
    await leases.plan('crashed', start);
    assert.equal((await leases.claim('crashed', 'dead-instance', start, start + 5000))?.won, true);

    let runs = 0;
    const survivor = schedulerOn(second.knex, [{ name: 'crashed', everyMs: 60_000, runOnStart: true, run: async () => void runs++ }], 5000);
    await survivor.runDue();
    clock = start + 4999;
    await survivor.runDue();
    assert.equal(runs, 0, 'the lease still runs');
    clock = start + 5000;
    await survivor.runDue();
    assert.equal(runs, 1, 'taken over when the lease ended');

    const row = await t.knex(t.tables.jobLeases).where('name', 'crashed').first();
    assert.equal(Number(row.due_at), start + 60_000, 'next due on its grid');
    assert.equal(row.lease_ticket, null);
    assert.equal(await leases.release('crashed', 'dead-instance', start), false, 'a late release of the dead run is refused');
    assert.equal(await leases.renew('crashed', 'dead-instance', start + 99_999), false);
    assert.equal(Number((await t.knex(t.tables.jobLeases).where('name', 'crashed').first()).due_at), start + 60_000);
  });

  it('runs a run-on-start job once for instances starting together, and again for an instance starting after that run began', async () => {
    let runs = 0;
    const sweep = (): Job => ({ name: 'sweep', everyMs: 3_600_000, runOnStart: true, run: async () => void runs++ });
    await schedulerOn(t.knex, [sweep()]).runDue();
    // Started at the same moment: the run that just ended began when it started, so it was its run too.
    await schedulerOn(second.knex, [sweep()]).runDue();
    assert.equal(runs, 1);
    clock += 10;
    const restarted = schedulerOn(second.knex, [sweep()]);
    await restarted.runDue();
    assert.equal(runs, 2);
    await restarted.runDue();
    assert.equal(runs, 2);
  });

  it('stop() waits for a running job, which sees the signal, and releases its lease; nothing runs after it', async () => {
    let wrote = false;
    let runs = 0;
    const job: Job = {
      name: 'stoppable',
      everyMs: 1000,
      runOnStart: true,
      async run({ signal }) {
        runs++;
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        // The run's last write after the signal: stop() resolves only after it.
        await t.knex(t.tables.jobLeases).where('name', 'stoppable').count({ n: '*' });
        wrote = true;
      },
    };
    const scheduler = schedulerOn(second.knex, [job], 3000);
    scheduler.start();
    await waitUntil(() => runs === 1, 5000, 'the run to begin');
    assert.notEqual(
      (await t.knex(t.tables.jobLeases).where('name', 'stoppable').first('lease_until')).lease_until,
      null,
      'it holds the lease',
    );
    await scheduler.stop();
    assert.ok(wrote);
    const row = await t.knex(t.tables.jobLeases).where('name', 'stoppable').first();
    assert.equal(row.lease_until, null);
    assert.equal(Number(row.due_at), clock + 1000);
    clock += 5000;
    await scheduler.runDue();
    assert.equal(runs, 1);
  });
});
