import { type Kysely, sql } from 'kysely';

/**
 * Every mail the application sends is first written here, in the transaction of the business
 * change that caused it, then delivered by the `mail.send` job. The row is the proof of what was
 * sent: `dedupe_key` makes queueing idempotent (the same business event never yields two mails),
 * and `status` makes sending idempotent (a job run twice finds the mail already sent).
 * `claimed_until` is a short lease taken by the run that talks to the SMTP server, so two runs of
 * the same job cannot both hand the mail over. Without SMTP_URL, mails stop at status `outbox`
 * and the development outbox page shows them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mail_message')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('to', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('html', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('queued').check(sql`status in ('queued', 'sent', 'outbox', 'failed')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('claimed_until', 'timestamptz')
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('mail_message_created_at_idx').on('mail_message').column('created_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mail_message').execute();
}
