import { type Kysely, sql } from 'kysely';

/**
 * Duplicate detection looks at the dates one typing slip away from the birth date (a score of
 * dates, issue 16) but only for the same birth or usage name: these two indexes reach those
 * persons directly instead of reading everyone born on the score of dates.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('person_birth_name_key_birth_date_idx').on('person').columns(['birth_name_key', 'birth_date']).execute();
  await sql`CREATE INDEX person_usage_name_key_birth_date_idx ON person (usage_name_key, birth_date) WHERE usage_name_key IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('person_usage_name_key_birth_date_idx').execute();
  await db.schema.dropIndex('person_birth_name_key_birth_date_idx').execute();
}
