// The background-job scheduler on its own: a clock the test sets, and an in-memory lease store
// with the same rules as the database's (test/jobs/job-leases.test.ts runs those on the three
// databases). Due times follow the test's clock; only wake-ups and lease renewal use real timers.
import assert from 'node:assert/strict';
import { nextDueAt, Scheduler } from '../../src/jobs/scheduler';
import type { Job, JobContext, JobLeaseStore, JobSchedule } from '../../src/model/jobs';
import { waitUntil } from '../support/smtp-sink';

/** The lease rules of src/store/job-leases.ts, over a Map. */
class MemoryLeases implements JobLeaseStore {
  readonly rows = new Map<string, JobSchedule & { ticket: string | null; startedAt: number | null }>();
  renewals = 0;

  async plan(name: string, dueBy: number): Promise<void> {
    const row = this.rows.get(name);
    if (!row) this.rows.set(name, { dueAt: dueBy, leaseUntil: null, ticket: null, startedAt: null });
    else if (row.dueAt > dueBy && (row.startedAt === null || row.startedAt < dueBy)) row.dueAt = dueBy;
  }

  async claim(name: string, ticket: string, now: number, leaseUntil: number) {
    const row = this.rows.get(name);
    if (!row) return null;
    if (row.dueAt > now || (row.leaseUntil !== null && row.leaseUntil > now)) return { won: false, schedule: { ...row } };
    Object.assign(row, { ticket, leaseUntil, startedAt: now });
    return { won: true, schedule: { dueAt: row.dueAt, leaseUntil } };
  }

  async renew(name: string, ticket: string, leaseUntil: number): Promise<boolean> {
    this.renewals++;
    const row = this.rows.get(name);
    if (row?.ticket !== ticket) return false;
    row.leaseUntil = leaseUntil;
    return true;
  }

  async release(name: string, ticket: string, nextDueAt: number): Promise<boolean> {
    const row = this.rows.get(name);
    if (row?.ticket !== ticket) return false;
    Object.assign(row, { dueAt: nextDueAt, leaseUntil: null, ticket: null });
    return true;
  }
}

/** A job that counts its runs and does what the test says in each. */
function counted(
  name: string,
  everyMs: number,
  body: (ctx: JobContext) => Promise<void> = async () => {},
  runOnStart = true,
): Job & { runs: number } {
  const job = {
    name,
    everyMs,
    runOnStart,
    runs: 0,
    async run(ctx: JobContext) {
      job.runs++;
      await body(ctx);
    },
  };
  return job;
}

