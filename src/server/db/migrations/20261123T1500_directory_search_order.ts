import { type Kysely, sql } from 'kysely';

/**
 * The search page lists active professionals by name (family, given, id). Without an index in that
 * order, a common 3-letter prefix ("mar": 10 % of a million) fetched and sorted every match for
 * each page of 20. This index lets PostgreSQL walk the names in order and stop after the page,
 * filtering on the name condition; for a rare prefix it still prefers the trigram index and a
 * small sort (docs/directory-and-fhir.md "Benchmark"). The existing `text_pattern_ops` indexes
 * cannot serve ORDER BY under a non-C collation.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX directory_practitioner_active_order ON directory_practitioner (family_search, given_search, id) WHERE active`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX directory_practitioner_active_order`.execute(db);
}
