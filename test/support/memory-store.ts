// The model's Store in memory, for unit tests of the domain that run in milliseconds: the same
// contract as the knex store (unique indexes and foreign keys refuse with the model's errors, a
// transaction commits whole or not at all), none of its SQL. Like SQLite, one change runs at a
// time: a transaction, or a single call outside one.
import type { Store } from '../../src/model/store';
import { ConflictError } from '../../src/model/errors';
import { memoryOutbox } from './memory-outbox';
import { memoryDepartments, memoryMembers, memoryCanned } from './memory-departments';
import { memoryEvents, memoryMessages, memoryQueue, memoryTickets } from './memory-tickets';
import { memoryRatings } from './memory-ratings';
import { emptyData, copyOf, type MemoryData } from './memory-data';
import { memoryPendingUploads } from './memory-pending-uploads';
import { memoryIncidents } from './memory-incidents';
import { memoryReports } from './memory-reports';

/** The database "went away": what the knex store's isUnavailable says of a dropped connection. */
class MemoryOutage extends Error {
  constructor() {
    super('memory store: connection lost');
    this.name = 'MemoryOutage';
  }
}

export interface MemoryStore extends Store {
  /** The rows as stored, for a test to arrange and to look at. */
  readonly data: MemoryData;
  /**
   * The next transaction's commit answers with a MemoryOutage, as when the connection drops
   * during COMMIT: `committed` says whether the change was made all the same.
   */
  loseNextCommit(committed: boolean): void;
  /** Replaces how one method behaves, in and out of transactions, until the function it returns is called. */
  replace<G extends keyof Groups, M extends keyof Groups[G]>(group: G, method: M, fn: Groups[G][M]): () => void;
  /** A later call of this store method (inside a transaction or not) fails with a MemoryOutage: the next one, or the one after `skip` more. */
  failNext(group: Exclude<keyof Store, 'transaction' | 'isUnavailable'>, method: string, skip?: number): void;
}

type Groups = Omit<Store, 'transaction' | 'isUnavailable'>;

function groupsOver(data: MemoryData): Groups {
  return {
    departments: memoryDepartments(data),
    tickets: memoryTickets(data),
    messages: memoryMessages(data),
    outbox: memoryOutbox(data),
    queue: memoryQueue(data),
    events: memoryEvents(data),
    members: memoryMembers(data),
    canned: memoryCanned(data),
    ratings: memoryRatings(data),
    incidents: memoryIncidents(data),
    reports: memoryReports(data),
    gates: {
      async ensure(customerId) {
        if (!data.gates.includes(customerId)) data.gates.push(customerId);
      },
      async hold(customerId) {
        return data.gates.includes(customerId);
      },
    },
    pendingUploads: memoryPendingUploads(data),
    escalationPages: {
      async pagedSteps(ticketIds) {
        const paged = new Map<number, number[]>();
        for (const p of [...data.escalationPages].sort((a, b) => a.step - b.step)) {
          if (ticketIds.includes(p.ticketId)) paged.set(p.ticketId, [...(paged.get(p.ticketId) ?? []), p.step]);
        }
        return paged;
      },
      async record(ticketId, step, at) {
        if (data.escalationPages.some((p) => p.ticketId === ticketId && p.step === step)) throw new ConflictError('escalationPage');
        data.escalationPages.push({ ticketId, step, pagedAt: at });
      },
    },
    slaWarnings: {
      async due(now, limit) {
        const due = data.tickets.filter((t) => t.status !== 'closed' && t.warnAt !== null && t.warnAt <= now);
        return due
          .sort((a, b) => (a.warnAt ?? 0) - (b.warnAt ?? 0))
          .slice(0, limit)
          .map((t) => copyOf(t));
      },
      async sent(ticketId, dueAt, kind) {
        return data.slaWarnings.some((w) => w.ticketId === ticketId && w.dueAt === dueAt && w.kind === kind);
      },
      async record(ticketId, dueAt, kind, sentAt) {
        if (data.slaWarnings.some((w) => w.ticketId === ticketId && w.dueAt === dueAt && w.kind === kind))
          throw new ConflictError('slaWarning');
        data.slaWarnings.push({ ticketId, dueAt, kind, sentAt });
      },
    },
  };
}

export function memoryStore(): MemoryStore {
  const data = emptyData();
  /** Calls to let pass before the one that fails, by group.method. */
  const failures = new Map<string, number>();
  let lostCommit: { committed: boolean } | null = null;
  /** The end of the change running now: the next one starts after it. */
  let turn: Promise<unknown> = Promise.resolve();

  function exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = turn.then(work, work);
    turn = run.catch(() => undefined);
    return run;
  }

  const groups = groupsOver(data);
  const methods = groups as unknown as Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>;

  /** Each method of each group, looked up when called, failing once when a test asked for it, and taking its turn when `alone`. */
  function wrap(alone: boolean): Groups {
    const wrapped: Record<string, Record<string, unknown>> = {};
    for (const [name, group] of Object.entries(methods)) {
      wrapped[name] = {};
      for (const method of Object.keys(group)) {
        const key = `${name}.${method}`;
        const call = async (...args: unknown[]) => {
          const skip = failures.get(key);
          if (skip === 0) {
            failures.delete(key);
            throw new MemoryOutage();
          }
          if (skip !== undefined) failures.set(key, skip - 1);
          return (group[method] as (...args: unknown[]) => Promise<unknown>)(...args);
        };
        wrapped[name][method] = alone ? (...args: unknown[]) => exclusive(() => call(...args)) : call;
      }
    }
    return wrapped as unknown as Groups;
  }

  const isUnavailable = (err: unknown) => err instanceof MemoryOutage;
  const inTransaction: Store = {
    ...wrap(false),
    // Already inside one: the work joins it.
    transaction: (fn) => fn(inTransaction),
    isUnavailable,
  };

  return {
    ...wrap(true),
    data,
    isUnavailable,
    transaction: <T>(fn: (tx: Store) => Promise<T>) =>
      exclusive(async () => {
        const before = structuredClone(data);
        const rollback = () => Object.assign(data, before);
        let result: T;
        try {
          result = await fn(inTransaction);
        } catch (err) {
          rollback();
          throw err;
        }
        const lost = lostCommit;
        lostCommit = null;
        if (lost) {
          if (!lost.committed) rollback();
          throw new MemoryOutage();
        }
        return result;
      }),
    loseNextCommit(committed) {
      lostCommit = { committed };
    },
    replace(group, method, fn) {
      const before = groups[group][method];
      groups[group][method] = fn;
      return () => {
        groups[group][method] = before;
      };
    },
    failNext(group, method, skip = 0) {
      failures.set(`${group}.${method}`, skip);
    },
  };
}
