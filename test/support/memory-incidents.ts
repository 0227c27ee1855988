// Incidents in memory (see memory-store.ts): the same contract as store/incidents.ts, without a
// kept copy of the open ones (the memory store reads are free).
import { ConflictError } from '../../src/model/errors';
import type { IncidentStore, IncidentUpdate } from '../../src/model/incidents';
import { byKeys, copyOf, nextId, type MemoryData } from './memory-data';

export function memoryIncidents(data: MemoryData): IncidentStore {
  const ticket = (id: number) => data.tickets.find((t) => t.id === id);
  const withReach = (u: MemoryData['incidentUpdates'][number]): IncidentUpdate => ({
    ...copyOf(u),
    reached: data.incidentDeliveries.filter((d) => d.updateId === u.id).length,
  });
  return {
    async create(incident) {
      const key = incident.submissionKey;
      if (key !== null && data.incidents.some((i) => i.submissionKey === key)) throw new ConflictError('incidentSubmission');
      const id = nextId(data);
      data.incidents.push({ ...structuredClone(incident), id, resolvedAt: null });
      return id;
    },
    async findBySubmission(key) {
      const found = data.incidents.find((i) => i.submissionKey === key);
      return found ? copyOf(found) : null;
    },
    async find(id) {
      const found = data.incidents.find((i) => i.id === id);
      return found ? copyOf(found) : null;
    },
    async list(departmentIds, state, limit) {
      return data.incidents
        .filter((i) => (state === 'open') === (i.resolvedAt === null) && (!departmentIds || departmentIds.includes(i.departmentId)))
        .sort(
          byKeys(
            (i) => -i.createdAt,
            (i) => -i.id,
          ),
        )
        .slice(0, limit)
        .map((i) => copyOf(i));
    },
    async open() {
      return data.incidents.filter((i) => i.resolvedAt === null).map((i) => copyOf(i));
    },
    async resolve(id, at) {
      const found = data.incidents.find((i) => i.id === id && i.resolvedAt === null);
      if (found) found.resolvedAt = at;
      return found !== undefined;
    },
    async link(pairs, by, at) {
      for (const { incidentId, ticketId } of pairs) {
        if (data.incidentLinks.some((l) => l.incidentId === incidentId && l.ticketId === ticketId)) continue;
        data.incidentLinks.push({ incidentId, ticketId, linkedBy: by?.name ?? null, linkedAt: at });
      }
    },
    async unlink(incidentId, ticketId) {
      const before = data.incidentLinks.length;
      data.incidentLinks = data.incidentLinks.filter((l) => !(l.incidentId === incidentId && l.ticketId === ticketId));
      return data.incidentLinks.length < before;
    },
    async linked(incidentId) {
      return data.incidentLinks
        .filter((l) => l.incidentId === incidentId)
        .sort(
          byKeys(
            (l) => -l.linkedAt,
            (l) => -l.ticketId,
          ),
        )
        .map((l) => ({ ticket: copyOf(ticket(l.ticketId)!), linkedBy: l.linkedBy, linkedAt: l.linkedAt }));
    },
    async ofTicket(ticketId) {
      const ids = new Set(data.incidentLinks.filter((l) => l.ticketId === ticketId).map((l) => l.incidentId));
      return data.incidents
        .filter((i) => ids.has(i.id))
        .sort(byKeys((i) => -i.id))
        .map((i) => copyOf(i));
    },
    async addUpdate(update) {
      const key = update.submissionKey;
      if (key !== null && data.incidentUpdates.some((u) => u.submissionKey === key)) throw new ConflictError('incidentUpdateSubmission');
      const id = nextId(data);
      data.incidentUpdates.push({ ...structuredClone(update), id, finishedAt: null });
      return id;
    },
    async findUpdateBySubmission(key) {
      const found = data.incidentUpdates.find((u) => u.submissionKey === key);
      return found ? withReach(found) : null;
    },
    async findUpdate(id) {
      const found = data.incidentUpdates.find((u) => u.id === id);
      return found ? withReach(found) : null;
    },
    async updates(incidentId) {
      return data.incidentUpdates.filter((u) => u.incidentId === incidentId).map(withReach);
    },
    async unfinished(limit) {
      return data.incidentUpdates
        .filter((u) => u.finishedAt === null)
        .slice(0, limit)
        .map(withReach);
    },
    async unreached(update, limit) {
      return data.incidentLinks
        .filter(
          (l) =>
            l.incidentId === update.incidentId &&
            l.linkedAt <= update.createdAt &&
            ticket(l.ticketId)?.status !== 'closed' &&
            !data.incidentDeliveries.some((d) => d.updateId === update.id && d.ticketId === l.ticketId),
        )
        .map((l) => l.ticketId)
        .sort((a, b) => a - b)
        .slice(0, limit);
    },
    async reachedTicket(updateId, ticketId) {
      return data.incidentDeliveries.some((d) => d.updateId === updateId && d.ticketId === ticketId);
    },
    async recordReach(updateId, ticketId, messageId) {
      if (data.incidentDeliveries.some((d) => d.updateId === updateId && d.ticketId === ticketId))
        throw new Error('memory store: delivery (update, ticket) exists');
      data.incidentDeliveries.push({ updateId, ticketId, messageId });
    },
    async finish(updateId, at) {
      const found = data.incidentUpdates.find((u) => u.id === updateId && u.finishedAt === null);
      if (found) found.finishedAt = at;
    },
  };
}
