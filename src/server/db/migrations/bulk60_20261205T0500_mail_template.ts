import { sql, type Kysely } from 'kysely';

/**
 * A mail may be stored as its template and parameters (src/server/mail/templates.ts) and rendered
 * by the mail job when sent: `template` names it, `params` holds what the render function takes,
 * and `text` stays empty (`html` null) until then. A bulk import's registration mails are stored
 * so (issue 18): a few hundred bytes each instead of ~4 kB rendered in the registering transaction.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE mail_message
    ADD COLUMN template text,
    ADD COLUMN params jsonb,
    ADD CONSTRAINT mail_message_template_check CHECK (template IS NULL OR (params IS NOT NULL AND text = '' AND html IS NULL))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE mail_message DROP CONSTRAINT mail_message_template_check, DROP COLUMN params, DROP COLUMN template`.execute(db);
}
