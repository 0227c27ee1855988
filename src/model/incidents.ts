// Incidents: a known problem staff declare once for the customers it affects, instead of
// answering each of their requests alone. Plain data and the store interface; the rules are in
// domain/incidents.ts.
import type { Locale } from '../host';
import type { Ticket } from './types';

/** Whom an incident affects: every customer, customers with services of some kinds, or some services. */
export type IncidentReach = 'everyone' | 'kinds' | 'services';
export const INCIDENT_REACHES: readonly IncidentReach[] = ['everyone', 'kinds', 'services'];

export interface Incident {
  id: number;
  /** The department whose staff manage it; admins manage every incident. */
  departmentId: number;
  title: Record<Locale, string>;
  body: Record<Locale, string>;
  affects: IncidentReach;
  /** Service kinds (HostService.kind) or service ids, as `affects` says; empty for everyone. */
  targets: string[];
  authorId: string;
  authorName: string;
  createdAt: number;
  /** Null while it is open. */
  resolvedAt: number | null;
}

/** A message to every linked request: an update while the incident is open, or its resolution (final). */
export interface IncidentUpdate {
  id: number;
  incidentId: number;
  body: Record<Locale, string>;
  final: boolean;
  /** A final update that also closes the requests it reaches. */
  closeLinked: boolean;
  authorId: string;
  authorName: string;
  createdAt: number;
  /** When every request it was meant for had it; null while it is still being sent. */
  finishedAt: number | null;
  /** Requests it has reached so far. */
  reached: number;
}

/** A request linked to an incident, by hand (linkedBy) or as it was created (null). */
export interface IncidentLink {
  ticket: Ticket;
  linkedBy: string | null;
  linkedAt: number;
}

export type NewIncident = Omit<Incident, 'id' | 'resolvedAt'> & { submissionKey: string | null };
export type NewIncidentUpdate = Omit<IncidentUpdate, 'id' | 'finishedAt' | 'reached'> & { submissionKey: string | null };

export interface IncidentStore {
  /** ConflictError 'incidentSubmission' when the declare form's key was used already. */
  create(incident: NewIncident): Promise<number>;
  findBySubmission(submissionKey: string): Promise<Incident | null>;
  find(id: number): Promise<Incident | null>;
  /** Newest first, in these departments (null: all); open or resolved. */
  list(departmentIds: number[] | null, state: 'open' | 'resolved', limit: number): Promise<Incident[]>;
  /** Every open incident. Outside the instance that changed them, a few seconds old at most (store/incidents.ts). */
  open(): Promise<Incident[]>;
  /** Marks it resolved; false when it was already. */
  resolve(id: number, at: number): Promise<boolean>;
  /** Links requests to incidents; a pair linked already stays as it was. */
  link(pairs: Array<{ incidentId: number; ticketId: number }>, by: { id: string; name: string } | null, at: number): Promise<void>;
  unlink(incidentId: number, ticketId: number): Promise<boolean>;
  /** The incident's requests, most recently linked first. */
  linked(incidentId: number): Promise<IncidentLink[]>;
  /** The incidents a request is linked to, newest first. */
  ofTicket(ticketId: number): Promise<Incident[]>;
  /** ConflictError 'incidentUpdateSubmission' when the form's key was used already. */
  addUpdate(update: NewIncidentUpdate): Promise<number>;
  findUpdateBySubmission(submissionKey: string): Promise<IncidentUpdate | null>;
  findUpdate(id: number): Promise<IncidentUpdate | null>;
  /** The incident's updates, oldest first. */
  updates(incidentId: number): Promise<IncidentUpdate[]>;
  /** Updates still being sent, oldest first. */
  unfinished(limit: number): Promise<IncidentUpdate[]>;
  /** Ids of requests the update is meant for and has not reached: linked when it was made, and open. */
  unreached(update: IncidentUpdate, limit: number): Promise<number[]>;
  reachedTicket(updateId: number, ticketId: number): Promise<boolean>;
  recordReach(updateId: number, ticketId: number, messageId: number, at: number): Promise<void>;
  finish(updateId: number, at: number): Promise<void>;
}
