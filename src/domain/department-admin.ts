// What an admin does on the Departments page: the departments customers choose from (names,
// guidance, addresses, urgency, active, order), who works in each when the host does not say,
// and deleting a department nobody ever filed a request in.
import type { DepartmentDefaults, Store } from '../model/store';
import type { Clock, Department, DepartmentMember } from '../model/types';
import { ConflictError, NotFoundError, StillReferencedError, ValidationError } from '../model/errors';
import { checkDepartment, checkMember, type DepartmentInput, type MemberInput } from './department-rules';
import { checkEscalation, type EscalationRowInput } from './escalation-rules';
import { colleaguesOf, type Colleague, type HostStaffOf } from './colleagues';
import { recountDepartment } from './due';

export interface DepartmentAdminDeps {
  store: Store;
  now?: Clock;
  /** The host's staffOf: the list shows the staff the panel places in each department too. */
  hostStaffOf?: HostStaffOf;
  /** settings.escalation.adminEmails: whom an escalation step to "admins" pages, as the page says. */
  adminEmails?: string[];
}

export interface DepartmentOverview {
  department: Department;
  /** Requests filed in it, closed ones too: a department with any cannot be deleted. */
  tickets: number;
  members: DepartmentMember[];
  /** Whom a step of its escalation to "admins" pages. */
  adminEmails: string[];
}

/** A department on the Departments list: with everyone who works there, the panel's staff and the plugin's list. */
export interface DepartmentListing extends Omit<DepartmentOverview, 'members' | 'adminEmails'> {
  staff: Colleague[];
}

const hasTickets = () => new ValidationError({ form: { key: 'errors.department.hasTickets' } });

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x.toLowerCase() === b[i]?.toLowerCase());
}

export function departmentAdmin(deps: DepartmentAdminDeps) {
  const { store } = deps;
  const now = deps.now ?? Date.now;
  const colleagues = colleaguesOf(store, deps.hostStaffOf);

  async function existing(id: number): Promise<Department> {
    const department = Number.isSafeInteger(id) ? await store.departments.find(id, { current: true }) : null;
    if (!department) throw new NotFoundError('department');
    return department;
  }

  return {
    async overview(): Promise<DepartmentListing[]> {
      const [departments, counts] = await Promise.all([
        store.departments.list({ activeOnly: false, current: true }),
        store.departments.ticketCounts(),
      ]);
      const staff = await Promise.all(departments.map(colleagues));
      return departments.map((department, i) => ({ department, tickets: counts.get(department.id) ?? 0, staff: staff[i] ?? [] }));
    },

    async get(id: number): Promise<DepartmentOverview> {
      const department = await existing(id);
      const [counts, members] = await Promise.all([store.departments.ticketCounts(), store.members.list(id)]);
      return { department, tickets: counts.get(id) ?? 0, members, adminEmails: deps.adminEmails ?? [] };
    },

    async create(input: DepartmentInput): Promise<number> {
      const { fields, problems } = checkDepartment(input, true);
      const code = input.code.trim();
      if (!problems.code && (await store.departments.findByCode(code))) problems.code = { key: 'errors.department.codeTaken' };
      if (Object.keys(problems).length > 0) throw new ValidationError(problems);
      try {
        return await store.departments.create(code, fields, now());
      } catch (err) {
        // Created by another admin between the check and the insert.
        if (err instanceof ConflictError) throw new ValidationError({ code: { key: 'errors.department.codeTaken' } });
        throw err;
      }
    },

    /** Saves the form; from now on the page, not settings.departments, decides this department. */
    async update(id: number, input: DepartmentInput): Promise<void> {
      const before = await existing(id);
      const { fields, problems } = checkDepartment(input, false);
      if (Object.keys(problems).length > 0) throw new ValidationError(problems);
      await store.departments.update(id, fields, now());
      // Open requests are held to the new regulation from now on.
      if (JSON.stringify(before.regulation) !== JSON.stringify(fields.regulation)) await recountDepartment(store, id, now());
    },

    /** Saves the department's escalation steps; from now on the page, not settings.departments, decides it. */
    async setEscalation(id: number, rows: EscalationRowInput[]): Promise<void> {
      await existing(id);
      const { steps, problems } = checkEscalation(rows);
      if (Object.keys(problems).length > 0) throw new ValidationError(problems);
      await store.departments.setEscalation(id, steps, now());
    },

    /** Only a department without requests goes; one with requests can only be deactivated. */
    async remove(id: number): Promise<void> {
      await existing(id);
      try {
        await store.transaction(async (tx) => {
          if (await tx.departments.hasTickets(id)) throw hasTickets();
          await tx.departments.remove(id);
        });
      } catch (err) {
        // A request filed meanwhile: the tickets' foreign key refuses the delete.
        if (err instanceof StillReferencedError) throw hasTickets();
        throw err;
      }
    },

    async addMember(departmentId: number, input: MemberInput): Promise<void> {
      await existing(departmentId);
      const { member, problems } = checkMember(input);
      if (Object.keys(problems).length > 0) throw new ValidationError(problems);
      try {
        await store.members.add({ departmentId, ...member });
      } catch (err) {
        if (err instanceof ConflictError) throw new ValidationError({ userId: { key: 'errors.member.exists' } });
        throw err;
      }
    },

    async removeMember(departmentId: number, memberId: number): Promise<void> {
      if (!Number.isSafeInteger(memberId) || !(await store.members.remove(departmentId, memberId))) throw new NotFoundError('member');
    },

    /**
     * Copies settings.departments onto departments an admin has not saved on the page yet.
     * Returns the codes whose settings differ from a department the page now decides, so the
     * host's log can say those settings are not used.
     */
    async applySettings(settings: Record<string, DepartmentDefaults>): Promise<string[]> {
      const ignored: string[] = [];
      for (const [code, wanted] of Object.entries(settings)) {
        const department = await store.departments.findByCode(code);
        if (!department) continue;
        if (department.editedAt === null) {
          await store.departments.applySettings(code, wanted);
          continue;
        }
        const differs =
          !sameList(department.emails, wanted.emails) ||
          !sameList(department.onCall, wanted.onCall) ||
          (wanted.locale ?? null) !== department.mailLocale ||
          (wanted.urgent !== undefined && wanted.urgent !== department.urgent) ||
          (wanted.responseMinutes !== undefined && wanted.responseMinutes !== department.regulation.targets.firstResponse) ||
          (wanted.escalation !== undefined && JSON.stringify(wanted.escalation) !== JSON.stringify(department.escalation));
        if (differs) ignored.push(code);
      }
      return ignored;
    },
  };
}

export type DepartmentAdmin = ReturnType<typeof departmentAdmin>;