const timersNow = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('background-job scheduler', () => {
  let clock: number;
  let leases: MemoryLeases;
  let log: string[];
  const logger = {
    info: (m: string) => log.push(`info ${m}`),
    warn: (m: string) => log.push(`warn ${m}`),
    error: (m: string) => log.push(`error ${m}`),
  };
  const scheduler = (jobs: Job[], extra: { leaseMs?: number } = {}) => new Scheduler({ jobs, leases, logger, now: () => clock, ...extra });

  beforeEach(() => {
    clock = 1_000_000;
    leases = new MemoryLeases();
    log = [];
  });

  it('runs a run-on-start job at once and the others an interval later, then each once per interval of the plugin clock', async () => {
    const early = counted('early', 1000);
    const later = counted('later', 1000, undefined, false);
    const s = scheduler([early, later]);
    await s.runDue();
    assert.deepEqual([early.runs, later.runs], [1, 0]);
    await s.runDue();
    clock += 999;
    await s.runDue();
    assert.deepEqual([early.runs, later.runs], [1, 0], 'nothing is due before its interval');
    clock += 1;
    await s.runDue();
    assert.deepEqual([early.runs, later.runs], [2, 1]);
    await s.runDue();
    assert.deepEqual([early.runs, later.runs], [2, 1], 'once per due time');
  });

  it('schedules the next run on the grid of due times: a long run is not followed by catch-up runs, nor a clock jump by one run per missed interval', async () => {
    let runTakes = 2500;
    const slow = counted('slow', 1000, async () => {
      clock += runTakes;
    });
    const s = scheduler([slow]);
    const start = clock;
    await s.runDue();
    assert.equal(leases.rows.get('slow')?.dueAt, start + 3000, 'due at start, finished 2.5 intervals later: next on the grid after it');
    clock = start + 3000 + 10 * 1000 + 1;
    runTakes = 0;
    await s.runDue();
    await s.runDue();
    assert.equal(slow.runs, 2, 'ten intervals missed, one run');
    assert.equal(leases.rows.get('slow')?.dueAt, start + 14_000);

    assert.equal(nextDueAt(0, 60_000, 5_000), 60_000, 'a short run keeps the minute');
    assert.equal(nextDueAt(0, 60_000, 120_000), 180_000, 'a run ending exactly on a due time is past it');
    assert.equal(nextDueAt(0, 60_000, -5_000), 60_000, 'a clock set back still moves forward');
  });

  it("logs a failing job's message without its stack, runs the other jobs, and runs the failing one again at its next due time", async () => {
    const failing = counted('failing', 1000, async () => {
      throw new Error('disk on fire');
    });
    const fine = counted('fine', 1000);
    const s = scheduler([failing, fine]);
    await s.runDue();
    assert.equal(fine.runs, 1);
    assert.deepEqual(log, ['error support-requests: job failing failed: disk on fire']);
    clock += 1000;
    await s.runDue();
    assert.deepEqual([failing.runs, fine.runs], [2, 2]);
    assert.equal(leases.rows.get('failing')?.leaseUntil, null, 'a failed run releases its lease');
  });

  it('renews the lease of a long run, so another instance does not take the job over', async () => {
    let finish!: () => void;
    const long = counted('long', 60_000, () => new Promise<void>((resolve) => (finish = resolve)));
    const holder = scheduler([long], { leaseMs: 90 });
    const running = holder.runDue();
    await waitUntil(() => long.runs === 1, 2000, 'the long run to start');
    clock += 60;
    const renewed = leases.renewals;
    await waitUntil(() => leases.renewals > renewed, 2000, 'a renewal');
    clock += 60;
    const other = counted('long', 60_000);
    await scheduler([other], { leaseMs: 90 }).runDue();
    assert.equal(other.runs, 0, 'past the first lease, but it was renewed');
    finish();
    await running;
    assert.equal(leases.rows.get('long')?.leaseUntil, null);
  });

  it('aborts a run whose lease was taken over, and says so', async () => {
    let signal!: AbortSignal;
    const job = counted('taken', 60_000, (ctx) => {
      signal = ctx.signal;
      return new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
    });
    const running = scheduler([job], { leaseMs: 60 }).runDue();
    await waitUntil(() => job.runs === 1, 2000, 'the run to start');
    // Another instance took the job over after this one's lease ran out.
    leases.rows.get('taken')!.ticket = 'another instance';
    await running;
    assert.ok(signal.aborted);
    assert.ok(
      log.some((l) => l.startsWith('warn support-requests: job taken lost its lease')),
      log.join('\n'),
    );
    assert.ok(
      log.some((l) => /job taken ran past its lease/.test(l)),
      log.join('\n'),
    );
  });

  it('stop() aborts the running job, waits for it to return and release its lease, and leaves no timer; nothing runs after it', async () => {
    // Counted after mocha has set this test's own timeout timer.
    await new Promise((resolve) => setImmediate(resolve));
    const timersBefore = timersNow();
    let finished = false;
    const job = counted('stoppable', 1000, async ({ signal }) => {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      // Still winding down when stop() is called: stop waits for this.
      await new Promise((resolve) => setTimeout(resolve, 30));
      finished = true;
    });
    const other = counted('other', 1000);
    const s = scheduler([job, other], { leaseMs: 60 });
    s.start();
    await waitUntil(() => job.runs === 1 && other.runs === 1, 2000, 'both jobs to start');
    assert.ok(timersNow() > timersBefore, 'a wake-up and a renewal timer while running');
    await s.stop();
    assert.ok(finished, 'the run had returned when stop() resolved');
    assert.equal(leases.rows.get('stoppable')?.leaseUntil, null, 'its lease released');
    assert.equal(timersNow(), timersBefore, 'no timer left');
    clock += 10_000;
    await s.runDue();
    assert.deepEqual([job.runs, other.runs], [1, 1], 'nothing runs once stopped');
  });

  it('hands a job claimed while stopping back unrun, still due, for another instance', async () => {
    let claimed!: () => void;
    const claiming = new Promise<void>((resolve) => (claimed = resolve));
    const claim = leases.claim.bind(leases);
    leases.claim = async (...args) => {
      const result = await claim(...args);
      await claiming;
      return result;
    };
    const job = counted('late', 1000);
    const s = scheduler([job]);
    s.start();
    await waitUntil(() => leases.rows.get('late')?.leaseUntil != null, 2000, 'the claim');
    const stopped = s.stop();
    claimed();
    await stopped;
    assert.equal(job.runs, 0);
    assert.deepEqual({ ...leases.rows.get('late') }, { dueAt: clock, leaseUntil: null, ticket: null, startedAt: clock });
  });

  it('wakes up by itself when a job falls due on the plugin clock', async () => {
    const job = counted('ticking', 60_000);
    const s = scheduler([job]);
    s.start();
    try {
      await waitUntil(() => job.runs === 1, 2000, 'the run on start');
      clock += 60_000;
      await waitUntil(() => job.runs === 2, 3000, 'the run an interval later');
    } finally {
      await s.stop();
    }
  });
});
