import { type Kysely, sql } from 'kysely';

/**
 * Reference data the whole product reads: ANS nomenclatures (professions, roles, modes
 * d'exercice, civilités, sexes, countries, DMP document types) and the COG communes.
 *
 * Every code keeps its validity window: a deprecated code stays readable on old records but
 * cannot be chosen for a new one (`valid_to` in the past). `source` records where each list
 * comes from, so an auditor can trace any code back to the official table.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);

  await db.schema
    .createTable('nomenclature')
    .addColumn('kind', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('code_system', 'text')
    .addColumn('version', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('nomenclature_code')
    .addColumn('kind', 'text', (c) => c.notNull().references('nomenclature.kind'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('system', 'text')
    .addColumn('valid_from', 'date')
    .addColumn('valid_to', 'date')
    // Whether the RPPS+ forms may offer the code at all (e.g. TRE_R23 'L' libéral: readable, never selectable).
    .addColumn('selectable', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('extra', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addPrimaryKeyConstraint('nomenclature_code_pkey', ['kind', 'code'])
    .execute();

  // A COG code is not unique over time: a commune déléguée keeps the code of the former
  // commune, which may also be the code of the new commune nouvelle (chef-lieu).
  await db.schema
    .createTable('commune')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('insee_code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('search_name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('department_code', 'text')
    .addColumn('current_insee_code', 'text')
    .addColumn('postal_codes', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('valid_from', 'date')
    .addColumn('valid_to', 'date')
    .addUniqueConstraint('commune_code_kind_key', ['insee_code', 'kind'])
    .execute();
  await sql`CREATE INDEX commune_search_name_trgm ON commune USING gin (search_name gin_trgm_ops)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('commune').execute();
  await db.schema.dropTable('nomenclature_code').execute();
  await db.schema.dropTable('nomenclature').execute();
}
