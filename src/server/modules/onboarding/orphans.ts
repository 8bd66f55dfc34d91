import { sql } from 'kysely';
import { auditActorOf, recordAudit } from '../../audit.ts';
import type { Actor } from '../../auth/actor.ts';
import { ForbiddenError } from '../../auth/errors.ts';
import { can } from '../../auth/policy.ts';
import type { Config } from '../../config.ts';
import { todayOf } from '../../calendar.ts';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import type { MailService } from '../../mail/service.ts';
import { createRegisterService } from '../register/service.ts';
import { StructureNotOrphanError } from './errors.ts';

/**
 * What a terminated contract leaves behind (issue 16, item 6). When no active contract covers
 * an EG any more (its EJ's, or its own), nobody can manage its professionals: no RL, mandataire
 * or gestionnaire holds a role there. Their situations stay active and published — ending them
 * would cut the professionals' Pro Santé Connect access without anyone having decided it — until
 * a new contract covers the EG again, or an ANS operator ends them (with a confirmation).
 */
export function createOrphanService(deps: { db: Database; clock: Clock; config: Pick<Config, 'rppsRange'> & Partial<Pick<Config, 'publicUrl'>>; mail?: MailService }) {
  const { db, clock } = deps;
  const today = () => todayOf(clock);

  const operatorOnly = (actor: Actor) => {
    if (!can(actor, 'contract.list-all')) throw new ForbiddenError('Cette liste est réservée aux opérateurs de l’ANS.');
  };

  /** EG with active situations that no active contract covers, with the contract that last did. */
  function orphanQuery() {
    return db
      .selectFrom('situation')
      .innerJoin('structure as eg', 'eg.finess', 'situation.egFiness')
      .leftJoin('structure as ej', 'ej.finess', 'eg.ejFiness')
      .where('situation.status', '=', 'active')
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('contract')
              .select('contract.id')
              .where('contract.status', '=', 'active')
              .where((c) => c.or([c.and([c('contract.egFiness', 'is', null), c('contract.ejFiness', '=', c.ref('eg.ejFiness'))]), c('contract.egFiness', '=', c.ref('eg.finess'))])),
          ),
        ),
      )
      .groupBy(['eg.finess', 'eg.name', 'eg.ejFiness', 'ej.name'])
      .select(['eg.finess as egFiness', 'eg.name as egName', 'eg.ejFiness as ejFiness', 'ej.name as ejName'])
      .select((eb) => eb.fn.countAll<string>().as('activeSituations'))
      .select(
        sql<string | null>`(select c.id from contract c where c.status = 'terminated' and (c.eg_finess = eg.finess or (c.eg_finess is null and c.ej_finess = eg.ej_finess)) order by c.terminated_at desc limit 1)`.as('lastContractId'),
      )
      .select(
        sql<Date | null>`(select c.terminated_at from contract c where c.status = 'terminated' and (c.eg_finess = eg.finess or (c.eg_finess is null and c.ej_finess = eg.ej_finess)) order by c.terminated_at desc limit 1)`.as('terminatedAt'),
      );
  }

  return {
    /**
     * Structures whose professionals nobody manages. By default only those a terminated contract
     * left behind (`all`: also EG that never had one, e.g. registered before RPPS+ by the ANS).
     */
    async list(actor: Actor, filter: { all?: boolean }) {
      operatorOnly(actor);
      const rows = await orphanQuery().orderBy('eg.ejFiness').orderBy('eg.finess').limit(1000).execute();
      return rows
        .filter((r) => filter.all || r.lastContractId !== null)
        .map((r) => ({ ...r, activeSituations: Number(r.activeSituations), terminatedAt: r.terminatedAt ? new Date(r.terminatedAt) : null }));
    },

    /** Operator's decision: every active situation of the EG ends today (PSC access ends with it). */
    async endSituations(actor: Actor, egFiness: string, input: { reason: string }) {
      operatorOnly(actor);
      const orphan = await orphanQuery().where('eg.finess', '=', egFiness).executeTakeFirst();
      if (!orphan) throw new StructureNotOrphanError();
      const register = createRegisterService({ db, clock, config: deps.config, mail: deps.mail });
      const who = auditActorOf(actor);
      const situations = await db.selectFrom('situation').select('id').where('egFiness', '=', egFiness).where('status', '=', 'active').execute();
      let ended = 0;
      for (const s of situations) {
        // Each through the register: audit, history and directory publication as for any end.
        await register.endSituation(who, 'all', s.id, { endDate: today(), reason: 'departure' });
        ended++;
      }
      await recordAudit(db, { at: clock.now(), actor: who, action: 'structure.end-situations', entityType: 'structure', entityId: egFiness, before: { activeSituations: situations.length }, after: { activeSituations: 0, reason: input.reason.trim() } });
      return { egFiness, ended };
    },
  };
}
