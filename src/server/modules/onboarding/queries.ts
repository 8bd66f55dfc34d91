import { type Kysely, sql } from 'kysely';
import type { Scope } from '../../auth/policy.ts';
import { inList } from '../../auth/policy.ts';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';

/** Plain Kysely queries of the onboarding module; every list is narrowed by the caller's scope in SQL. */

export const contractColumns = [
  'contract.id',
  'contract.ejFiness',
  'contract.status',
  'contract.strategy',
  'contract.rlCivility',
  'contract.rlFamilyName',
  'contract.rlGivenName',
  'contract.rlEmail',
  'contract.rlPhone',
  'contract.rlIdnps',
  'contract.cdeIdnps',
  'contract.signedOn',
  'contract.signedFileId',
  'contract.decisionReason',
  'contract.requestedBy',
  'contract.submittedAt',
  'contract.decidedAt',
  'contract.terminatedAt',
  'contract.createdAt',
  'contract.updatedAt',
  'contract.egFiness',
  'contract.siret',
  'contract.address',
  'contract.rlCardMatricule',
  'contract.mieCguVersion',
  'contract.mieCguAcceptedAt',
] as const;

/** Contracts the scope may read: operator all; RL/mandataire their EJ; anyone his own requests. */
export function scopedContracts(db: Kysely<DB>, scope: Scope) {
  return db
    .selectFrom('contract')
    .leftJoin('structure', 'structure.finess', 'contract.ejFiness')
    .select([...contractColumns, 'structure.name as ejName'])
    .$if(!scope.all, (q) =>
      q.where((eb) =>
        eb.or([inList(eb, 'contract.ejFiness', scope.manageEj), inList(eb, 'contract.egFiness', scope.manageEj), eb('contract.requestedBy', '=', scope.accountId ?? '')]),
      ),
    );
}

export const habilitationColumns = [
  'habilitation.id',
  'habilitation.ejFiness',
  'habilitation.idnps',
  'habilitation.familyName',
  'habilitation.givenName',
  'habilitation.email',
  'habilitation.scopeKind',
  'habilitation.status',
  'habilitation.credential',
  'habilitation.cardForm',
  'habilitation.cardFormReference',
  'habilitation.attestationFileId',
  'habilitation.elearningCompletedOn',
  'habilitation.endsOn',
  'habilitation.revokedAt',
  'habilitation.revokeReason',
  'habilitation.createdAt',
  'habilitation.updatedAt',
] as const;

/** Habilitations the scope may read: operator all; RL/mandataire their EJ; a person his own. */
export function scopedHabilitations(db: Kysely<DB>, scope: Scope) {
  return db
    .selectFrom('habilitation')
    .select(habilitationColumns)
    .select((eb) =>
      eb
        .selectFrom('habilitationEg')
        .select((e) => e.fn.coalesce(e.fn.agg<string[]>('array_agg', ['habilitationEg.egFiness']).distinct(), e.val<string[]>([])).as('egs'))
        .whereRef('habilitationEg.habilitationId', '=', 'habilitation.id')
        .as('egFiness'),
    )
    .$if(!scope.all, (q) =>
      q.where((eb) =>
        eb.or([
          inList(eb, 'habilitation.ejFiness', scope.manageEj),
          // Habilitations on the EG of a contract signed at EG level, for its RL and mandataires.
          eb.exists(
            eb
              .selectFrom('habilitationEg as he')
              .select('he.egFiness')
              .whereRef('he.habilitationId', '=', 'habilitation.id')
              .where((e) => inList(e, 'he.egFiness', scope.manageEj)),
          ),
          eb('habilitation.idnps', '=', scope.idnps ?? ''),
        ]),
      ),
    );
}

export function findStructure(db: Database | Kysely<DB>, finess: string) {
  return db.selectFrom('structure').select(['finess', 'kind', 'ejFiness', 'name', 'closedOn']).where('finess', '=', finess).executeTakeFirst();
}

export function establishmentsOf(db: Database | Kysely<DB>, ejFiness: string) {
  return db
    .selectFrom('structure')
    .select(['finess', 'name', 'closedOn'])
    .where('kind', '=', 'EG')
    .where('ejFiness', '=', ejFiness)
    .orderBy('name')
    .orderBy('finess')
    .execute();
}

/** The active contract of a whole EJ (signed at EJ level). */
export function activeContractOf(db: Database | Kysely<DB>, ejFiness: string) {
  return db.selectFrom('contract').selectAll().where('ejFiness', '=', ejFiness).where('egFiness', 'is', null).where('status', '=', 'active').executeTakeFirst();
}

/** The active contract of a contracting entity: an EJ (EJ-level contract) or an EG (EG-level contract). */
export function activeContractOfEntity(db: Database | Kysely<DB>, finess: string) {
  return db
    .selectFrom('contract')
    .selectAll()
    .where(sql<string>`coalesce(eg_finess, ej_finess)`, '=', finess)
    .where('status', '=', 'active')
    .executeTakeFirst();
}

/** Live contracts (draft, submitted, active) that cover `finess` or are covered by it: one structure, one contract. */
export function overlappingLiveContract(db: Database | Kysely<DB>, ejFiness: string, egFiness: string | null) {
  return db
    .selectFrom('contract')
    .select(['id', 'status', 'egFiness'])
    .where('status', 'in', ['draft', 'submitted', 'active'])
    .where('ejFiness', '=', ejFiness)
    // An EJ-level request meets every live contract of the EJ; an EG-level one, the EJ's and its own.
    .$if(egFiness !== null, (q) => q.where((eb) => eb.or([eb('egFiness', 'is', null), eb('egFiness', '=', egFiness)])))
    .executeTakeFirst();
}

export function historyOf(db: Database | Kysely<DB>, entityType: string, entityId: string) {
  return db
    .selectFrom('auditEvent')
    .select(['id', 'at', 'actorId', 'actorKind', 'action', 'before', 'after'])
    .where('entityType', '=', entityType)
    .where('entityId', '=', entityId)
    .orderBy('id')
    .execute();
}
