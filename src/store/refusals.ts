// Refusals of unique indexes and foreign keys, turned into the model's errors where the statement
// that may cause them runs: the domain acts on what was refused, never on a driver's error code,
// which differs per database.
import { ConflictError, ReferenceMissingError, StillReferencedError, type Reference, type UniqueRule } from '../model/errors';

interface DriverError {
  code?: string;
  errno?: number;
  message?: string;
  /** PostgreSQL: the name of the constraint. */
  constraint?: string;
}

export function isUniqueViolation(err: unknown): boolean {
  const e = err as DriverError | null;
  return e?.code === '23505' || e?.code === 'ER_DUP_ENTRY' || e?.errno === 1062 || /UNIQUE constraint failed/.test(String(e?.message));
}

/** Either way round: a row still referenced (deleted), or one that refers to a row that is gone (inserted). */
function isForeignKeyViolation(err: unknown): boolean {
  const e = err as DriverError | null;
  return (
    e?.code === '23503' ||
    e?.errno === 1451 ||
    e?.errno === 1452 ||
    e?.code === 'ER_ROW_IS_REFERENCED_2' ||
    e?.code === 'ER_NO_REFERENCED_ROW_2' ||
    /FOREIGN KEY constraint failed/.test(String(e?.message))
  );
}

/**
 * The unique index a refusal names: its name on PostgreSQL and MariaDB/MySQL, its columns
 * (table.column, ...) on SQLite. Its end never includes the table prefix.
 */
function refusedKeyOf(err: unknown): string {
  const e = err as DriverError | null;
  if (typeof e?.constraint === 'string') return e.constraint;
  const message = String(e?.message);
  return /for key '([^']+)'$/.exec(message)?.[1] ?? /UNIQUE constraint failed: (.+)$/.exec(message)?.[1] ?? '';
}

/** What the refusals of one statement mean. */
export interface Refusals {
  /** The unique rule it may break; a function picks one by the refused key where it may break two. */
  unique?: UniqueRule | ((refusedKey: string) => UniqueRule);
  /** An insert or update: a row it refers to is gone. */
  missing?: Reference;
  /** A delete: other rows still refer to this one. */
  referenced?: Reference;
}

export async function withRefusals<T>(refusals: Refusals, work: () => PromiseLike<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const { unique, missing, referenced } = refusals;
    if (unique && isUniqueViolation(err))
      throw new ConflictError(typeof unique === 'function' ? unique(refusedKeyOf(err)) : unique, { cause: err });
    if (isForeignKeyViolation(err)) {
      if (missing) throw new ReferenceMissingError(missing, { cause: err });
      if (referenced) throw new StillReferencedError(referenced, { cause: err });
    }
    throw err;
  }
}
