import { type Kysely, sql } from 'kysely';

/**
 * Name search of the public directory at a million professionals (issue 8, acceptance 6; measured
 * with `npm run bench -- directory`, docs/directory-and-fhir.md "Benchmark").
 *
 * A word-prefix search ("mar" finds MARTIN and ANNE-MARIE) was `col like 'mar%' or col like
 * '% mar%'`: two scans of the trigram index, whose posting lists for a common 3-letter prefix hold
 * a sixth of the table. It is now one condition on the name with a leading space,
 * `(' ' || col) like '% mar%'` (same rows), served by one trigram index on that expression.
 * `:contains` (`like '%mar%'`) uses the same index. Family and given names get theirs too: their
 * word-prefix search scanned a whole btree.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const column of ['name_search', 'family_search', 'given_search']) {
    const index = `directory_practitioner_${column.replace('_search', '')}_words_trgm`;
    await sql`CREATE INDEX ${sql.id(index)} ON directory_practitioner USING gin ((' ' || ${sql.ref(column)}) gin_trgm_ops)`.execute(db);
  }
  await sql`DROP INDEX directory_practitioner_name_trgm`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX directory_practitioner_name_trgm ON directory_practitioner USING gin (name_search gin_trgm_ops)`.execute(db);
  for (const column of ['name', 'family', 'given']) await sql`DROP INDEX ${sql.id(`directory_practitioner_${column}_words_trgm`)}`.execute(db);
}
