// Staff membership of departments, kept by the plugin for hosts that do not give HostUser.departments.
import type { Knex } from 'knex';
import type { DepartmentMember } from '../model/types';
import type { DepartmentStaffStore, NewDepartmentMember } from '../model/store';
import type { TableNames } from './tables';
import { num } from './dialect';
import { withRefusals } from './refusals';

function toMember(row: Record<string, unknown>): DepartmentMember {
  return {
    id: num(row.id),
    departmentId: num(row.department_id),
    userId: String(row.user_id),
    name: String(row.name),
    email: String(row.email),
  };
}

export function departmentStaffStore(knex: Knex, t: TableNames): DepartmentStaffStore {
  return {
    /** Members of one department, or of all when departmentId is null; by name. */
    async list(departmentId: number | null): Promise<DepartmentMember[]> {
      const query = knex(t.departmentStaff).orderBy([{ column: 'name' }, { column: 'id' }]);
      if (departmentId !== null) query.where('department_id', departmentId);
      return (await query).map(toMember);
    },

    async departmentIdsOf(userId: string): Promise<number[]> {
      return (await knex(t.departmentStaff).where('user_id', userId).select('department_id')).map((r) => num(r.department_id));
    },

    async add(member: NewDepartmentMember): Promise<void> {
      await withRefusals({ unique: 'memberUser', missing: 'memberDepartment' }, () =>
        knex(t.departmentStaff).insert({
          department_id: member.departmentId,
          user_id: member.userId,
          name: member.name,
          email: member.email,
        }),
      );
    },

    /** Removes one member row of a department; false when there was none. */
    async remove(departmentId: number, id: number): Promise<boolean> {
      return (await knex(t.departmentStaff).where({ id, department_id: departmentId }).delete()) > 0;
    },
  };
}
