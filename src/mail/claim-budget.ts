// How many e-mails one dispatcher may hold (claimed, not yet recorded) at a time: what its
// transport is seen to send within half a lease, so nothing it holds waits in the process until
// its lease runs out (leases are renewed too; this keeps the rest claimable by other instances).
// A fast server lets it hold many, which keeps the connections fed while claims wait for turns of
// a busy event loop; a slow one few.

/** Before anything was measured, and at least: two per connection, one on the wire and one ready. */
const HELD_PER_CONNECTION = 2;
/** The most held at once, as batches go: four of them. */
const BATCHES_HELD = 4;
/** Sends are counted over this long (at most), to read a rate. */
const WINDOW_MS = 10_000;

export class ClaimBudget {
  /** When each recent attempt finished, oldest first. */
  private readonly finished: number[] = [];
  private readonly windowMs: number;

  constructor(
    private readonly connections: number,
    private readonly batchSize: number,
    private readonly leaseMs: number,
  ) {
    this.windowMs = Math.min(WINDOW_MS, leaseMs / 2);
  }

  /** An attempt finished (sent or failed): the transport is that much further on. */
  recordFinished(now: number): void {
    this.finished.push(now);
  }

  /** The most e-mails to hold at `now`. */
  capacity(now: number): number {
    this.forgetBefore(now - this.windowMs);
    const least = this.connections * HELD_PER_CONNECTION;
    const most = Math.max(least, this.batchSize * BATCHES_HELD);
    const perMs = this.finished.length / this.windowMs;
    return Math.min(most, Math.max(least, Math.floor((perMs * this.leaseMs) / 2)));
  }

  private forgetBefore(cutoff: number): void {
    let stale = 0;
    while (stale < this.finished.length && (this.finished[stale] as number) < cutoff) stale++;
    if (stale > 0) this.finished.splice(0, stale);
  }
}
