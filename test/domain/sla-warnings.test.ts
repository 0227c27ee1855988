// Whom a service-level warning goes to, on the memory store: the assignee by the department's
// member list or by the panel's own staff (staffOf), else the department's addresses.
import assert from 'node:assert/strict';
import type { DepartmentRegulation } from '../../src/model/types';
import { sendSlaWarnings } from '../../src/domain/sla-warnings';
import { admin, domainWorld, ivan, petr } from '../support/domain-world';

const MINUTE = 60_000;
/** Answer within 10 minutes, round the clock; warned after 8. */
const TEN_MINUTES: DepartmentRegulation = {
  targets: { firstResponse: 10, nextResponse: null, resolution: null },
  byPriority: {},
  hours: null,
  warnPercent: 80,
};
const placed = { id: 's-host', role: 'staff' as const, name: 'Хост Сотрудник', email: 'host@panel.example', departments: ['technical'] };

describe('domain: service-level warnings', () => {
  it('go to the assignee from the member list or the panel’s staff, else to the department', async () => {
    const hostStaffOf = async (code: string) => (code === 'technical' ? [placed] : []);
    const w = await domainWorld({ hostStaffOf });
    const { id, code: _code, editedAt: _at, ...fields } = w.departments.technical!;
    await w.store.departments.update(id, { ...fields, regulation: TEN_MINUTES }, w.clock.now());

    const [listed, fromHost, nobody, gone] = [await w.open(ivan), await w.open(ivan), await w.open(ivan), await w.open(ivan)];
    await w.staff.assign(admin, listed!.number, petr.id);
    await w.staff.assign(admin, fromHost!.number, placed.id);
    await w.staff.assign(admin, gone!.number, 's-kolya');
    // Коля leaves the department's list before the warning: the department hears instead.
    const kolya = (await w.store.members.list(id)).find((m) => m.userId === 's-kolya')!;
    await w.store.members.remove(id, kolya.id);
    w.clock.advance(9 * MINUTE);
    const queued = await sendSlaWarnings({ store: w.store, mail: w.mail, now: w.clock.now, hostStaffOf });
    assert.equal(queued, 4);
    const warnings = w.mail.calls.filter((c) => c.startsWith('sla-warn'));
    assert.deepEqual(
      warnings.sort(),
      [
        `sla-warn to ${petr.email} #${listed!.number}`,
        `sla-warn to host@panel.example #${fromHost!.number}`,
        `sla-warn to technical@panel.example #${nobody!.number}`,
        `sla-warn to technical@panel.example #${gone!.number}`,
      ].sort(),
    );
  });
});
