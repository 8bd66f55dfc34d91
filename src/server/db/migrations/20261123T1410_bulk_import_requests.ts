import { type Kysely, sql } from 'kysely';

/**
 * Bulk import, "pending requests" mode (issue 10).
 *
 * - `bulk_import.mode`: `register` (the gestionnaire ticked the form's declarations for the whole
 *   batch: each row becomes a registration) or `pending` (no declarations: each row becomes a
 *   pre-registration request that a gestionnaire validates face to face). `declarations` keeps
 *   what was ticked, for the audit trail.
 * - `bulk_import_row.request_id`: the request a row became in `pending` mode.
 * - `preregistration.source`: `franceconnect` (the professional's own request, état civil from
 *   FranceConnect) or `bulk-import` (état civil from the file, no account). `account_id` becomes
 *   optional for the latter only. `idempotency_key` (`bulk-import:<import id>:<row number>`) is
 *   unique: a row processed twice (crash, two workers) creates one request.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('bulk_import')
    .addColumn('mode', 'text', (c) => c.notNull().defaultTo('register').check(sql`mode in ('register', 'pending')`))
    .addColumn('declarations', 'jsonb')
    .execute();
  await db.schema.alterTable('bulk_import_row').addColumn('request_id', 'uuid').execute();
  await db.schema.alterTable('preregistration').alterColumn('account_id', (c) => c.dropNotNull()).execute();
  await db.schema
    .alterTable('preregistration')
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('franceconnect').check(sql`source in ('franceconnect', 'bulk-import')`))
    .addColumn('idempotency_key', 'text')
    .execute();
  await db.schema
    .alterTable('preregistration')
    .addCheckConstraint('preregistration_account_or_file', sql`account_id is not null or source = 'bulk-import'`)
    .execute();
  await db.schema.createIndex('preregistration_idempotency_key').on('preregistration').column('idempotency_key').unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('preregistration_idempotency_key').execute();
  await db.schema.alterTable('preregistration').dropConstraint('preregistration_account_or_file').execute();
  await db.schema.alterTable('preregistration').dropColumn('idempotency_key').dropColumn('source').execute();
  await db.schema.alterTable('bulk_import_row').dropColumn('request_id').execute();
  await db.schema.alterTable('bulk_import').dropColumn('declarations').dropColumn('mode').execute();
}
