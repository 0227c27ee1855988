// Counts the SQL statements one HTTP request makes the database run, from knex's 'query' event.
// knex emits it for every statement it sends, BEGIN/COMMIT/ROLLBACK and SAVEPOINT included, so
// a transaction's bracket counts as two statements. The request is known by an AsyncLocalStorage
// context opened by a middleware in front of the app: knex emits the event in the async context
// of the code that issued the query, so statements of other requests are never mixed in.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';
import type { Knex } from 'knex';

/** A statement as knex sent it: SQL with the driver's placeholders, and its values. */
export interface RawStatement {
  sql: string;
  bindings: unknown[];
}

interface Recording {
  statements: RawStatement[];
  /** Set when the answer has been sent: anything later (work the request set going) is not its own. */
  answered: boolean;
}

/**
 * The SQL with its prefix, placeholders and whitespace made uniform, and an insert's long column
 * list as its length: one short line per statement.
 */
export function normalizeSql(sql: string, tablePrefix: string): string {
  return sql
    .replace(/\s+/g, ' ')
    .trim()
    .split(tablePrefix)
    .join('')
    .replace(/\$\d+/g, '?')
    .replace(/\((\s*\?\s*,)+\s*\?\s*\)/g, '(?, …)')
    .replace(/^(insert into \S+) \(([^)]*)\)/i, (whole, into: string, columns: string) => {
      const n = columns.split(',').length;
      return n > 4 ? `${into} (${n} columns)` : whole;
    });
}

export class StatementCounter {
  private readonly context = new AsyncLocalStorage<Recording>();
  /** Every statement on this knex, whoever issued it. */
  total = 0;

  constructor(
    knex: Knex,
    private readonly tablePrefix: string,
  ) {
    knex.on('query', (query: { sql?: string; bindings?: unknown[] }) => {
      this.total++;
      const recording = this.context.getStore();
      if (recording && !recording.answered) recording.statements.push({ sql: query.sql ?? '', bindings: query.bindings ?? [] });
    });
  }

  /**
   * Express middleware: records the statements of a request sent by record() until its answer is
   * sent. Other requests pass untouched: AsyncLocalStorage turns on promise hooks, which slow
   * every promise in the process, so it is only switched on by the first recorded request.
   */
  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    if (req.get('x-bench-request') === undefined) return next();
    const recording: Recording = { statements: [], answered: false };
    res.on('finish', () => void (recording.answered = true));
    // 'close' follows 'finish', and comes alone when the connection broke first.
    res.on('close', () => {
      recording.answered = true;
      this.finished.get(req.get('x-bench-request') ?? '')?.(recording.statements);
    });
    this.context.run(recording, next);
  };

  private readonly finished = new Map<string, (statements: RawStatement[]) => void>();

  /**
   * Sends one request tagged with an id (header `x-bench-request`) and resolves with the
   * statements it made, normalized and as sent, once both its answer and its recording are complete.
   */
  async record<T>(
    id: string,
    send: (headers: Record<string, string>) => Promise<T>,
  ): Promise<{ reply: T; statements: string[]; raw: RawStatement[] }> {
    const recorded = new Promise<RawStatement[]>((resolve) => this.finished.set(id, resolve));
    try {
      const reply = await send({ 'x-bench-request': id });
      const raw = await recorded;
      return { reply, statements: raw.map((s) => normalizeSql(s.sql, this.tablePrefix)), raw };
    } finally {
      this.finished.delete(id);
    }
  }

  /** Switches the promise hooks off again once the recording is over. */
  stopRecording(): void {
    this.context.disable();
  }
}
