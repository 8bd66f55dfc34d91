import { sql, type Kysely } from 'kysely';

/**
 * The FHIR name search of a phrase (`name=Le Gall`: several words, the last a prefix) counts and
 * pages from the word index: the entries of one word of the phrase, the phrase checked on the
 * entry's copy of the name. FHIR searches every status, so the copy must be in an index over all
 * entries (`directory_name_word_name_order` holds the active ones only): this index replaces
 * `directory_name_word_prefix` (same key, `(word, practitioner_id)`) and carries the name copy
 * too, so the check is index-only (docs/performance.md "Third round").
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX directory_name_word_phrase ON directory_name_word (word, practitioner_id) INCLUDE (part, active, family_search, given_search)`.execute(db);
  await sql`DROP INDEX directory_name_word_prefix`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX directory_name_word_prefix ON directory_name_word (word, practitioner_id) INCLUDE (part, active)`.execute(db);
  await sql`DROP INDEX directory_name_word_phrase`.execute(db);
}
