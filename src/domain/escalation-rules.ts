// The rules of a department's emergency escalation as its form on the Departments page states
// them: up to ESCALATION_STEPS rows of minutes and whom to page, each later than the one before.
import type { Problem } from '../model/errors';
import type { EscalationStep } from '../model/types';
import { checkAddresses } from './department-rules';

export const ESCALATION_STEPS = 3;
/** A day: an emergency nobody took for longer is a matter for the morning meeting, not a page. */
export const ESCALATION_MAX_MINUTES = 1440;

/** One row of the form as typed; `whom` is "addresses" or "admins". */
export interface EscalationRowInput {
  minutes: string;
  whom: string;
  addresses: string;
}

/** The rows a department's steps fill, and empty ones after them up to ESCALATION_STEPS. */
export function escalationRows(steps: EscalationStep[]): EscalationRowInput[] {
  return Array.from({ length: ESCALATION_STEPS }, (_, i) => {
    const step = steps[i];
    if (!step) return { minutes: '', whom: 'addresses', addresses: '' };
    return {
      minutes: String(step.afterMinutes),
      whom: step.to === 'admins' ? 'admins' : 'addresses',
      addresses: step.to === 'admins' ? '' : step.to.join('\n'),
    };
  });
}

/** The form's field of a row: step1Minutes, step2Addresses. */
export const escalationField = (row: number, name: 'Minutes' | 'Whom' | 'Addresses') => `step${row + 1}${name}`;

/** The steps the rows describe (empty rows left out), and every problem by field. */
export function checkEscalation(rows: EscalationRowInput[]): { steps: EscalationStep[]; problems: Record<string, Problem> } {
  const problems: Record<string, Problem> = {};
  const steps: EscalationStep[] = [];
  rows.slice(0, ESCALATION_STEPS).forEach((row, i) => {
    const minutesText = row.minutes.trim();
    const admins = row.whom === 'admins';
    if (minutesText === '' && row.addresses.trim() === '') return;
    const minutesField = escalationField(i, 'Minutes');
    const minutes = /^\d{1,4}$/.test(minutesText) ? Number(minutesText) : 0;
    if (minutes < 1 || minutes > ESCALATION_MAX_MINUTES)
      problems[minutesField] = { key: 'escalation.errors.minutes', params: { max: ESCALATION_MAX_MINUTES } };
    else if (steps.length > 0 && minutes <= steps[steps.length - 1]!.afterMinutes)
      problems[minutesField] = { key: 'escalation.errors.order' };
    const addressField = escalationField(i, 'Addresses');
    const to = admins ? 'admins' : checkAddresses(row.addresses, addressField, problems);
    if (!admins && to.length === 0 && !problems[addressField]) problems[addressField] = { key: 'escalation.errors.addressesRequired' };
    if (!problems[minutesField] && !problems[addressField]) steps.push({ afterMinutes: minutes, to });
  });
  return { steps, problems };
}
