import { type Kysely, sql } from 'kysely';

/**
 * Professional self-service (issue 7): a change of e-mail or mobile phone takes effect only once
 * the code sent to the new address or number is typed back.
 *
 * - `contact_change`: one pending change. `code_hash` is the SHA-256 of the code (never the code);
 *   `attempts` counts wrong codes (the change dies after 5), `expires_at` bounds its life.
 *   Confirmation and the person update commit together; a new request for the same kind replaces
 *   the previous pending one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('contact_change')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('email', 'mobile')`))
    .addColumn('new_value', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('cancelled_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contact_change_person_idx').on('contact_change').columns(['person_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('contact_change').execute();
}
