import { type Kysely, sql } from 'kysely';
import type { DB } from './schema.ts';

/** camelCase → snake_case, as Kysely's CamelCasePlugin maps the schema's names. */
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

const typesOf = new Map<string, Promise<Map<string, string>>>();

/** A table's columns and their SQL types (`character varying(9)`, `jsonb`, …), read once per process. */
function columnTypes(db: Kysely<DB>, table: string): Promise<Map<string, string>> {
  let types = typesOf.get(table);
  if (!types) {
    types = sql<{ name: string; type: string }>`SELECT attname AS name, format_type(atttypid, atttypmod) AS type
      FROM pg_attribute WHERE attrelid = ${table}::regclass AND attnum > 0 AND NOT attisdropped`
      .execute(db)
      .then((r) => new Map(r.rows.map((c) => [c.name, c.type])));
    types.catch(() => typesOf.delete(table));
    typesOf.set(table, types);
  }
  return types;
}

/** A text array as PostgreSQL's literal (`{"a","b"}`), for an array column (unnest would flatten it). */
const arrayLiteral = (items: readonly unknown[]) =>
  `{${items.map((item) => (item === null || item === undefined ? 'NULL' : `"${String(item).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)).join(',')}}`;

/** A value as an array element: dates in ISO form, arrays as their literal, JSON objects as their text. */
function element(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return arrayLiteral(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

/**
 * Inserts many rows with one statement whose parameters are one array per column
 * (`INSERT … SELECT * FROM unnest($1::text[], $2::date[], …)`): a bulk import's set of 1,000 rows
 * costs as many parameters as the table has columns, where a multi-row VALUES has one per cell
 * (tens of thousands to send, parse and plan). Rows are the objects Kysely's `values` takes
 * (camelCase keys, JSON columns as text), all with the same keys; a column left out takes its
 * default. `onConflictDoNothing`: the unique columns whose conflict skips the row. Returns the
 * `returning` columns (camelCase; `*` for all) of the rows inserted, in no particular order.
 */
export async function insertMany<R extends Record<string, unknown>>(
  db: Kysely<DB>,
  table: keyof DB & string,
  rows: readonly Record<string, unknown>[],
  returning: readonly string[] = [],
  options: { onConflictDoNothing?: readonly string[] } = {},
): Promise<R[]> {
  if (rows.length === 0) return [];
  const name = snake(table);
  const types = await columnTypes(db, name);
  const keys = Object.keys(rows[0]!);
  const columns = keys.map((key) => {
    const column = snake(key);
    const type = types.get(column);
    if (!type) throw new Error(`insertMany: no column ${column} in ${name}`);
    // unnest flattens a two-dimensional array: an array column travels as its text literal.
    return { key, column, type, array: type.endsWith('[]') };
  });
  for (const row of rows) {
    if (Object.keys(row).length !== keys.length || keys.some((k) => !(k in row))) throw new Error(`insertMany: the rows of ${name} do not all have the same columns`);
  }
  const arrays = columns.map(({ key, type, array }) => sql`${rows.map((r) => element(r[key]))}::${sql.raw(array ? 'text' : type)}[]`);
  const selected = columns.map(({ column, type, array }) => (array ? sql`${sql.id('u', column)}::${sql.raw(type)}` : sql.id('u', column)));
  const conflict = options.onConflictDoNothing;
  const conflictSql = conflict ? sql` ON CONFLICT (${sql.join(conflict.map((c) => sql.id(snake(c))))}) DO NOTHING` : sql``;
  const returningSql = returning.length > 0 ? sql` RETURNING ${sql.join(returning.map((c) => (c === '*' ? sql`*` : sql.id(snake(c)))))}` : sql``;
  const result = await sql<Record<string, unknown>>`INSERT INTO ${sql.id(name)} (${sql.join(columns.map((c) => sql.id(c.column)))})
    SELECT ${sql.join(selected)} FROM unnest(${sql.join(arrays)}) AS u(${sql.join(columns.map((c) => sql.id(c.column)))})${conflictSql}${returningSql}`.execute(db);
  // The CamelCasePlugin maps the result's names back already; mapped again in case it is absent.
  return result.rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [camel(k), v])) as R);
}
