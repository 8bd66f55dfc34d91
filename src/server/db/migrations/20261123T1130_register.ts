import { type Kysely, sql } from 'kysely';

/**
 * The RPPS register: persons (état civil, contact, lifelong RPPS number), their situations
 * d'exercice, their history and the events other modules consume.
 *
 * - `rpps_payload_seq` hands out the 10-digit payload of each RPPS number (the 11th digit is the
 *   Luhn key). A sequence is never rolled back, so a number is never handed out twice, even when
 *   the registering transaction fails; `rpps_number` is the ledger of every number ever
 *   allocated and is never deleted from, so a number stays taken even if its person is removed.
 *   The sequence starts at the default reserved range (RPPS_RANGE_START, see docs/register.md);
 *   the allocator moves it forward when the configured range starts later.
 * - `person.identity_key` (birth date + normalized birth name + first names + sexe) is unique:
 *   an exact identity can never be registered twice, even by two concurrent submissions.
 *   The other normalized keys feed the duplicate search (candidates share the birth date, then
 *   names are compared with `levenshtein` from fuzzystrmatch and `similarity` from pg_trgm).
 * - Email and mobile are unique among persons (guide ANS : coordonnées personnelles).
 * - `person_version` keeps every state of a person (the register's own history, as protected as
 *   the person row); `audit_event` records who did what on which entity with before/after values
 *   of situations only: état civil and contact never leave the person tables.
 * - `register_event` is an outbox of domain events (registration.created, situation.ended…)
 *   for the directory publication and e-CPS modules, written in the business transaction.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Trusted extension (PostgreSQL ≥ 13): the database owner may create it without superuser.
  await sql`CREATE EXTENSION IF NOT EXISTS fuzzystrmatch`.execute(db);

  await sql`CREATE SEQUENCE rpps_payload_seq AS bigint MINVALUE 0 MAXVALUE 9999999999 START WITH 1090000000 NO CYCLE`.execute(db);

  await db.schema
    .createTable('rpps_number')
    .addColumn('rpps', 'char(11)', (c) => c.primaryKey())
    .addColumn('allocated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('person')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('rpps', 'char(11)', (c) => c.notNull().unique().references('rpps_number.rpps'))
    .addColumn('civilite', 'text', (c) => c.notNull())
    .addColumn('sexe', 'text', (c) => c.notNull())
    .addColumn('birth_name', 'text', (c) => c.notNull())
    .addColumn('usage_name', 'text')
    .addColumn('first_names', sql`text[]`, (c) => c.notNull())
    .addColumn('birth_date', 'date', (c) => c.notNull())
    .addColumn('birth_country_code', 'text', (c) => c.notNull())
    .addColumn('birth_commune_code', 'text')
    .addColumn('birth_place', 'text')
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('mobile', 'text', (c) => c.notNull().unique())
    .addColumn('identity_status', 'text', (c) =>
      c.notNull().defaultTo('to_verify').check(sql`identity_status in ('to_verify', 'verified', 'to_review', 'rejected')`),
    )
    .addColumn('birth_name_key', 'text', (c) => c.notNull())
    .addColumn('usage_name_key', 'text')
    .addColumn('first_names_key', 'text', (c) => c.notNull())
    .addColumn('identity_key', 'text', (c) => c.notNull().unique())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('person_birth_date_idx').on('person').column('birth_date').execute();
  await db.schema.createIndex('person_identity_status_idx').on('person').column('identity_status').execute();

  await db.schema
    .createTable('situation')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('person.id'))
    // No foreign key to structure: FINESS imports own that table (closures, re-imports).
    .addColumn('eg_finess', 'char(9)', (c) => c.notNull())
    .addColumn('profession_code', 'text', (c) => c.notNull())
    .addColumn('role_code', 'text', (c) => c.notNull())
    .addColumn('mode_code', 'text', (c) => c.notNull())
    .addColumn('exercise_last_name', 'text', (c) => c.notNull())
    .addColumn('exercise_first_name', 'text', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('start_date', 'date', (c) => c.notNull())
    .addColumn('end_date', 'date')
    .addColumn('end_reason', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active').check(sql`status in ('active', 'ended', 'deleted')`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('situation_dates_check', sql`end_date is null or end_date >= start_date`)
    .execute();
  await db.schema.createIndex('situation_person_idx').on('situation').column('person_id').execute();
  await db.schema.createIndex('situation_eg_status_idx').on('situation').columns(['eg_finess', 'status']).execute();
  await sql`CREATE INDEX situation_search_text_trgm ON situation USING gin (search_text gin_trgm_ops)`.execute(db);
  // Scheduled ends: the daily job looks for active situations whose end date has come.
  await sql`CREATE INDEX situation_scheduled_end_idx ON situation (end_date) WHERE status = 'active' AND end_date IS NOT NULL`.execute(db);
  // One active situation per person, EG and profession: a double submission cannot create two.
  await sql`CREATE UNIQUE INDEX situation_active_key ON situation (person_id, eg_finess, profession_code) WHERE status = 'active'`.execute(db);

  await db.schema
    .createTable('person_version')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('person.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .addUniqueConstraint('person_version_key', ['person_id', 'version'])
    .execute();

  await db.schema
    .createTable('audit_event')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .execute();
  await db.schema.createIndex('audit_event_entity_idx').on('audit_event').columns(['entity_type', 'entity_id']).execute();
  await db.schema.createIndex('audit_event_actor_idx').on('audit_event').columns(['actor_id', 'at']).execute();

  await db.schema
    .createTable('register_event')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('person_id', 'uuid', (c) => c.notNull())
    .addColumn('situation_id', 'uuid')
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('published_at', 'timestamptz')
    .execute();
  await sql`CREATE INDEX register_event_unpublished_idx ON register_event (id) WHERE published_at IS NULL`.execute(db);

  // A registration submitted twice (double click, two tabs) with the same key yields one person.
  await db.schema
    .createTable('registration_submission')
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('person_id', 'uuid', (c) => c.references('person.id'))
    .addColumn('situation_id', 'uuid')
    .addColumn('rpps', 'char(11)')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('registration_submission_pkey', ['actor_id', 'idempotency_key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['registration_submission', 'register_event', 'audit_event', 'person_version', 'situation', 'person', 'rpps_number']) {
    await db.schema.dropTable(table).execute();
  }
  await sql`DROP SEQUENCE rpps_payload_seq`.execute(db);
}
