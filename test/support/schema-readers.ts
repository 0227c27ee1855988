// Reads the plugin's tables back from a live database, in each database's own words (PRAGMA,
// pg_catalog, information_schema), for the schema snapshot. Nothing here is normalized except
// the order: tables and indexes by name, columns as the table has them.
import type { Knex } from 'knex';
import { dialectOf } from '../../src/store/dialect';

interface ColumnInfo {
  name: string;
  type: string;
  nullable: boolean;
  default: string | null;
}

interface IndexInfo {
  name: string;
  columns: string;
  unique: boolean;
}

interface ForeignKeyInfo {
  /** SQLite does not report a foreign key's name. */
  name: string | null;
  columns: string;
  references: string;
  onDelete: string;
  onUpdate: string;
}

export interface TableInfo {
  name: string;
  /** What a table carries beyond its columns: MariaDB's engine and collation. */
  options: string | null;
  columns: ColumnInfo[];
  primaryKey: string;
  indexes: IndexInfo[];
  foreignKeys: ForeignKeyInfo[];
}

const byName = <T extends { name: string | null }>(a: T, b: T): number => String(a.name).localeCompare(String(b.name));

/** Every table whose name starts with `prefix`, except those in `except` (knex's bookkeeping). */
export async function readTables(knex: Knex, prefix: string, except: string[]): Promise<TableInfo[]> {
  const read = { sqlite: readSqlite, postgres: readPostgres, mysql: readMysql }[dialectOf(knex)];
  const tables = await read(knex, (name) => name.startsWith(prefix) && !except.includes(name));
  return tables.sort(byName);
}

type Wanted = (table: string) => boolean;

async function readSqlite(knex: Knex, wanted: Wanted): Promise<TableInfo[]> {
  const tables = (await knex.raw(`select name, sql from sqlite_master where type = 'table'`)) as Array<{ name: string; sql: string }>;
  const result: TableInfo[] = [];
  for (const { name, sql } of tables.filter((t) => wanted(t.name))) {
    const columns = (await knex.raw('select * from pragma_table_info(?)', [name])) as Array<{
      name: string;
      type: string;
      notnull: number;
      dflt_value: string | null;
      pk: number;
    }>;
    const autoincrement = /\bautoincrement\b/i.test(sql);
    const indexes: IndexInfo[] = [];
    for (const index of (await knex.raw('select * from pragma_index_list(?)', [name])) as Array<{
      name: string;
      unique: number;
      origin: string;
    }>) {
      if (index.origin === 'pk') continue;
      const parts = (await knex.raw('select name from pragma_index_info(?) order by seqno', [index.name])) as Array<{ name: string }>;
      indexes.push({ name: index.name, columns: parts.map((p) => p.name).join(', '), unique: index.unique === 1 });
    }
    const keyRows = (await knex.raw('select * from pragma_foreign_key_list(?) order by id, seq', [name])) as Array<{
      id: number;
      table: string;
      from: string;
      to: string;
      on_update: string;
      on_delete: string;
    }>;
    const foreignKeys = [...new Set(keyRows.map((k) => k.id))].map((id): ForeignKeyInfo => {
      const parts = keyRows.filter((k) => k.id === id);
      return {
        name: null,
        columns: parts.map((p) => p.from).join(', '),
        references: `${parts[0].table} (${parts.map((p) => p.to).join(', ')})`,
        onDelete: parts[0].on_delete,
        onUpdate: parts[0].on_update,
      };
    });
    result.push({
      name,
      options: null,
      columns: columns.map((c) => ({
        name: c.name,
        type: c.pk && autoincrement ? `${c.type} autoincrement` : c.type,
        nullable: c.notnull === 0 && c.pk === 0,
        default: c.dflt_value,
      })),
      primaryKey: columns
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name)
        .join(', '),
      indexes: indexes.sort(byName),
      foreignKeys: foreignKeys.sort((a, b) => a.columns.localeCompare(b.columns)),
    });
  }
  return result;
}

const PG_ACTIONS: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

