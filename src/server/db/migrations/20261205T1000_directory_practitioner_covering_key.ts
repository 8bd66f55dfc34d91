import { sql, type Kysely } from 'kysely';

/**
 * The primary key of `directory_practitioner` carries the columns a FHIR read by id returns
 * (`INCLUDE`), so the read's statement is an index-only scan: one page a professional instead of
 * the key's page and the table's (src/server/modules/fhir/queries.ts, `practitionersById`; 10 ids:
 * 37 pages → 31, execution ~100 → ~55 µs at 3 M; docs/performance.md, "Sixth round"). No foreign
 * key references this table, so the key is swapped in place: the covering index is built, then
 * becomes the primary key (the old one is dropped in the same statement).
 * At 3 M professionals the index takes ~230 MB and ~6 s to build; updates of these columns were
 * not HOT already (`last_updated` has an index of its own).
 */
const included = sql.raw('rpps, family, given, active, withdrawn, version_id, last_updated');

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create unique index directory_practitioner_read on directory_practitioner (id) include (${included})`.execute(db);
  await sql`
    alter table directory_practitioner
      drop constraint directory_practitioner_pkey,
      add constraint directory_practitioner_pkey primary key using index directory_practitioner_read
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`create unique index directory_practitioner_plain_key on directory_practitioner (id)`.execute(db);
  await sql`
    alter table directory_practitioner
      drop constraint directory_practitioner_pkey,
      add constraint directory_practitioner_pkey primary key using index directory_practitioner_plain_key
  `.execute(db);
}
