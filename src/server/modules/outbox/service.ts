import type { Database } from '../../db/database.ts';
import { getMail, listMail } from '../../mail/queries.ts';
import { OutboxMailNotFoundError } from './errors.ts';
import type { OutboxList, OutboxMail, OutboxMailSummary } from './schemas.ts';

const iso = (d: Date | string) => new Date(d).toISOString();

function toSummary(row: Awaited<ReturnType<typeof listMail>>[number]): OutboxMailSummary {
  return {
    id: row.id,
    to: row.to,
    subject: row.subject,
    status: row.status,
    attempts: row.attempts,
    createdAt: iso(row.createdAt),
    sentAt: row.sentAt ? iso(row.sentAt) : null,
  };
}

/** The development outbox: every mail the application queued, newest first. */
export function createOutboxService(deps: { db: Database }) {
  return {
    async list(limit: number): Promise<OutboxList> {
      return { items: (await listMail(deps.db, limit)).map(toSummary) };
    },
    async get(id: string): Promise<OutboxMail> {
      const row = await getMail(deps.db, id);
      if (!row) throw new OutboxMailNotFoundError();
      return { ...toSummary(row), text: row.text, html: row.html, lastError: row.lastError };
    },
  };
}
