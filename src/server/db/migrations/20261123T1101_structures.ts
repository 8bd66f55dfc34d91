import { type Kysely, sql } from 'kysely';

/**
 * FINESS structures: EJ (entité juridique) and EG (établissement géographique) in one table,
 * linked by `ej_finess`. Imports are idempotent (upsert on the FINESS number) and every value
 * an import changes is kept in `structure_history` with its before/after values, as FINESS+ does.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('structure')
    .addColumn('finess', 'char(9)', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('EJ', 'EG')`))
    // No foreign key: EG rows may arrive before their EJ (separate FINESS files).
    .addColumn('ej_finess', 'char(9)')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('long_name', 'text')
    .addColumn('category_code', 'text')
    .addColumn('category_label', 'text')
    .addColumn('legal_status_code', 'text')
    .addColumn('legal_status_label', 'text')
    .addColumn('siret', 'text')
    .addColumn('siren', 'text')
    .addColumn('address_line', 'text')
    .addColumn('postal_code', 'text')
    .addColumn('city', 'text')
    .addColumn('insee_code', 'text')
    .addColumn('department_code', 'text')
    .addColumn('phone', 'text')
    .addColumn('opened_on', 'date')
    .addColumn('closed_on', 'date')
    .addColumn('finess_updated_on', 'date')
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('structure_ej_finess_idx').on('structure').column('ej_finess').execute();
  await db.schema.createIndex('structure_department_idx').on('structure').column('department_code').execute();
  await sql`CREATE INDEX structure_search_text_trgm ON structure USING gin (search_text gin_trgm_ops)`.execute(db);

  await db.schema
    .createTable('structure_history')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('finess', 'char(9)', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('structure_history_finess_idx').on('structure_history').column('finess').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('structure_history').execute();
  await db.schema.dropTable('structure').execute();
}
