import { sql } from 'kysely';
import type { Database } from '../../src/server/db/database.ts';

/**
 * Every business table of the database, as one digest: equal digests before and after a refused
 * call prove it changed nothing (rows added, updated or deleted, audit entries, queued mails).
 * Tables are listed at run time, so a new table is covered without editing this file. Left out:
 * sign-in state (sessions, an API key's last use), reference data loaded at start-up and the
 * directory's derived copies (rebuilt by jobs, never by a request).
 */
const leftOut = /^(session|auth_transaction|kysely_migration.*|commune|nomenclature.*|structure.*|directory_.*)$/;
const columns: Record<string, string> = {
  // Everything but its last use: a refused call must not rebind a key to another EJ either.
  api_key: 'row(t.id, t.name, t.scopes, t.ej_finess, t.revoked_at, t.expires_at)::text',
  // The content is fixed once stored: its id and size say whether a file came or went.
  stored_file: 'row(t.id, t.size_bytes)::text',
};

const statements = new WeakMap<Database, Promise<string>>();

async function digestSql(db: Database) {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db);
  return rows
    .filter((r) => !leftOut.test(r.name))
    .map(({ name }) => {
      const expr = columns[name] ?? 't::text';
      return `'${name}:' || coalesce((select md5(string_agg(${expr}, ',' order by ${expr})) from "${name}" t), '')`;
    })
    .join(` || '|' || `);
}

export async function fingerprint(db: Database): Promise<string> {
  if (!statements.has(db)) statements.set(db, digestSql(db));
  const { rows } = await sql<{ digest: string }>`select ${sql.raw(await statements.get(db)!)} as digest`.execute(db);
  return rows[0]!.digest;
}
