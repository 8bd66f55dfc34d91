import { type Kysely, sql } from 'kysely';

/**
 * Bulk import of staff from a CSV file (issue 10).
 *
 * - `bulk_import`: one committed file, its EJ, who committed it and its counts. A dry run writes
 *   nothing: only a commit creates this row.
 * - `bulk_import_row`: one row of the file, keyed by (import, row number) so a row exists once
 *   whatever happens. A valid row keeps its input (personal data) only until it is imported:
 *   the registering transaction sets `status = 'imported'`, the RPPS number and clears `input`
 *   together, so a crash either leaves the row to do or done, never half done.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('bulk_import')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('ej_finess', 'char(9)', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('eg_scope', sql`text[]`, (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('committing', 'done')`))
    .addColumn('row_count', 'integer', (c) => c.notNull())
    .addColumn('invalid_count', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('bulk_import_ej_idx').on('bulk_import').columns(['ej_finess', 'created_at']).execute();
  await db.schema.createIndex('bulk_import_status_idx').on('bulk_import').column('status').execute();

  await db.schema
    .createTable('bulk_import_row')
    .addColumn('import_id', 'uuid', (c) => c.notNull().references('bulk_import.id').onDelete('cascade'))
    .addColumn('row_number', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'invalid', 'imported', 'failed')`))
    .addColumn('input', 'jsonb')
    .addColumn('errors', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('rpps', 'char(11)')
    .addColumn('processed_at', 'timestamptz')
    .addPrimaryKeyConstraint('bulk_import_row_pkey', ['import_id', 'row_number'])
    .execute();
  await db.schema.createIndex('bulk_import_row_status_idx').on('bulk_import_row').columns(['import_id', 'status', 'row_number']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('bulk_import_row').execute();
  await db.schema.dropTable('bulk_import').execute();
}
