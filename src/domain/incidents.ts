// Incidents: a known problem staff declare once for the customers it affects. While it is open,
// affected customers see it above their list and the create form (so they need not write), new
// requests about an affected service are linked to it as they are made, and staff link others
// by hand. An update goes to every linked request as a staff answer in its customer's language
// (incident-broadcast.ts); resolving sends the final message, optionally closing the requests.
// An incident belongs to a department: its staff manage it, admins manage every incident.
import type { HostService, HostUser, Locale } from '../host';
import { INCIDENT_REACHES, type Incident, type IncidentLink, type IncidentReach, type IncidentUpdate } from '../model/incidents';
import type { Store } from '../model/store';
import type { Clock, Department, Ticket } from '../model/types';
import { ConflictError, NotFoundError, ValidationError, type Problem } from '../model/errors';
import { LOCALES } from '../model/locales';
import { checkText, LIMITS } from './field-rules';
import { staffAccess } from './staff-access';
import type { IncidentBroadcast } from './incident-broadcast';

export interface IncidentDeps {
  store: Store;
  servicesOf(customerId: string): Promise<HostService[]>;
  broadcast: IncidentBroadcast;
  now?: Clock;
}

/** The declare form as typed. */
export interface IncidentInput {
  departmentId: string;
  titleRu: string;
  titleEn: string;
  bodyRu: string;
  bodyEn: string;
  affects: string;
  /** Service kinds or ids, separated by commas, spaces or lines. */
  kinds: string;
  services: string;
}

/** An update or the final message as typed, in each language. */
export type UpdateInput = Record<Locale, string>;

/** An incident with what its page shows. */
export interface IncidentView {
  incident: Incident;
  department: Department | null;
  links: IncidentLink[];
  updates: IncidentUpdate[];
  /** The departments the viewer reaches (null: all), so the page links only requests they can open. */
  reach: number[] | null;
}

const OPEN_LIST = 100;
const RESOLVED_LIST = 30;

const suffix = (locale: Locale) => (locale === 'ru' ? 'Ru' : 'En');

/** Service kinds or ids as a list: split on commas, spaces and lines, each once. */
function targetList(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).filter(Boolean))];
}

/** Whether the incident affects a customer with these services. */
function affectsServices(incident: Incident, services: HostService[]): boolean {
  if (incident.affects === 'everyone') return true;
  const targets = new Set(incident.targets);
  return services.some((s) => (incident.affects === 'kinds' ? s.kind !== undefined && targets.has(s.kind) : targets.has(s.id)));
}

/**
 * Whether a new request is linked to the incident as it is made. A request about an affected
 * service (its kind or its id) is, whichever department it went to: the answer the customer
 * waits for is the incident's. An incident of everyone links only requests filed in its own
 * department: an outage of everything says nothing about a question about an invoice.
 */
function linksNewTicket(incident: Incident, ticket: Pick<Ticket, 'serviceId' | 'serviceKind' | 'departmentId'>): boolean {
  if (incident.resolvedAt !== null) return false;
  if (incident.affects === 'everyone') return ticket.departmentId === incident.departmentId;
  const value = incident.affects === 'kinds' ? ticket.serviceKind : ticket.serviceId;
  return value !== null && incident.targets.includes(value);
}

/** Each language's text of a field; the form names them field + Ru / En. */
function checkTexts(problems: Record<string, Problem>, input: Record<string, string>, field: string): Record<Locale, string> {
  const rule =
    field === 'title'
      ? { max: LIMITS.incidentTitle, required: 'errors.incident.titleRequired', tooLong: 'errors.incident.titleTooLong' }
      : { max: LIMITS.incidentText, required: 'errors.incident.textRequired', tooLong: 'errors.incident.textTooLong' };
  const texts = {} as Record<Locale, string>;
  for (const locale of LOCALES) {
    const name = `${field}${suffix(locale)}`;
    texts[locale] = checkText(problems, name, input[name] ?? '', rule);
  }
  return texts;
}

function checkTargets(problems: Record<string, Problem>, affects: IncidentReach, input: IncidentInput): string[] {
  if (affects === 'everyone') return [];
  const field = affects;
  const targets = targetList(affects === 'kinds' ? input.kinds : input.services);
  const longest = affects === 'kinds' ? LIMITS.serviceKind : LIMITS.userId;
  if (targets.length === 0) problems[field] = { key: `errors.incident.${field}Required` };
  else if (targets.length > LIMITS.incidentTargets)
    problems[field] = { key: 'errors.incident.tooManyTargets', params: { max: LIMITS.incidentTargets } };
  else if (targets.some((v) => v.length > longest)) problems[field] = { key: 'errors.incident.targetTooLong', params: { max: longest } };
  return targets;
}

