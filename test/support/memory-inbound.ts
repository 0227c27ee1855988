// The intake's InboundMailStore in memory, for the domain's unit tests: the unique dedupe key
// refuses a second row as the table's index does.
import type { InboundMail, InboundMailStore } from '../../src/model/inbound';

export function memoryInbound(): InboundMailStore & { rows: Array<InboundMail & { dedupeKey: string }> } {
  const rows: Array<InboundMail & { dedupeKey: string }> = [];
  const copy = ({ dedupeKey: _, ...mail }: InboundMail & { dedupeKey: string }): InboundMail => ({ ...mail });
  return {
    rows,
    async record(mail) {
      if (rows.some((r) => r.dedupeKey === mail.dedupeKey)) return null;
      const id = rows.length + 1;
      rows.push({ ...mail, id, handledBy: null, handledAt: null });
      return id;
    },
    async seen(key) {
      return rows.some((r) => r.dedupeKey === key);
    },
    async countFrom(address, since) {
      return rows.filter((r) => r.fromAddress === address && r.receivedAt >= since).length;
    },
    async held(limit) {
      return rows
        .filter((r) => r.status === 'held')
        .reverse()
        .slice(0, limit)
        .map(copy);
    },
    async countHeld() {
      return rows.filter((r) => r.status === 'held').length;
    },
    async find(id) {
      const row = rows.find((r) => r.id === id);
      return row ? copy(row) : null;
    },
    async settle(id, change) {
      const row = rows.find((r) => r.id === id && r.status === 'held');
      if (!row) return false;
      Object.assign(row, change);
      return true;
    },
    async originalsOf(ids) {
      return new Map(rows.filter((r) => r.messageId !== null && ids.includes(r.messageId)).map((r) => [r.messageId as number, copy(r)]));
    },
    async deleteUnkeptBefore(cutoff, limit) {
      const gone = rows.filter((r) => (r.status === 'held' || r.status === 'discarded') && r.receivedAt < cutoff).slice(0, limit);
      for (const row of gone) rows.splice(rows.indexOf(row), 1);
      return gone.map((r) => r.rawKey);
    },
    async referencedKeys(keys) {
      return new Set(rows.filter((r) => keys.includes(r.rawKey)).map((r) => r.rawKey));
    },
  };
}
