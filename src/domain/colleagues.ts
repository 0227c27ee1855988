// Who works in a department, as the pages show it and as requests can be assigned: the people
// the panel places there (the host's optional staffOf, contract 1.3) and the people an admin
// listed on the Departments page for panels that do not say.
import type { HostUser } from '../host';
import type { Store } from '../model/store';
import type { Department } from '../model/types';

/** The host's staffOf(departmentCode), when it has one. */
export type HostStaffOf = (departmentCode: string) => Promise<HostUser[]>;

export interface Colleague {
  userId: string;
  name: string;
  email: string;
  /** From the panel's own records (staffOf), not the plugin's list. */
  fromHost: boolean;
}

/** A department's staff by name; someone on both lists appears once, as the panel names them. */
export function colleaguesOf(store: Store, hostStaffOf: HostStaffOf | undefined) {
  return async (department: Department): Promise<Colleague[]> => {
    const [listed, placed] = await Promise.all([
      store.members.list(department.id),
      hostStaffOf ? hostStaffOf(department.code) : Promise.resolve([]),
    ]);
    const byId = new Map<string, Colleague>();
    for (const m of listed) byId.set(m.userId, { userId: m.userId, name: m.name, email: m.email, fromHost: false });
    for (const u of placed) {
      if (u.role !== 'client') byId.set(u.id, { userId: u.id, name: u.name, email: u.email, fromHost: true });
    }
    return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId));
  };
}

export type ColleaguesOf = ReturnType<typeof colleaguesOf>;
