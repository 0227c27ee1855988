// How many e-mails a dispatcher holds at once: what its transport sends within half a lease,
// never fewer than two per connection nor more than four batches.
import assert from 'node:assert/strict';
import { ClaimBudget } from '../../src/mail/claim-budget';

describe('claim budget', () => {
  const connections = 5;
  const batchSize = 50;

  function afterSending(leaseMs: number, perSecond: number, seconds: number): ClaimBudget {
    const budget = new ClaimBudget(connections, batchSize, leaseMs);
    for (let i = 0; i < perSecond * seconds; i++) budget.recordFinished(Math.floor((i * 1000) / perSecond));
    return budget;
  }

  it('holds two per connection before anything was sent', () => {
    assert.equal(new ClaimBudget(connections, batchSize, 120_000).capacity(0), 10);
  });

  it('holds what a slow server sends in half a lease: one e-mail a second, 120 s leases → 60', () => {
    assert.equal(afterSending(120_000, 1, 20).capacity(20_000), 60);
  });

  it('holds four batches at most from a fast server', () => {
    assert.equal(afterSending(120_000, 600, 20).capacity(20_000), 200);
  });

  it('holds two per connection when the server is slower than half a lease per e-mail', () => {
    assert.equal(afterSending(1000, 2, 5).capacity(5000), 10);
  });

  it('forgets sends older than its window, so a server that slows down gets fewer', () => {
    const budget = afterSending(120_000, 600, 20);
    assert.equal(budget.capacity(20_000 + 60_000), 10);
  });
});
