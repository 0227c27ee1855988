// The rules for a department's response regulation as the admin types it on the department's
// page: targets in minutes (a priority's own where set), the working week as spans of the wall
// clock, holidays and worked days as dates, each checked next to its own field.
import { IANAZone } from 'luxon';
import type { Problem } from '../model/errors';
import {
  PRIORITIES,
  type DepartmentRegulation,
  type ResponseTargets,
  type TicketPriority,
  type Weekday,
  type WorkingHours,
  type WorkingSpan,
} from '../model/types';
import { minutesOf } from './working-hours';
import { TARGET_KINDS } from '../model/regulation';
import { validDay } from './calendar-days';

const KINDS = TARGET_KINDS;
const WEEKDAYS: Weekday[] = [1, 2, 3, 4, 5, 6, 7];
/** A target of at most 30 days; a warning share from 1 to 99 per cent. */
const MAX_TARGET = 43_200;
const MAX_DATES = 100;

type TargetField = `${(typeof KINDS)[number]}${'' | `_${TicketPriority}`}`;
type WeekField = `week${Weekday}`;

/** The regulation's form as typed: all text, but the schedule's checkbox. */
export type RegulationInput = Record<TargetField | WeekField | 'warnPercent' | 'timeZone' | 'holidays' | 'workingDays', string> & {
  /** Counts working hours only; unchecked: round the clock. */
  scheduled: boolean;
};

/** Every text field of the form, for reading it from a request. */
export const REGULATION_FIELDS = [
  ...KINDS.flatMap((k) => [k, ...PRIORITIES.map((p) => `${k}_${p}`)]),
  ...WEEKDAYS.map((d) => `week${d}`),
  'warnPercent',
  'timeZone',
  'holidays',
  'workingDays',
] as Array<Exclude<keyof RegulationInput, 'scheduled'>>;

const spansText = (spans: WorkingSpan[]) => spans.map(([from, to]) => `${from}-${to}`).join(', ');

/** A stored regulation as its form shows it; a department without a schedule is offered a weekday 09:00–18:00 in `zone`. */
export function regulationInput(regulation: DepartmentRegulation, zone: string): RegulationInput {
  const hours = regulation.hours;
  const fields = { ...Object.fromEntries(REGULATION_FIELDS.map((f) => [f, ''])), scheduled: false } as unknown as RegulationInput;
  for (const kind of KINDS) {
    fields[kind] = regulation.targets[kind]?.toString() ?? '';
    for (const p of PRIORITIES) fields[`${kind}_${p}`] = regulation.byPriority[p]?.[kind]?.toString() ?? '';
  }
  for (const d of WEEKDAYS) fields[`week${d}`] = hours ? spansText(hours.week[d] ?? []) : d <= 5 ? '09:00-18:00' : '';
  fields.warnPercent = String(regulation.warnPercent);
  fields.timeZone = hours?.timeZone ?? zone;
  fields.holidays = hours?.holidays.join('\n') ?? '';
  fields.workingDays = hours?.workingDays.map((w) => `${w.date} ${spansText(w.spans)}`).join('\n') ?? '';
  fields.scheduled = hours !== null;
  return fields;
}

function checkMinutes(value: string, field: string, problems: Record<string, Problem>): number | null {
  const text = value.trim();
  if (text === '') return null;
  const minutes = /^\d{1,6}$/.test(text) ? Number(text) : 0;
  if (minutes >= 1 && minutes <= MAX_TARGET) return minutes;
  problems[field] = { key: 'sla.errors.minutes', params: { max: MAX_TARGET } };
  return null;
}

/** "09:00-13:00, 14:00-18:00" → spans; "" is a day off. */
function checkSpans(value: string, field: string, problems: Record<string, Problem>): WorkingSpan[] {
  const spans: WorkingSpan[] = [];
  for (const part of value
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [from = '', to = ''] = part.split(/\s*[-–—]\s*/);
    const start = minutesOf(from.padStart(5, '0'));
    const end = minutesOf(to.padStart(5, '0'));
    if (start === null || end === null || end <= start) {
      problems[field] = { key: 'sla.errors.spans', params: { value: part.slice(0, 40) } };
      return [];
    }
    spans.push([from.padStart(5, '0'), to.padStart(5, '0')]);
  }
  return spans;
}

/** A date that exists in the calendar (Date.parse would take 2027-02-30 for March 2nd). */
const isDate = (text: string) => validDay(text, 'UTC') !== null;

function checkDates(value: string, problems: Record<string, Problem>): string[] {
  const dates = value.split(/[\s,;]+/).filter(Boolean);
  const wrong = dates.find((d) => !isDate(d));
  if (wrong !== undefined) problems.holidays = { key: 'sla.errors.date', params: { value: wrong.slice(0, 40) } };
  else if (dates.length > MAX_DATES) problems.holidays = { key: 'sla.errors.tooManyDates', params: { max: MAX_DATES } };
  return wrong === undefined ? [...new Set(dates)].sort() : [];
}

/** "2027-03-06 10:00-16:00" per line: a day worked, with its hours. */
function checkWorkingDays(value: string, problems: Record<string, Problem>): WorkingHours['workingDays'] {
  const days: WorkingHours['workingDays'] = [];
  for (const line of value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)) {
    const [date = '', ...rest] = line.split(/\s+/);
    const spans = checkSpans(rest.join(' '), 'workingDays', problems);
    if (!isDate(date) || spans.length === 0) {
      problems.workingDays = { key: 'sla.errors.workingDay', params: { value: line.slice(0, 40) } };
      return [];
    }
    days.push({ date, spans });
  }
  if (days.length > MAX_DATES) problems.workingDays = { key: 'sla.errors.tooManyDates', params: { max: MAX_DATES } };
  return days;
}

/** The regulation the form describes, with every problem by field. */
export function checkRegulation(input: RegulationInput, problems: Record<string, Problem>): DepartmentRegulation {
  const targets = Object.fromEntries(KINDS.map((k) => [k, checkMinutes(input[k], k, problems)])) as unknown as ResponseTargets;
  const byPriority: DepartmentRegulation['byPriority'] = {};
  for (const p of PRIORITIES) {
    const own = Object.fromEntries(
      KINDS.flatMap((k) => {
        const minutes = checkMinutes(input[`${k}_${p}`], `${k}_${p}`, problems);
        return minutes === null ? [] : [[k, minutes]];
      }),
    );
    if (Object.keys(own).length > 0) byPriority[p] = own;
  }
  const share = input.warnPercent.trim();
  const warnPercent = /^\d{1,2}$/.test(share) && Number(share) >= 1 ? Number(share) : 80;
  if (share !== '' && warnPercent !== Number(share)) problems.warnPercent = { key: 'sla.errors.warnPercent' };
  if (!input.scheduled) return { targets, byPriority, hours: null, warnPercent };

  const timeZone = input.timeZone.trim();
  if (!IANAZone.isValidZone(timeZone)) problems.timeZone = { key: 'sla.errors.timeZone' };
  const week = Object.fromEntries(WEEKDAYS.map((d) => [d, checkSpans(input[`week${d}`], `week${d}`, problems)]));
  const hours = {
    timeZone,
    week,
    holidays: checkDates(input.holidays, problems),
    workingDays: checkWorkingDays(input.workingDays, problems),
  };
  if (WEEKDAYS.every((d) => hours.week[d]!.length === 0) && !problems.week1) problems.week1 = { key: 'sla.errors.noWorkingTime' };
  return { targets, byPriority, hours, warnPercent };
}