async function readPostgres(knex: Knex, wanted: Wanted): Promise<TableInfo[]> {
  const tables = (
    await knex.raw(
      `select c.oid, c.relname as name from pg_class c where c.relkind = 'r' and c.relnamespace = current_schema()::regnamespace`,
    )
  ).rows as Array<{ oid: number; name: string }>;
  const result: TableInfo[] = [];
  for (const { oid, name } of tables.filter((t) => wanted(t.name))) {
    const columns = (
      await knex.raw(
        `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type, not a.attnotnull as nullable, pg_get_expr(d.adbin, d.adrelid) as default
       from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
       where a.attrelid = ? and a.attnum > 0 and not a.attisdropped order by a.attnum`,
        [oid],
      )
    ).rows as ColumnInfo[];
    const names = (keys: string, table: string) =>
      `(select string_agg(a.attname, ', ' order by k.ord) from unnest(${keys}) with ordinality k(num, ord) join pg_attribute a on a.attnum = k.num and a.attrelid = ${table})`;
    const constraints = (
      await knex.raw(
        `select c.conname as name, c.contype as kind, c.confdeltype as on_delete, c.confupdtype as on_update, f.relname as ref_table,
              ${names('c.conkey', 'c.conrelid')} as columns, ${names('c.confkey', 'c.confrelid')} as ref_columns
       from pg_constraint c left join pg_class f on f.oid = c.confrelid where c.conrelid = ?`,
        [oid],
      )
    ).rows as Array<{
      name: string;
      kind: string;
      on_delete: string;
      on_update: string;
      ref_table: string;
      columns: string;
      ref_columns: string;
    }>;
    const indexes = (
      await knex.raw(
        `select i.relname as name, x.indisunique as unique, x.indisprimary as primary,
              (select string_agg(pg_get_indexdef(x.indexrelid, k, true), ', ' order by k) from generate_series(1, x.indnkeyatts) k) as columns,
              exists (select 1 from pg_constraint c where c.conindid = x.indexrelid) as constraint
       from pg_index x join pg_class i on i.oid = x.indexrelid where x.indrelid = ?`,
        [oid],
      )
    ).rows as Array<{ name: string; unique: boolean; primary: boolean; columns: string; constraint: boolean }>;
    result.push({
      name,
      options: null,
      columns,
      primaryKey: constraints.find((c) => c.kind === 'p')?.columns ?? '',
      indexes: indexes
        .filter((i) => !i.primary)
        // A unique constraint and a unique index behave alike, but they are created (and dropped) differently.
        .map((i) => ({ name: i.constraint ? `${i.name} (constraint)` : i.name, columns: i.columns, unique: i.unique }))
        .sort(byName),
      foreignKeys: constraints
        .filter((c) => c.kind === 'f')
        .map((c) => ({
          name: c.name,
          columns: c.columns,
          references: `${c.ref_table} (${c.ref_columns})`,
          onDelete: PG_ACTIONS[c.on_delete],
          onUpdate: PG_ACTIONS[c.on_update],
        }))
        .sort(byName),
    });
  }
  return result;
}

async function readMysql(knex: Knex, wanted: Wanted): Promise<TableInfo[]> {
  const rows = async <T>(sql: string, bindings: unknown[] = []): Promise<T[]> =>
    (await knex.raw(sql, bindings as Knex.RawBinding[]))[0] as T[];
  const tables = await rows<{ name: string; engine: string; collation: string }>(
    `select table_name as name, engine, table_collation as collation from information_schema.tables where table_schema = database() and table_type = 'BASE TABLE'`,
  );
  const result: TableInfo[] = [];
  for (const table of tables.filter((t) => wanted(t.name))) {
    const columns = await rows<{
      name: string;
      type: string;
      nullable: string;
      default: string | null;
      extra: string;
      collation: string | null;
    }>(
      `select column_name as name, column_type as type, is_nullable as nullable, column_default as \`default\`, extra, collation_name as collation
       from information_schema.columns where table_schema = database() and table_name = ? order by ordinal_position`,
      [table.name],
    );
    const indexRows = await rows<{ name: string; non_unique: number; column_name: string; sub_part: number | null }>(
      `select index_name as name, non_unique, column_name, sub_part from information_schema.statistics
       where table_schema = database() and table_name = ? order by index_name, seq_in_index`,
      [table.name],
    );
    const keyRows = await rows<{
      name: string;
      column_name: string;
      ref_table: string;
      ref_column: string;
      on_delete: string;
      on_update: string;
    }>(
      `select k.constraint_name as name, k.column_name, k.referenced_table_name as ref_table, k.referenced_column_name as ref_column,
              r.delete_rule as on_delete, r.update_rule as on_update
       from information_schema.key_column_usage k
       join information_schema.referential_constraints r on r.constraint_schema = k.constraint_schema and r.constraint_name = k.constraint_name and r.table_name = k.table_name
       where k.table_schema = database() and k.table_name = ? order by k.constraint_name, k.ordinal_position`,
      [table.name],
    );
    const columnsOf = <T extends { name: string }>(list: T[], name: string, part: (row: T) => string) =>
      list
        .filter((r) => r.name === name)
        .map(part)
        .join(', ');
    const indexNames = [...new Set(indexRows.map((r) => r.name))];
    result.push({
      name: table.name,
      options: `engine ${table.engine}, collation ${table.collation}`,
      columns: columns.map((c) => ({
        name: c.name,
        type: [c.type, c.extra, c.collation && c.collation !== table.collation ? `collate ${c.collation}` : ''].filter(Boolean).join(' '),
        nullable: c.nullable === 'YES',
        default: c.default,
      })),
      primaryKey: columnsOf(indexRows, 'PRIMARY', (r) => r.column_name),
      indexes: indexNames
        .filter((n) => n !== 'PRIMARY')
        .map((n) => ({
          name: n,
          columns: columnsOf(indexRows, n, (r) => (r.sub_part ? `${r.column_name}(${r.sub_part})` : r.column_name)),
          unique: Number(indexRows.find((r) => r.name === n)?.non_unique) === 0,
        }))
        .sort(byName),
      foreignKeys: [...new Set(keyRows.map((r) => r.name))]
        .map((n) => {
          const first = keyRows.find((r) => r.name === n)!;
          return {
            name: n,
            columns: columnsOf(keyRows, n, (r) => r.column_name),
            references: `${first.ref_table} (${columnsOf(keyRows, n, (r) => r.ref_column)})`,
            onDelete: first.on_delete,
            onUpdate: first.on_update,
          };
        })
        .sort(byName),
    });
  }
  return result;
}
