import { type Kysely, sql } from 'kysely';

/**
 * Pre-registration by the professional (issue 7, DOMAIN.md "Two registration paths", case 2).
 *
 * - `preregistration`: one request of a person signed in with FranceConnect. The état civil is
 *   copied server-side from the FranceConnect identity (never from the request body); contact and
 *   situation are what the professional typed. Status: draft → pending → validated / rejected,
 *   or withdrawn by him. `eg_finess` / `ej_finess` are plain columns so the gestionnaire's queue is
 *   scoped in SQL. `reminder_count` is the number of reminder periods already notified: the
 *   reminder job moves it with `UPDATE … WHERE reminder_count < period`, so each period notifies once.
 * - One open request (draft or pending) per account (guide ANS: "une seule demande en cours"):
 *   a partial unique index, so two tabs cannot both open one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('preregistration')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('account.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'pending', 'validated', 'rejected', 'withdrawn')`))
    .addColumn('etat_civil', 'jsonb', (c) => c.notNull())
    .addColumn('contact', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('situation', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('eg_finess', 'text')
    .addColumn('ej_finess', 'text')
    .addColumn('terms_accepted_at', 'timestamptz')
    .addColumn('submitted_at', 'timestamptz')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decided_by', 'text')
    .addColumn('reject_reason', 'text')
    .addColumn('rpps', 'char(11)')
    .addColumn('situation_id', 'uuid')
    .addColumn('reminder_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('preregistration_account_idx').on('preregistration').columns(['account_id', 'created_at']).execute();
  await db.schema
    .createIndex('preregistration_open_key')
    .on('preregistration')
    .column('account_id')
    .unique()
    .where(sql.ref('status'), 'in', ['draft', 'pending'])
    .execute();
  await db.schema.createIndex('preregistration_queue_eg_idx').on('preregistration').columns(['eg_finess', 'submitted_at']).where(sql.ref('status'), '=', 'pending').execute();
  await db.schema.createIndex('preregistration_queue_ej_idx').on('preregistration').columns(['ej_finess', 'submitted_at']).where(sql.ref('status'), '=', 'pending').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('preregistration').execute();
}
