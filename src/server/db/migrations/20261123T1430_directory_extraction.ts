import { type Kysely, sql } from 'kysely';

/**
 * Extraction files of the public directory (issue 8): `PS_LibreAcces` zips, full and daily delta.
 *
 * - The files live in the database because it is the only thing the app instances share behind a
 *   load balancer (no shared disk). A file is cut into chunks of about 1 MB (`bytea`), written
 *   while the zip is produced and read back one chunk at a time when it is downloaded, so neither
 *   generation nor download holds a whole file (tens of MB at 3 million professionals) in memory.
 * - `seq_to` is the last `directory_change.seq` the file includes: the next delta starts there.
 * - `file_name` is unique: a second run in the same minute finds the first file (idempotent).
 * - The partial index on the active roles, in (practitioner, id) order, is the keyset the
 *   generator walks: one line per professional × active situation, grouped by professional.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('directory_extraction')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('full', 'delta')`))
    .addColumn('file_name', 'text', (c) => c.notNull().unique())
    .addColumn('generated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('seq_from', 'bigint', (c) => c.notNull())
    .addColumn('seq_to', 'bigint', (c) => c.notNull())
    .addColumn('line_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('withdrawn_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('size_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('sha256', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('directory_extraction_kind_idx').on('directory_extraction').columns(['kind', 'generated_at']).execute();

  await db.schema
    .createTable('directory_extraction_chunk')
    .addColumn('extraction_id', 'uuid', (c) => c.notNull().references('directory_extraction.id').onDelete('cascade'))
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('data', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('directory_extraction_chunk_pk', ['extraction_id', 'n'])
    .execute();

  await sql`CREATE INDEX directory_role_extraction_idx ON directory_practitioner_role (practitioner_id, id) WHERE active AND NOT withdrawn`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX directory_role_extraction_idx`.execute(db);
  await db.schema.dropTable('directory_extraction_chunk').execute();
  await db.schema.dropTable('directory_extraction').execute();
}
