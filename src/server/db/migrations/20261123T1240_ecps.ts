import { type Kysely, sql } from 'kysely';

/**
 * e-CPS, the digital professional card (simulated national service, docs/ecps.md).
 *
 * - `ecps_account`: one row per registered professional once invited; `status` goes
 *   invited → active. Suspension is not stored: it is read from the register at every sign-in
 *   (no active situation ⇒ suspended), so ending the last situation suspends Pro Santé Connect
 *   access at once and a new situation restores it without any job having to run.
 * - `ecps_activation_code`: one-time codes sent by SMS. Only a salted SHA-256 is stored; a code
 *   expires, allows a few attempts and is consumed by its first success.
 * - `ecps_event_cursor`: how far the e-CPS invitation consumer has read the register outbox
 *   (`register_event`). The directory uses `published_at` as its own marker; e-CPS keeps its own
 *   so neither consumer depends on the other.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ecps_account')
    .addColumn('person_id', 'uuid', (c) => c.primaryKey().references('person.id'))
    .addColumn('idnps', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('invited').check(sql`status in ('invited', 'active')`))
    .addColumn('invited_at', 'timestamptz', (c) => c.notNull())
    .addColumn('activated_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('ecps_activation_code')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('person.id'))
    .addColumn('salt', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('consumed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ecps_activation_code_person_idx').on('ecps_activation_code').columns(['person_id', 'created_at']).execute();

  await db.schema
    .createTable('ecps_event_cursor')
    .addColumn('consumer', 'text', (c) => c.primaryKey())
    .addColumn('last_event_id', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ecps_event_cursor').execute();
  await db.schema.dropTable('ecps_activation_code').execute();
  await db.schema.dropTable('ecps_account').execute();
}
