import { type Kysely, sql } from 'kysely';

/**
 * The duplicate check reads everyone born the same day (~170 persons at 3 M, as many table pages)
 * to compare names. This index carries the names it compares, so that part is an index-only scan
 * and only the candidates' rows are read (issue 18, docs/performance.md). It leads with the
 * birth date like `person_birth_date_idx`, which it replaces: no more index to keep per insert.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS person_duplicate_probe_idx ON person (birth_date)
              INCLUDE (birth_name_key, usage_name_key, first_names_key, birth_name, usage_name, id)`.execute(db);
  await db.schema.dropIndex('person_birth_date_idx').ifExists().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('person_birth_date_idx').ifNotExists().on('person').column('birth_date').execute();
  await db.schema.dropIndex('person_duplicate_probe_idx').ifExists().execute();
}
