import type { Clock } from '../../context.ts';
import { recordAudit } from '../../audit.ts';
import type { Database } from '../../db/database.ts';
import { SituationReportNotFoundError } from './errors.ts';
import { hashReportToken } from './service.ts';

/** How long the "ce n'est pas moi" link of a new-structure e-mail stays valid. */
export const reportLinkDays = 90;

/**
 * "Ce n'est pas moi" (issue 15, item 4): the professional told that a new structure added a
 * situation to his record follows the link of the e-mail; his claim is recorded, audited, and
 * sends his identity to the ANS operators' review queue (reason `situation-disputed`), where the
 * operator sees it with the other identities to check. The token is the only credential: one
 * use, stored hashed, valid `reportLinkDays` days; a second use answers the same.
 */
export function createSituationReports(deps: { db: Database; clock: Clock }) {
  const { db, clock } = deps;
  return {
    async report(token: string) {
      if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) throw new SituationReportNotFoundError();
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('situationReport').selectAll().where('tokenHash', '=', hashReportToken(token)).forUpdate().executeTakeFirst();
        if (!row || now.getTime() - new Date(row.createdAt).getTime() > reportLinkDays * 86_400_000) throw new SituationReportNotFoundError();
        if (row.reportedAt) return { reported: true };
        await trx.updateTable('situationReport').set({ reportedAt: now }).where('id', '=', row.id).execute();
        const person = await trx.selectFrom('person').select(['id', 'rpps', 'identityStatus', 'identityCheckReasons']).where('id', '=', row.personId).forUpdate().executeTakeFirstOrThrow();
        const reasons = [...new Set([...person.identityCheckReasons, 'situation-disputed'])];
        const status = person.identityStatus === 'rejected' ? 'rejected' : 'to_review';
        await trx.updateTable('person').set({ identityStatus: status, identityCheckReasons: reasons, updatedAt: now }).where('id', '=', person.id).execute();
        await recordAudit(trx, {
          at: now,
          actor: { id: `situation-report:${row.id}`, kind: 'professional' },
          action: 'situation.disputed',
          entityType: 'situation',
          entityId: row.situationId,
          before: { rpps: person.rpps, identityStatus: person.identityStatus },
          after: { rpps: person.rpps, identityStatus: status, ejFiness: row.ejFiness },
        });
        return { reported: true };
      });
    },
  };
}
