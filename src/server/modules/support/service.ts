import { sql } from 'kysely';
import { auditActorOf, recordAudit } from '../../audit.ts';
import type { Actor } from '../../auth/actor.ts';
import { ForbiddenError } from '../../auth/errors.ts';
import { can } from '../../auth/policy.ts';
import { parisDateOf } from '../../calendar.ts';
import type { Config } from '../../config.ts';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import type { SupportRequestTable } from '../../db/schema.ts';
import type { MailService } from '../../mail/service.ts';
import { SupportRequestAnsweredError, SupportRequestNotFoundError } from './errors.ts';
import { acknowledgementMail, answerMail, toSupportMail } from './mails.ts';

export interface SupportRequestInput {
  audience: SupportRequestTable['audience'];
  topic: SupportRequestTable['topic'];
  name: string;
  email: string;
  finess?: string | null;
  subject: string;
  message: string;
}

const columns = ['id', 'reference', 'audience', 'topic', 'name', 'email', 'finess', 'subject', 'message', 'status', 'answer', 'answeredAt', 'createdAt'] as const;

/** RPPS-AAAA-NNNNNN: the year of filing and a number that never repeats (a sequence). */
export const supportReference = (year: number, n: number) => `RPPS-${year}-${String(n).padStart(6, '0')}`;

/**
 * The help desk (issue 16, item 1): anyone files a request from the contact form; it is stored
 * with its reference, mailed to SUPPORT_EMAIL and acknowledged to the requester; ANS operators
 * list and answer them in the back office, the answer is mailed. Logs carry the reference only.
 */
export function createSupportService(deps: { db: Database; clock: Clock; config: Config; mail?: MailService }) {
  const { db, clock, config } = deps;

  const operatorOnly = (actor: Actor) => {
    if (!can(actor, 'support.manage')) throw new ForbiddenError('Seuls les opérateurs de l’ANS traitent les demandes d’assistance.');
  };

  return {
    async file(actor: Actor, input: SupportRequestInput) {
      const at = clock.now();
      return db.transaction().execute(async (trx) => {
        const seq = await sql<{ n: string }>`select nextval('support_request_seq') as n`.execute(trx);
        const reference = supportReference(Number(parisDateOf(at).slice(0, 4)), Number(seq.rows[0]!.n));
        const row = {
          reference,
          audience: input.audience,
          topic: input.topic,
          name: input.name.trim(),
          email: input.email.trim(),
          finess: input.finess?.trim().toUpperCase() || null,
          subject: input.subject.trim(),
          message: input.message.trim(),
          accountId: actor.kind === 'person' ? actor.accountId : null,
          createdAt: at,
        };
        const { id } = await trx.insertInto('supportRequest').values(row).returning('id').executeTakeFirstOrThrow();
        if (deps.mail) {
          await deps.mail.queueMail(trx, toSupportMail(config.support.email, row, config.publicUrl), `support-filed:${id}`);
          await deps.mail.queueMail(trx, acknowledgementMail(row, config.publicUrl), `support-ack:${id}`);
        }
        return { id, reference, createdAt: at };
      });
    },

    async list(actor: Actor, filter: { status?: 'open' | 'answered' }) {
      operatorOnly(actor);
      return db
        .selectFrom('supportRequest')
        .select(columns)
        .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status!))
        .orderBy('createdAt', 'desc')
        .limit(500)
        .execute();
    },

    async get(actor: Actor, id: string) {
      operatorOnly(actor);
      const row = await db.selectFrom('supportRequest').select(columns).where('id', '=', id).executeTakeFirst();
      if (!row) throw new SupportRequestNotFoundError();
      return row;
    },

    async answer(actor: Actor, id: string, answer: string) {
      operatorOnly(actor);
      return db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('supportRequest').select(columns).where('id', '=', id).forUpdate().executeTakeFirst();
        if (!row) throw new SupportRequestNotFoundError();
        if (row.status === 'answered') throw new SupportRequestAnsweredError();
        const who = auditActorOf(actor);
        const at = clock.now();
        await trx.updateTable('supportRequest').set({ status: 'answered', answer: answer.trim(), answeredBy: who.id, answeredAt: at }).where('id', '=', id).execute();
        await recordAudit(trx, { at, actor: who, action: 'support.answer', entityType: 'support_request', entityId: id, before: { status: 'open' }, after: { status: 'answered', reference: row.reference } });
        await deps.mail?.queueMail(trx, answerMail(row, answer.trim(), config.publicUrl), `support-answer:${id}`);
        return { ...row, status: 'answered' as const, answer: answer.trim(), answeredAt: at };
      });
    },
  };
}