export function incidents(deps: IncidentDeps) {
  const { store } = deps;
  const now = deps.now ?? Date.now;
  const access = staffAccess(store);

  /**
   * The incident, when the user manages its department, with the user's reach (the departments
   * whose requests they may link); NotFound otherwise, as if it did not exist.
   */
  async function managed(user: HostUser, id: number): Promise<{ incident: Incident; reach: number[] | null }> {
    const [incident, reach] = await Promise.all([store.incidents.find(id), access.reach(user)]);
    if (!incident || (reach && !reach.includes(incident.departmentId))) throw new NotFoundError('incident');
    return { incident, reach };
  }

  async function openIncident(user: HostUser, id: number): Promise<{ incident: Incident; reach: number[] | null }> {
    const found = await managed(user, id);
    if (found.incident.resolvedAt !== null) throw new ValidationError({ form: { key: 'errors.incident.resolved' } });
    return found;
  }

  /** The texts of an update ('update') or a final message ('final'); problems under field + Ru / En. */
  function checkUpdate(input: UpdateInput, field: 'update' | 'final'): Record<Locale, string> {
    const problems: Record<string, Problem> = {};
    const named = Object.fromEntries(LOCALES.map((l) => [`${field}${suffix(l)}`, input[l]]));
    const body = checkTexts(problems, named, field);
    if (Object.keys(problems).length > 0) throw new ValidationError(problems);
    return body;
  }

  return {
    departmentsOf: access.departmentsOf,

    /** Open and recently resolved incidents of the user's departments. */
    async list(user: HostUser): Promise<{ open: Incident[]; resolved: Incident[] }> {
      const reach = await access.reach(user);
      const [open, resolved] = await Promise.all([
        store.incidents.list(reach, 'open', OPEN_LIST),
        store.incidents.list(reach, 'resolved', RESOLVED_LIST),
      ]);
      return { open, resolved };
    },

    /** Declares an incident in one of the user's departments. The form's key makes a double click one incident. */
    async declare(user: HostUser, input: IncidentInput, submissionKey: string): Promise<number> {
      const problems: Record<string, Problem> = {};
      const reach = await access.reach(user);
      const departmentId = Number(input.departmentId);
      const department = /^\d+$/.test(input.departmentId) ? await store.departments.find(departmentId) : null;
      if (!department || (reach && !reach.includes(department.id))) problems.departmentId = { key: 'errors.incident.department' };
      const title = checkTexts(problems, input as unknown as Record<string, string>, 'title');
      const body = checkTexts(problems, input as unknown as Record<string, string>, 'body');
      const affects = INCIDENT_REACHES.find((r) => r === input.affects);
      if (!affects) problems.affects = { key: 'errors.incident.affects' };
      const targets = affects ? checkTargets(problems, affects, input) : [];
      if (Object.keys(problems).length > 0) throw new ValidationError(problems);
      try {
        return await store.incidents.create({
          departmentId: department!.id,
          title,
          body,
          affects: affects!,
          targets,
          authorId: user.id,
          authorName: user.name,
          createdAt: now(),
          submissionKey,
        });
      } catch (err) {
        const made = err instanceof ConflictError ? await store.incidents.findBySubmission(submissionKey) : null;
        if (made) return made.id;
        throw err;
      }
    },

    async view(user: HostUser, id: number): Promise<IncidentView> {
      const { incident, reach } = await managed(user, id);
      const [department, links, updates] = await Promise.all([
        store.departments.find(incident.departmentId),
        store.incidents.linked(incident.id),
        store.incidents.updates(incident.id),
      ]);
      return { incident, department, links, updates, reach };
    },

    /** Links a request of the user's departments to an open incident by its number; linked already is fine. */
    async link(user: HostUser, id: number, number: string): Promise<void> {
      const { incident, reach } = await openIncident(user, id);
      const ticket = await access.reachable(user, number.trim(), reach).catch((err: unknown) => {
        if (err instanceof NotFoundError) throw new ValidationError({ number: { key: 'errors.incident.number' } });
        throw err;
      });
      await store.incidents.link([{ incidentId: incident.id, ticketId: ticket.id }], { id: user.id, name: user.name }, now());
    },

    /** Takes a request off the incident: later updates do not reach it. */
    async unlink(user: HostUser, id: number, ticketId: number): Promise<void> {
      const { incident } = await managed(user, id);
      if (!(await store.incidents.unlink(incident.id, ticketId))) throw new NotFoundError('incident link');
    },

    /** Records an update and sends it to every linked open request. The form's key makes a double click one update. */
    async update(user: HostUser, id: number, input: UpdateInput, submissionKey: string): Promise<void> {
      const earlier = await store.incidents.findUpdateBySubmission(submissionKey);
      if (earlier) return deps.broadcast.send(earlier);
      const { incident } = await openIncident(user, id);
      const body = checkUpdate(input, 'update');
      await recordAndSend(user, incident, body, { final: false, closeLinked: false }, submissionKey);
    },

    /** Resolves the incident with a final message to every linked open request, which it closes when asked to. */
    async resolve(user: HostUser, id: number, input: UpdateInput, closeLinked: boolean, submissionKey: string): Promise<void> {
      const earlier = await store.incidents.findUpdateBySubmission(submissionKey);
      if (earlier) return deps.broadcast.send(earlier);
      const { incident } = await openIncident(user, id);
      const body = checkUpdate(input, 'final');
      await recordAndSend(user, incident, body, { final: true, closeLinked }, submissionKey);
    },

    /** Sends the rest of an update a failure left unfinished. */
    async resume(user: HostUser, id: number, updateId: number): Promise<void> {
      const { incident } = await managed(user, id);
      const update = await store.incidents.findUpdate(updateId);
      if (!update || update.incidentId !== incident.id) throw new NotFoundError('incident update');
      await deps.broadcast.send(update);
    },

    /** Open incidents that affect this customer, for the banner on their list and create form. */
    async forCustomer(customer: HostUser, known?: HostService[]): Promise<Incident[]> {
      const open = await store.incidents.open();
      if (open.length === 0) return [];
      // The page may have asked the host for them already (the create form's service list).
      const services = known ?? (await deps.servicesOf(customer.id));
      return open.filter((i) => affectsServices(i, services));
    },

    /** The incidents a request is linked to, for its staff page. */
    ofTicket(ticketId: number): Promise<Incident[]> {
      return store.incidents.ofTicket(ticketId);
    },
  };

  /** The update row and, for a final one, the resolution, in one transaction; then the sending. */
  async function recordAndSend(
    user: HostUser,
    incident: Incident,
    body: Record<Locale, string>,
    kind: { final: boolean; closeLinked: boolean },
    submissionKey: string,
  ): Promise<void> {
    const update = await store
      .transaction(async (tx): Promise<IncidentUpdate> => {
        const at = now();
        // Resolved by someone else meanwhile: no second final message.
        if (kind.final && !(await tx.incidents.resolve(incident.id, at)))
          throw new ValidationError({ form: { key: 'errors.incident.resolved' } });
        const recorded = { incidentId: incident.id, body, ...kind, authorId: user.id, authorName: user.name, createdAt: at };
        const id = await tx.incidents.addUpdate({ ...recorded, submissionKey });
        // As the row now stands: nobody has been sent it yet.
        return { id, ...recorded, finishedAt: null, reached: 0 };
      })
      .catch(async (err: unknown) => {
        // A double click: the other copy recorded it (its key is taken, or it resolved the incident first).
        const copy = err instanceof ConflictError || err instanceof ValidationError;
        const made = copy ? await store.incidents.findUpdateBySubmission(submissionKey) : null;
        if (made) return made;
        throw err;
      });
    await deps.broadcast.send(update);
  }
}

export type Incidents = ReturnType<typeof incidents>;

/**
 * Links a request that is being created to the open incidents it is about. Runs inside the
 * create's transaction; the open incidents come from the store's kept copy, so a create while
 * nothing is open costs no statement.
 */
export async function linkToOpenIncidents(tx: Store, ticket: Ticket, at: number): Promise<void> {
  const open = await tx.incidents.open();
  const pairs = open.filter((i) => linksNewTicket(i, ticket)).map((i) => ({ incidentId: i.id, ticketId: ticket.id }));
  await tx.incidents.link(pairs, null, at);
}
