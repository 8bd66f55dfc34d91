import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { insertMany } from '../db/insert-many.ts';
import type { DB } from '../db/schema.ts';
import type { OutgoingMail } from './mailer.ts';
import { isMailIntent, type MailIntent, renderStoredMail } from './templates.ts';

/** The stored columns of a mail: its text, or its template and parameters (rendered when sent). */
function contentOf(mail: OutgoingMail | MailIntent) {
  return isMailIntent(mail)
    ? { to: mail.to, subject: mail.subject, text: '', html: null, template: mail.template, params: JSON.stringify(mail.params) }
    : { to: mail.to, subject: mail.subject, text: mail.text, html: mail.html ?? null, template: null, params: null };
}

/** Stores a mail once per dedupe key; returns its id, or undefined when the key was already used. */
export async function insertMail(
  trx: Kysely<DB>,
  mail: OutgoingMail | MailIntent,
  dedupeKey: string,
  createdAt: Date,
): Promise<string | undefined> {
  const row = await trx
    .insertInto('mailMessage')
    .values({ ...contentOf(mail), dedupeKey, createdAt })
    .onConflict((oc) => oc.column('dedupeKey').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/**
 * Stores many mails, each once per dedupe key, in one statement (one array parameter per column:
 * a bulk import's set of 1,000); returns the ids created, by dedupe key.
 */
export async function insertMails(trx: Kysely<DB>, mails: readonly { mail: OutgoingMail | MailIntent; dedupeKey: string }[], createdAt: Date): Promise<Map<string, string>> {
  const rows = mails.map(({ mail, dedupeKey }) => ({ ...contentOf(mail), dedupeKey, createdAt }));
  const created = await insertMany<{ id: string; dedupeKey: string }>(trx, 'mailMessage', rows, ['id', 'dedupeKey'], { onConflictDoNothing: ['dedupeKey'] });
  return new Map(created.map((r) => [r.dedupeKey, r.id]));
}

export async function findMailIdByDedupeKey(db: Kysely<DB>, dedupeKey: string): Promise<string | undefined> {
  const row = await db.selectFrom('mailMessage').select('id').where('dedupeKey', '=', dedupeKey).executeTakeFirst();
  return row?.id;
}

/**
 * Takes the sending lease on the queued mails among `ids` and counts the attempt, in one
 * statement. Only one run holds a mail's lease at a time; a lease left by a crashed run expires
 * after `leaseSeconds`. Returns the mails claimed, a template's text not rendered yet.
 */
export async function claimMails(db: Database, ids: readonly string[], leaseSeconds: number) {
  if (ids.length === 0) return [];
  return db
    .updateTable('mailMessage')
    .set({
      attempts: sql`attempts + 1`,
      claimedUntil: sql`now() + make_interval(secs => ${leaseSeconds})`,
    })
    .where('id', 'in', ids)
    .where('status', '=', 'queued')
    .where((eb) => eb.or([eb('claimedUntil', 'is', null), eb('claimedUntil', '<', sql<Date>`now()`)]))
    .returning(['id', 'to', 'subject', 'text', 'html', 'template', 'params', 'attempts'])
    .execute();
}

export async function findMailStatuses(db: Database, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('mailMessage').select(['id', 'status']).where('id', 'in', ids).execute();
}

export async function markMailsDelivered(db: Database, ids: readonly string[], status: 'sent' | 'outbox', sentAt: Date) {
  if (ids.length === 0) return;
  await db
    .updateTable('mailMessage')
    .set({ status, sentAt, claimedUntil: null, lastError: null })
    .where('id', 'in', ids)
    .execute();
}

export async function markMailAttemptFailed(db: Database, id: string, error: string, final: boolean) {
  await db
    .updateTable('mailMessage')
    .set({ status: final ? 'failed' : 'queued', lastError: error, claimedUntil: null })
    .where('id', '=', id)
    .execute();
}

const summaryColumns = ['id', 'to', 'subject', 'status', 'attempts', 'createdAt', 'sentAt'] as const;

export async function listMail(db: Database, limit: number) {
  return db
    .selectFrom('mailMessage')
    .select(summaryColumns)
    .orderBy('createdAt', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** One mail with its text and HTML (a mail stored as a template rendered as it is sent). */
export async function getMail(db: Database, id: string) {
  const row = await db
    .selectFrom('mailMessage')
    .select([...summaryColumns, 'text', 'html', 'template', 'params', 'lastError'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const { template: _template, params: _params, ...mail } = renderStoredMail(row);
  return mail;
}
