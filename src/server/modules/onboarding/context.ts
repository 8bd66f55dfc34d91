import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { type AuditActor, type AuditValues, recordAudit } from '../../audit.ts';
import type { Actor } from '../../auth/actor.ts';
import { ForbiddenError } from '../../auth/errors.ts';
import { scopeOf } from '../../auth/policy.ts';
import { todayOf } from '../../calendar.ts';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import type { DB, StaffRoleName, Strategy } from '../../db/schema.ts';
import type { FileStore } from '../../files/store.ts';
import { checkFiness } from '../../identifiers.ts';
import type { JobQueue } from '../../jobs/index.ts';
import type { MailService } from '../../mail/service.ts';
import { ContractAlreadyExistsError, ContractNotFoundError, EntityNotContractableError, HabilitationNotFoundError, NoActiveContractError } from './errors.ts';
import { activeContractOf, activeContractOfEntity, establishmentsOf, findStructure, overlappingLiveContract, scopedContracts, scopedHabilitations } from './queries.ts';
import { grantRoles as grantStaffRoles, revokeRoles as revokeStaffRoles, roleSource } from './roles.ts';

/**
 * What the onboarding use cases share (contracts, entity, mandataires, habilitations, home): the
 * dependencies, the clock's day, the audit entry, and the reads that check scope and state. Each
 * use-case file takes this context; service.ts wires them into one service.
 */

export interface OnboardingDeps {
  db: Database;
  clock: Clock;
  files: FileStore;
  jobs?: JobQueue;
  /** Mails to the RL (contract terminated, successor designated); absent in tests that need none. */
  mail?: MailService;
  publicUrl?: string;
}

export const source = roleSource;

export function deny(message?: string): never {
  throw new ForbiddenError(message);
}

export const contractAudit = (c: { status: string; strategy: string; signedOn: string | null; signedFileId: string | null; decisionReason: string | null; cdeIdnps: string | null }) => ({
  status: c.status,
  strategy: c.strategy,
  signedOn: c.signedOn,
  signedFileId: c.signedFileId,
  decisionReason: c.decisionReason,
  cdeIdnps: c.cdeIdnps,
});

export const habilitationAudit = (h: { status: string; scopeKind: string; egFiness: string[]; endsOn: string | null; idnps: string; revokeReason?: string | null }) => ({
  idnps: h.idnps,
  status: h.status,
  scope: h.scopeKind,
  egFiness: [...h.egFiness].sort(),
  endsOn: h.endsOn,
  ...(h.revokeReason ? { revokeReason: h.revokeReason } : {}),
});

