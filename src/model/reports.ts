// What the admin's reports are made of. The domain writes a fact when a request gets its first
// answer, is first resolved, or first leaves a department for another; a background job sums
// each day's facts, openings and ratings into a few rows per department and staff member, so a
// report reads days, never requests, and costs the same at a thousand requests as at a million.

/** Of each kind a request has at most one fact: its first answer, its first resolution, its first transfer. */
export type ReportFactKind = 'firstResponse' | 'resolution' | 'transfer';

export interface ReportFact {
  ticketId: number;
  kind: ReportFactKind;
  /** When it happened. */
  at: number;
  /** The department it counts for: the one answering or resolving; for a transfer, the one the request left. */
  departmentId: number;
  /** Who answered; for a resolution, the assignee; null when no one person did. */
  staffId: string | null;
  staffName: string | null;
  /** Working minutes from the opening (for a resolution, without the time waiting for the customer); null for a transfer. */
  minutes: number | null;
  /** The regulation's target then, in working minutes; null when it promised nothing. */
  targetMinutes: number | null;
  /** Whether it was within the target (to the millisecond); null without one. */
  met: boolean | null;
}

/** How many requests took a time in each band (domain/report-figures.ts BAND_EDGES), the shortest first; missing ones are 0. */
export type BandCounts = number[];

/** A time figure summed over a day: how many, how many had a target, how many met it, and their times. */
export interface TimeTally {
  count: number;
  targeted: number;
  met: number;
  bands: BandCounts;
}

/** One day's (or month's) sums for a department (staffId '') or for one staff member's work in it. */
export interface ReportDay {
  /** YYYY-MM-DD in the report's time zone; a month's row: YYYY-MM. */
  day: string;
  departmentId: number;
  /** '' for the department's own row. */
  staffId: string;
  staffName: string;
  /** Requests opened (the department they were opened in; department rows only). */
  opened: number;
  /** Requests that left this department for another for the first time (department rows only). */
  transfers: number;
  firstResponse: TimeTally;
  resolution: TimeTally;
  good: number;
  bad: number;
}

/** Ratings given on a day, by department and the staff member they are about. */
export interface RatingTally {
  departmentId: number;
  staffId: string | null;
  staffName: string | null;
  good: number;
  bad: number;
}

/** Open requests of one department in an age band. */
export interface BacklogCount {
  departmentId: number;
  /** Which age band (see ReportStore.backlog): 0 the youngest. */
  band: number;
  open: number;
  /** Of them, past their due time now. */
  overdue: number;
}

export interface ReportStore {
  /** Records a fact unless the request has one of that kind already (the first one counts). */
  recordFact(fact: ReportFact): Promise<void>;
  /** Facts that happened in [from, to). */
  factsBetween(from: number, to: number): Promise<ReportFact[]>;
  /** Requests opened in [from, to), per department they were opened in (before any transfer). */
  openedBetween(from: number, to: number): Promise<Array<{ departmentId: number; opened: number }>>;
  /** Ratings whose latest change is in [from, to). */
  ratingsBetween(from: number, to: number): Promise<RatingTally[]>;
  /** When the first request was opened; null without any. */
  firstOpenedAt(): Promise<number | null>;
  /** Replaces a day's rows and notes it built, at `builtAt`, for days in this time zone. */
  saveDay(day: string, timeZone: string, rows: ReportDay[], builtAt: number): Promise<void>;
  /** Days in [fromDay, toDay] built for this time zone, with when. */
  builtDays(fromDay: string, toDay: string, timeZone: string): Promise<Map<string, number>>;
  /** The rows of days in [fromDay, toDay], of these departments (null: all); the staff members' rows too when `staff`. */
  days(fromDay: string, toDay: string, departmentIds: number[] | null, staff: boolean): Promise<ReportDay[]>;
  /** Replaces a month's rows (YYYY-MM): its days' rows summed. */
  saveMonth(month: string, rows: ReportDay[]): Promise<void>;
  /** The rows of months in [fromMonth, toMonth], of these departments (null: all), staff members' too. */
  months(fromMonth: string, toMonth: string, departmentIds: number[] | null): Promise<ReportDay[]>;
  /**
   * Counts the open requests now, per department and age band: `bands` are instants, newest first; a request
   * is in the band of the first instant it was opened at or after, or in band bands.length when
   * it is older than them all.
   */
  countBacklog(bands: number[], now: number): Promise<BacklogCount[]>;
  /** Keeps a count of the backlog (all departments), replacing the last one. */
  saveBacklog(counts: BacklogCount[], countedAt: number): Promise<void>;
  /** The backlog as last counted, every department's (a few rows); null when it was never counted (or nothing was open). */
  keptBacklog(): Promise<BacklogCount[] | null>;
}
