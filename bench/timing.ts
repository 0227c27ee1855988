// Timing reads side by side: several kinds of run taking turns, so that a change in the
// machine's load falls on all of them alike (staff-queue.ts, report-page.ts).

async function elapsedMs(run: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Runs of one kind in a row, between turns: the first of each is not timed (see timeSideBySide). */
const BLOCK = 10;
/** Untimed runs of each kind before any is timed. */
const WARM_UP = 5;

/**
 * `repeat` timed runs of each, taking turns in blocks. Each block starts with one untimed run:
 * the run before it (a page that left garbage to collect and sockets to tidy) would otherwise be
 * paid for by a lone query. Returns each run's times in ms, ascending.
 */
export async function timeSideBySide(runs: Array<() => Promise<unknown>>, repeat: number): Promise<number[][]> {
  for (let i = 0; i < WARM_UP; i++) for (const run of runs) await run();
  const samples = runs.map(() => [] as number[]);
  for (let done = 0; done < repeat; done += BLOCK) {
    for (const [k, run] of runs.entries()) {
      await run();
      for (let i = done; i < Math.min(repeat, done + BLOCK); i++) samples[k]!.push(await elapsedMs(run));
    }
  }
  return samples.map((s) => s.sort((a, b) => a - b));
}
