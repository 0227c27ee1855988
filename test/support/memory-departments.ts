// Departments, their members and canned replies, in memory (see memory-store.ts).
import { ConflictError, ReferenceMissingError, StillReferencedError, type Reference } from '../../src/model/errors';
import type { CannedReplyStore, DepartmentStaffStore, DepartmentStore } from '../../src/model/store';
import { byKeys, copyOf, nextId, type MemoryData } from './memory-data';

function refersToDepartment(data: MemoryData, departmentId: number, reference: Reference): void {
  if (!data.departments.some((d) => d.id === departmentId)) throw new ReferenceMissingError(reference);
}

export function memoryDepartments(data: MemoryData): DepartmentStore {
  const byId = (id: number) => data.departments.find((d) => d.id === id);
  return {
    async list({ activeOnly }) {
      return data.departments
        .filter((d) => !activeOnly || d.active)
        .sort(
          byKeys(
            (d) => d.order,
            (d) => d.id,
          ),
        )
        .map((d) => copyOf(d));
    },
    async find(id) {
      const found = byId(id);
      return found ? copyOf(found) : null;
    },
    async findByCode(code) {
      const found = data.departments.find((d) => d.code === code);
      return found ? copyOf(found) : null;
    },
    async applySettings(code, defaults) {
      const found = data.departments.find((d) => d.code === code && d.editedAt === null);
      if (!found) return;
      Object.assign(found, { emails: [...defaults.emails], onCall: [...defaults.onCall], mailLocale: defaults.locale ?? null });
      if (defaults.urgent !== undefined) found.urgent = defaults.urgent;
      if (defaults.responseMinutes !== undefined)
        found.regulation = { ...found.regulation, targets: { ...found.regulation.targets, firstResponse: defaults.responseMinutes } };
      if (defaults.escalation !== undefined) found.escalation = structuredClone(defaults.escalation);
    },
    async create(code, fields, at) {
      if (data.departments.some((d) => d.code === code)) throw new ConflictError('departmentCode');
      const id = nextId(data);
      data.departments.push({ ...structuredClone(fields), id, code, escalation: [], editedAt: at });
      return id;
    },
    async update(id, fields, at) {
      const found = byId(id);
      if (found) Object.assign(found, structuredClone(fields), { editedAt: at });
    },
    async setEscalation(id, steps, at) {
      const found = byId(id);
      if (found) Object.assign(found, { escalation: structuredClone(steps), editedAt: at });
    },
    async remove(id) {
      if (data.tickets.some((t) => t.departmentId === id)) throw new StillReferencedError('ticketDepartment');
      data.members = data.members.filter((m) => m.departmentId !== id);
      data.canned = data.canned.filter((c) => c.departmentId !== id);
      data.departments = data.departments.filter((d) => d.id !== id);
    },
    async ticketCounts() {
      const counts = new Map<number, number>();
      for (const t of data.tickets) counts.set(t.departmentId, (counts.get(t.departmentId) ?? 0) + 1);
      return counts;
    },
    async hasTickets(id) {
      return data.tickets.some((t) => t.departmentId === id);
    },
  };
}

export function memoryMembers(data: MemoryData): DepartmentStaffStore {
  return {
    async list(departmentId) {
      return data.members
        .filter((m) => departmentId === null || m.departmentId === departmentId)
        .sort(
          byKeys(
            (m) => m.name,
            (m) => m.id,
          ),
        )
        .map((m) => copyOf(m));
    },
    async departmentIdsOf(userId) {
      return data.members.filter((m) => m.userId === userId).map((m) => m.departmentId);
    },
    async add(member) {
      refersToDepartment(data, member.departmentId, 'memberDepartment');
      if (data.members.some((m) => m.departmentId === member.departmentId && m.userId === member.userId))
        throw new ConflictError('memberUser');
      data.members.push({ ...structuredClone(member), id: nextId(data) });
    },
    async remove(departmentId, id) {
      const before = data.members.length;
      data.members = data.members.filter((m) => !(m.id === id && m.departmentId === departmentId));
      return data.members.length < before;
    },
  };
}

export function memoryCanned(data: MemoryData): CannedReplyStore {
  return {
    async list(departmentId) {
      const replies = data.canned.filter((c) => departmentId === null || c.departmentId === departmentId);
      return replies
        .sort(
          byKeys(
            (c) => c.departmentId,
            (c) => c.title,
            (c) => c.id,
          ),
        )
        .map((c) => copyOf(c));
    },
    async find(id) {
      const found = data.canned.find((c) => c.id === id);
      return found ? copyOf(found) : null;
    },
    async create(fields, at) {
      refersToDepartment(data, fields.departmentId, 'cannedDepartment');
      const id = nextId(data);
      data.canned.push({ ...structuredClone(fields), id, createdAt: at, updatedAt: at });
      return id;
    },
    async update(id, fields, at) {
      refersToDepartment(data, fields.departmentId, 'cannedDepartment');
      const found = data.canned.find((c) => c.id === id);
      if (found) Object.assign(found, structuredClone(fields), { updatedAt: at });
      return found !== undefined;
    },
    async remove(id) {
      const before = data.canned.length;
      data.canned = data.canned.filter((c) => c.id !== id);
      return data.canned.length < before;
    },
  };
}
