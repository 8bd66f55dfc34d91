import { type Kysely, sql } from 'kysely';

/**
 * The registration wizard and identity verification (issue 6).
 *
 * - `registration_draft`: the 4-step form of a gestionnaire, saved step by step so it can be
 *   resumed. Each step's data is stored only once it passed the server-side rules of that step.
 *   It holds état civil and contact (personal data): the submission clears them in the
 *   registering transaction, and the daily register job deletes drafts left for 30 days.
 * - `person.identity_document_id`: the copy of the ID document (mandatory when the gestionnaire
 *   registers end to end), kept in `stored_file`.
 * - `person.identity_checked_*`: the last identity verification (verifier name and reason codes,
 *   never personal data) and the operator's decision after review.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('registration_draft')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('etat_civil', 'jsonb')
    .addColumn('contact', 'jsonb')
    .addColumn('situation', 'jsonb')
    .addColumn('declarations', 'jsonb')
    .addColumn('identity_document_id', 'uuid', (c) => c.references('stored_file.id'))
    .addColumn('rpps', 'char(11)')
    .addColumn('submitted_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('registration_draft_owner_idx').on('registration_draft').columns(['owner_id', 'updated_at']).execute();
  await db.schema.createIndex('registration_draft_updated_idx').on('registration_draft').column('updated_at').execute();

  await db.schema
    .alterTable('person')
    .addColumn('identity_document_id', 'uuid', (c) => c.references('stored_file.id'))
    .addColumn('identity_checked_at', 'timestamptz')
    .addColumn('identity_checked_by', 'text')
    .addColumn('identity_check_reasons', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('person')
    .dropColumn('identity_document_id')
    .dropColumn('identity_checked_at')
    .dropColumn('identity_checked_by')
    .dropColumn('identity_check_reasons')
    .execute();
  await db.schema.dropTable('registration_draft').execute();
}
