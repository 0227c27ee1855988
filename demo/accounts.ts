// Reads the host's users and services; turns them into the contract's shapes.
import type { Knex } from 'knex';
import type { HostService, HostUser, UserRole } from 'support-requests';

export interface PanelUser {
  id: string;
  name: string;
  email: string;
  role: UserRole;
  locale?: string;
  departments: string[];
}

interface UserRow {
  id: number | string;
  name: string;
  email: string;
  role: string;
  locale: string | null;
  departments: string | null;
}

const roles: readonly UserRole[] = ['client', 'staff', 'admin'];

function departmentsOf(value: string | null): string[] {
  if (!value) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((d): d is string => typeof d === 'string') : [];
  } catch {
    return [];
  }
}

function toUser(row: UserRow): PanelUser | null {
  const role = roles.find((r) => r === row.role);
  if (!role) return null;
  return {
    id: String(row.id),
    name: row.name,
    email: row.email,
    role,
    locale: row.locale ?? undefined,
    departments: departmentsOf(row.departments),
  };
}

/** Every account, customers first, for the demo sign-in page. */
export async function listAccounts(knex: Knex): Promise<PanelUser[]> {
  const rows = (await knex('panel_users').select('*').orderBy('id')) as UserRow[];
  const order = (u: PanelUser) => roles.indexOf(u.role);
  return rows
    .map(toUser)
    .filter((u): u is PanelUser => u !== null)
    .sort((a, b) => order(a) - order(b));
}

export async function findAccount(knex: Knex, id: string): Promise<PanelUser | null> {
  if (!/^\d{1,15}$/.test(id)) return null;
  const row = (await knex('panel_users')
    .where({ id: Number(id) })
    .first()) as UserRow | undefined;
  return row ? toUser(row) : null;
}

export async function servicesOf(knex: Knex, customerId: string): Promise<HostService[]> {
  if (!/^\d{1,15}$/.test(customerId)) return [];
  const rows = (await knex('panel_services')
    .where({ user_id: Number(customerId) })
    .orderBy('id')) as Array<{
    id: number | string;
    label: string;
    kind: string | null;
    status: string;
  }>;
  return rows.map((r) => ({ id: String(r.id), label: r.label, status: r.status, ...(r.kind ? { kind: r.kind } : {}) }));
}

/** The account with this e-mail address (compared case-insensitively), or null. */
export async function findAccountByEmail(knex: Knex, email: string): Promise<PanelUser | null> {
  const row = (await knex('panel_users').whereRaw('lower(email) = ?', [email.trim().toLowerCase()]).first()) as UserRow | undefined;
  return row ? toUser(row) : null;
}

/** The host contract's findUserByEmail: the account as the plugin sees a user. */
export async function hostUserByEmail(knex: Knex, email: string): Promise<HostUser | null> {
  const user = await findAccountByEmail(knex, email);
  if (!user) return null;
  return {
    id: user.id,
    role: user.role,
    name: user.name,
    email: user.email,
    ...(user.locale ? { locale: user.locale } : {}),
    ...(user.role === 'staff' ? { departments: user.departments } : {}),
  };
}

/** The host contract's staffOf: the staff accounts whose departments name this one. */
export async function staffOfDepartment(knex: Knex, code: string): Promise<HostUser[]> {
  const rows = (await knex('panel_users').where('role', 'staff').orderBy('id')) as UserRow[];
  return rows
    .map(toUser)
    .filter((u): u is PanelUser => u !== null && u.departments.includes(code))
    .map((u) => ({
      id: u.id,
      role: u.role,
      name: u.name,
      email: u.email,
      departments: u.departments,
      ...(u.locale ? { locale: u.locale } : {}),
    }));
}
