import { type Kysely, sql } from 'kysely';

/**
 * The public directory read model (issue 8): what the Annuaire Santé publishes of a
 * professional, copied out of the register by the publication job, so public reads (search page,
 * FHIR API, change feed) never touch the personal-data tables (person: état civil, contact).
 *
 * - `directory_practitioner`: one row per published professional (RPPS), exercise name only.
 *   `withdrawn` = identity rejected: only the identifiers remain, as the ANS server returns deleted
 *   resources (active=false, identifiers only).
 * - `directory_practitioner_role`: one row per situation d'exercice ever published; ended
 *   situations stay as inactive, deleted ones are withdrawn.
 * - `version_id`/`last_updated` feed FHIR `meta` and ETags; `last_updated` also `_lastUpdated`.
 * - `directory_change`: the change feed. `seq` is written only by the publication, which holds an
 *   advisory lock until it commits, so sequence order is commit order and a reader paging with
 *   `seq > cursor` never skips a change committed later with a smaller number.
 * - Name columns `*_search` hold `toSearchText` forms (accent/case-insensitive) with trigram and
 *   prefix (text_pattern_ops) indexes: name search stays fast at 3 million professionals.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('directory_practitioner')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rpps', 'char(11)', (c) => c.notNull().unique())
    .addColumn('family', 'text')
    .addColumn('given', 'text')
    .addColumn('family_search', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('given_search', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('name_search', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('active', 'boolean', (c) => c.notNull())
    .addColumn('withdrawn', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('version_id', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('last_updated', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`CREATE INDEX directory_practitioner_name_trgm ON directory_practitioner USING gin (name_search gin_trgm_ops)`.execute(db);
  await sql`CREATE INDEX directory_practitioner_family_prefix ON directory_practitioner (family_search text_pattern_ops)`.execute(db);
  await sql`CREATE INDEX directory_practitioner_given_prefix ON directory_practitioner (given_search text_pattern_ops)`.execute(db);
  await db.schema.createIndex('directory_practitioner_last_updated_idx').on('directory_practitioner').column('last_updated').execute();

  await db.schema
    .createTable('directory_practitioner_role')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('practitioner_id', 'text', (c) => c.notNull())
    .addColumn('rpps', 'char(11)', (c) => c.notNull())
    .addColumn('eg_finess', 'char(9)')
    .addColumn('ej_finess', 'char(9)')
    .addColumn('eg_name', 'text')
    .addColumn('department_code', 'text')
    .addColumn('profession_code', 'text')
    .addColumn('profession_label', 'text')
    .addColumn('role_code', 'text')
    .addColumn('role_label', 'text')
    .addColumn('mode_code', 'text')
    .addColumn('start_date', 'date')
    .addColumn('end_date', 'date')
    .addColumn('active', 'boolean', (c) => c.notNull())
    .addColumn('withdrawn', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('version_id', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('last_updated', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('directory_role_practitioner_idx').on('directory_practitioner_role').column('practitioner_id').execute();
  await db.schema.createIndex('directory_role_eg_idx').on('directory_practitioner_role').columns(['eg_finess', 'active']).execute();
  await db.schema.createIndex('directory_role_profession_idx').on('directory_practitioner_role').columns(['profession_code', 'active']).execute();
  await db.schema.createIndex('directory_role_role_idx').on('directory_practitioner_role').columns(['role_code', 'active']).execute();
  await db.schema.createIndex('directory_role_department_idx').on('directory_practitioner_role').columns(['department_code', 'active']).execute();
  await db.schema.createIndex('directory_role_last_updated_idx').on('directory_practitioner_role').column('last_updated').execute();

  await db.schema
    .createTable('directory_change')
    .addColumn('seq', 'bigserial', (c) => c.primaryKey())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('rpps', 'char(11)', (c) => c.notNull())
    .addColumn('change', 'text', (c) => c.notNull().check(sql`change in ('created', 'updated', 'withdrawn')`))
    .addColumn('version_id', 'integer', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['directory_change', 'directory_practitioner_role', 'directory_practitioner']) {
    await db.schema.dropTable(table).execute();
  }
}
