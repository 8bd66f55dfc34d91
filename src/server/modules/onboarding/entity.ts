import { sql } from 'kysely';
import { auditActorOf } from '../../audit.ts';
import type { Actor } from '../../auth/actor.ts';
import { can } from '../../auth/policy.ts';
import type { Strategy } from '../../db/schema.ts';
import { deny, type OnboardingContext } from './context.ts';
import { ContractNotFoundError, NoActiveContractError } from './errors.ts';
import { activeContractOf, activeContractOfEntity, establishmentsOf, findStructure } from './queries.ts';

/**
 * The contracting entity (EJ, or an EG with its own contract): overview and strategy.
 */
export function entityUseCases(context: OnboardingContext) {
  const { db, now, today, audit, revokeHabilitationIn } = context;

  return {
    async getEntity(actor: Actor, ejFiness: string) {
      if (!can(actor, 'ej.read', { type: 'ej', ejFiness })) deny();
      const ej = await findStructure(db, ejFiness);
      if (!ej) throw new ContractNotFoundError();
      // An EG is an entity of its own only through an EG-level contract.
      const contract = ej.kind === 'EJ' ? await activeContractOf(db, ejFiness) : await activeContractOfEntity(db, ejFiness);
      if (ej.kind === 'EG' && !contract) throw new ContractNotFoundError();
      const establishments = ej.kind === 'EJ' ? await establishmentsOf(db, ejFiness) : [{ finess: ej.finess, name: ej.name, closedOn: ej.closedOn }];
      return {
        ejFiness,
        name: ej.name,
        contractId: contract?.id ?? null,
        contractStatus: contract?.status ?? null,
        strategy: contract?.strategy ?? null,
        establishments: establishments.map((e) => ({ finess: e.finess, name: e.name, open: e.closedOn === null || e.closedOn > today() })),
        can: {
          changeStrategy: can(actor, 'strategy.change', { type: 'ej', ejFiness }),
          manageMandataires: can(actor, 'mandataire.manage', { type: 'ej', ejFiness }),
          manageHabilitations: can(actor, 'habilitation.manage', { type: 'ej', ejFiness }),
        },
      };
    },

    /**
     * Strategy rule (docs/onboarding-and-policy.md): centralized allows only EJ-wide
     * habilitations, decentralized allows both. Moving to centralized revokes the EG-scoped
     * habilitations (they no longer fit); moving to decentralized keeps every habilitation.
     */
    async changeStrategy(actor: Actor, ejFiness: string, strategy: Strategy) {
      if (!can(actor, 'strategy.change', { type: 'ej', ejFiness })) deny();
      return db.transaction().execute(async (trx) => {
        const contract = await trx.selectFrom('contract').selectAll().where('ejFiness', '=', ejFiness).where('status', '=', 'active').forUpdate().executeTakeFirst();
        if (!contract) throw new NoActiveContractError();
        const who = auditActorOf(actor);
        const revoked: string[] = [];
        if (contract.strategy !== strategy) {
          await trx.updateTable('contract').set({ strategy, updatedAt: now(), version: sql`version + 1` }).where('id', '=', contract.id).execute();
          await audit(trx, who, 'contract.strategy', 'contract', contract.id, { strategy: contract.strategy }, { strategy });
          if (strategy === 'centralized') {
            const misfits = await trx.selectFrom('habilitation').select('id').where('ejFiness', '=', ejFiness).where('status', '=', 'active').where('scopeKind', '=', 'eg').execute();
            for (const h of misfits) {
              await revokeHabilitationIn(trx, who, h.id, 'strategy-change');
              revoked.push(h.id);
            }
          }
        }
        return { ejFiness, strategy, revokedHabilitations: revoked };
      });
    },
  };
}
