// The mail outbox in memory (see memory-store.ts): leases and claims known by their attempt count,
// as in store/outbox.ts, without the row locks one process does not need.
import type { HeldClaim, OutboxCounts, OutboxItem, OutboxStore } from '../../src/model/mail';
import { byKeys, copyOf, nextId, type MemoryData } from './memory-data';

export function memoryOutbox(data: MemoryData): OutboxStore {
  const held = (claim: HeldClaim) =>
    data.outbox.find((row) => row.id === claim.id && row.status === 'sending' && row.attempts === claim.attempts);
  const newestFirst = (rows: OutboxItem[], limit: number) =>
    rows
      .sort(byKeys((row) => -row.id))
      .slice(0, limit)
      .map((row) => copyOf(row));
  return {
    async enqueue(items, now) {
      for (const item of items) {
        data.outbox.push({
          ...structuredClone(item),
          id: nextId(data),
          status: 'pending',
          attempts: 0,
          nextAttemptAt: now,
          leaseUntil: null,
          lastError: null,
          createdAt: now,
          sentAt: null,
          missingFiles: [],
          bounce: null,
          retryKey: null,
        });
      }
    },
    async claim(now, leaseMs, limit, exclude = []) {
      const due = data.outbox.filter(
        (row) =>
          !exclude.includes(row.id) &&
          ((row.status === 'pending' && row.nextAttemptAt <= now) || (row.status === 'sending' && (row.leaseUntil ?? 0) <= now)),
      );
      const claimed = due
        .sort(
          byKeys(
            (row) => (row.urgent ? 0 : 1),
            (row) => row.nextAttemptAt,
            (row) => row.id,
          ),
        )
        .slice(0, Math.max(0, limit));
      for (const row of claimed) Object.assign(row, { status: 'sending', leaseUntil: now + leaseMs, attempts: row.attempts + 1 });
      return claimed.map((row) => copyOf(row));
    },
    async renewLeases(claims, leaseUntil) {
      const rows = claims.map(held).filter((row) => row !== undefined);
      for (const row of rows) row.leaseUntil = leaseUntil;
      return rows.length;
    },
    async markSent(ids, now) {
      for (const row of data.outbox.filter((r) => ids.includes(r.id)))
        Object.assign(row, { status: 'sent', sentAt: now, leaseUntil: null, lastError: null });
    },
    async reschedule(claim, at, error) {
      const row = held(claim);
      if (row) Object.assign(row, { status: 'pending', nextAttemptAt: at, leaseUntil: null, lastError: error });
    },
    async markFailed(claim, error) {
      const row = held(claim);
      if (row) Object.assign(row, { status: 'failed', leaseUntil: null, lastError: error });
    },
    async noteMissingFiles(id, names) {
      const row = data.outbox.find((r) => r.id === id);
      if (row) row.missingFiles = [...names];
    },
    async retryFailed(id, now, retryKey) {
      const row = data.outbox.find((r) => r.id === id);
      if (row?.status === 'failed') {
        Object.assign(row, { status: 'pending', nextAttemptAt: now, attempts: 0, createdAt: now, lastError: null, retryKey });
        return true;
      }
      return row?.retryKey === retryKey;
    },
    async deleteSentBefore(cutoff, limit) {
      const gone = data.outbox
        .filter((r) => r.status === 'sent' && (r.sentAt ?? 0) < cutoff)
        .sort(byKeys((r) => r.sentAt ?? 0))
        .slice(0, limit)
        .map((r) => r.id);
      data.outbox = data.outbox.filter((r) => !gone.includes(r.id));
      return gone.length;
    },
    async counts(): Promise<OutboxCounts> {
      const of = (status: OutboxItem['status']) => data.outbox.filter((r) => r.status === status).length;
      const waiting = data.outbox.filter((r) => r.status === 'pending' || r.status === 'sending').map((r) => r.createdAt);
      return {
        pending: of('pending'),
        sending: of('sending'),
        sent: of('sent'),
        failed: of('failed'),
        sentWithMissingFiles: data.outbox.filter((r) => r.status === 'sent' && r.missingFiles.length > 0).length,
        bounced: data.outbox.filter((r) => r.bounce !== null).length,
        oldestPendingAt: waiting.length > 0 ? Math.min(...waiting) : null,
      };
    },
    async failed(limit) {
      return newestFirst(
        data.outbox.filter((r) => r.status === 'failed'),
        limit,
      );
    },
    async sentWithMissingFiles(limit) {
      return newestFirst(
        data.outbox.filter((r) => r.status === 'sent' && r.missingFiles.length > 0),
        limit,
      );
    },
    async recordBounce(mailMessageId, bounce) {
      const rows = data.outbox.filter((r) => r.mailMessageId === mailMessageId);
      for (const row of rows) row.bounce = bounce;
      return rows.length > 0;
    },
    async bounced(limit) {
      return data.outbox
        .filter((r) => r.bounce !== null)
        .sort(
          byKeys(
            (r) => -(r.bounce?.at ?? 0),
            (r) => -r.id,
          ),
        )
        .slice(0, limit)
        .map((r) => copyOf(r));
    },
  };
}
