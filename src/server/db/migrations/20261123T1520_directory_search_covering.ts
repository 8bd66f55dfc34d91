import { type Kysely, sql } from 'kysely';

/**
 * The name-ordered index of the search page (migration 20261123T1500) made covering: it also holds
 * the searched name and the listed columns, so a page is an index-only scan that checks the name
 * condition in the index and stops after the page, instead of one table read per name walked past
 * (at 1 million, "lefev": 76 → 3 ms; "nguy": 31 → 4 ms). Stays small: active rows only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX directory_practitioner_active_order`.execute(db);
  await sql`CREATE INDEX directory_practitioner_active_order ON directory_practitioner (family_search, given_search, id)
    INCLUDE (name_search, rpps, family, given) WHERE active`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX directory_practitioner_active_order`.execute(db);
  await sql`CREATE INDEX directory_practitioner_active_order ON directory_practitioner (family_search, given_search, id) WHERE active`.execute(db);
}
