import { type Kysely, sql } from 'kysely';

/**
 * The role → DMP document types matrix (seeds 000 and 004) as versioned reference data:
 * a decision uses the version in force on the date asked, so publishing a new matrix with a
 * future effective date changes nothing before that date.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('access_matrix')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('effective_from', 'date', (c) => c.notNull().unique())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('published_by', 'text', (c) => c.notNull())
    .addColumn('published_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('access_matrix_entry')
    .addColumn('matrix_id', 'integer', (c) => c.notNull().references('access_matrix.id').onDelete('cascade'))
    .addColumn('role_code', 'text', (c) => c.notNull())
    .addColumn('document_type', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('access_matrix_entry_pkey', ['matrix_id', 'role_code', 'document_type'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('access_matrix_entry').execute();
  await db.schema.dropTable('access_matrix').execute();
}
