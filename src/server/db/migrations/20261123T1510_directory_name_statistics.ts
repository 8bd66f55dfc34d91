import { type Kysely, sql } from 'kysely';

/**
 * Finer statistics on the searched name expressions (`' ' || *_search`, the trigram indexes of
 * migration 20261123T1450). With the default 100 histogram entries the planner guessed "pierre"
 * (3.6 % of a generated million) at 0.05 % and sorted 36,000 matches for a page of 50 (95 ms);
 * with 1,000 it walks the id or name order instead and stops after the page (under 1 ms). Also
 * what `_total=estimate` reports past 1,000 matches (docs/directory-and-fhir.md "Totals").
 */
const indexes = ['directory_practitioner_name_words_trgm', 'directory_practitioner_family_words_trgm', 'directory_practitioner_given_words_trgm'];

export async function up(db: Kysely<any>): Promise<void> {
  for (const index of indexes) await sql`ALTER INDEX ${sql.id(index)} ALTER COLUMN 1 SET STATISTICS 1000`.execute(db);
  await sql`ANALYZE directory_practitioner`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of indexes) await sql`ALTER INDEX ${sql.id(index)} ALTER COLUMN 1 SET STATISTICS -1`.execute(db);
}