export function onboardingContext(deps: OnboardingDeps) {
  const { db, clock } = deps;
  const now = () => clock.now();
  const today = () => todayOf(clock);

  const audit = (trx: Kysely<DB>, actor: AuditActor, action: string, entityType: string, entityId: string, before: AuditValues | null, after: AuditValues | null) =>
    recordAudit(trx, { at: now(), actor, action, entityType, entityId, before, after });

  const grantRoles = (trx: Kysely<DB>, src: string, idnps: string, role: StaffRoleName, ejFiness: string, egs: string[] | null) => grantStaffRoles(trx, now(), src, idnps, role, ejFiness, egs);
  const revokeRoles = (trx: Kysely<DB>, src: string) => revokeStaffRoles(trx, now(), src);

  /**
   * Only a structure known and open in FINESS on the day can contract: an EJ (the contract covers
   * all its EG) or an EG (it covers that site only; seed 004: « contractualisation juridique ou
   * géographique »). Returns the EJ and, for an EG-level contract, the EG.
   */
  async function assertContractable(trx: Kysely<DB>, input: string) {
    const check = checkFiness(input);
    if (!check.valid) throw new EntityNotContractableError('unknown');
    const row = await findStructure(trx, check.finess);
    if (!row) throw new EntityNotContractableError('unknown');
    if (row.closedOn !== null && row.closedOn <= today()) throw new EntityNotContractableError('closed');
    if (row.kind === 'EG') {
      if (!row.ejFiness) throw new EntityNotContractableError('unknown');
      return { ejFiness: row.ejFiness, egFiness: row.finess, structure: row };
    }
    return { ejFiness: row.finess, egFiness: null, structure: row };
  }

  /** One structure, one live contract: its EJ's, or its own for an EG (refused at step 1 of the request). */
  async function assertNoLiveContract(trx: Kysely<DB>, ejFiness: string, egFiness: string | null) {
    const live = await overlappingLiveContract(trx, ejFiness, egFiness);
    if (live) throw new ContractAlreadyExistsError(live.egFiness !== null && egFiness === null ? 'eg-contracts' : live.status === 'active' ? 'active' : 'pending');
  }

  /** A contract the actor may read, or 404 (its existence is not revealed). */
  async function readableContract(trx: Kysely<DB>, actor: Actor, id: string) {
    const row = await scopedContracts(trx, scopeOf(actor)).where('contract.id', '=', id).executeTakeFirst();
    if (!row) throw new ContractNotFoundError();
    return row;
  }

  async function lockedContract(trx: Kysely<DB>, id: string) {
    const row = await trx.selectFrom('contract').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw new ContractNotFoundError();
    return row;
  }

  async function readableHabilitation(trx: Kysely<DB>, actor: Actor, id: string) {
    const row = await scopedHabilitations(trx, scopeOf(actor)).where('habilitation.id', '=', id).executeTakeFirst();
    if (!row) throw new HabilitationNotFoundError();
    return { ...row, egFiness: row.egFiness ?? [] };
  }

  /** Revokes a habilitation and its roles in `trx` (revocation, strategy change, contract end, end date). */
  async function revokeHabilitationIn(trx: Kysely<DB>, who: AuditActor, id: string, reason: string) {
    const before = await trx.selectFrom('habilitation').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
    if (before.status !== 'active') return false;
    const egs = (await trx.selectFrom('habilitationEg').select('egFiness').where('habilitationId', '=', id).execute()).map((r) => r.egFiness);
    await trx
      .updateTable('habilitation')
      .set({ status: 'revoked', revokedAt: now(), revokedBy: who.id, revokeReason: reason, updatedAt: now(), version: sql`version + 1` })
      .where('id', '=', id)
      .execute();
    await revokeRoles(trx, source('habilitation', id));
    await audit(trx, who, 'habilitation.revoke', 'habilitation', id, habilitationAudit({ ...before, egFiness: egs }), habilitationAudit({ ...before, status: 'revoked', egFiness: egs, revokeReason: reason }));
    return true;
  }

  /**
   * The contracting entity `finess` (an EJ, or an EG with its own contract) and its active
   * contract. `ejFiness` is always the EJ (what roles and habilitations are recorded on);
   * `egFiness` is set for an EG-level contract, whose only establishment is that EG.
   */
  async function entityContext(trx: Kysely<DB>, finess: string) {
    const contract = await activeContractOfEntity(trx, finess);
    if (!contract) throw new NoActiveContractError();
    if (contract.egFiness) {
      const eg = await findStructure(trx, contract.egFiness);
      return { contract, strategy: 'decentralized' as Strategy, ejFiness: contract.ejFiness, egFiness: contract.egFiness as string | null, egs: new Map([[contract.egFiness, { closedOn: eg?.closedOn ?? null }]]) };
    }
    const egs = new Map((await establishmentsOf(trx, finess)).map((e) => [e.finess, { closedOn: e.closedOn }]));
    return { contract, strategy: contract.strategy, ejFiness: finess, egFiness: null as string | null, egs };
  }

  /** The contracting entity a habilitation belongs to: its EJ, or the EG of an EG-level contract. */
  async function entityOfHabilitation(trx: Kysely<DB>, h: { ejFiness: string; egFiness: string[] }) {
    if (await activeContractOf(trx, h.ejFiness)) return h.ejFiness;
    for (const eg of h.egFiness) if (await activeContractOfEntity(trx, eg)) return eg;
    return h.ejFiness;
  }

  return { deps, db, files: deps.files, jobs: deps.jobs, now, today, audit, grantRoles, revokeRoles, assertContractable, assertNoLiveContract, readableContract, lockedContract, readableHabilitation, revokeHabilitationIn, entityContext, entityOfHabilitation };
}

export type OnboardingContext = ReturnType<typeof onboardingContext>;
