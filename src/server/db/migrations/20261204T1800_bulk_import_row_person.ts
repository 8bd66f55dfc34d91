import type { Kysely } from 'kysely';

/**
 * `bulk_import_row.person` (issue 17): who a row is about — birth name and first first name as the
 * file gave them — so that the report of a committed import names each row's person next to its
 * RPPS number or its errors. Shown only to those who may follow the import (its EG scope).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('bulk_import_row').addColumn('person', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('bulk_import_row').dropColumn('person').execute();
}
