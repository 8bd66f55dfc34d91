import { type Kysely, sql } from 'kysely';
import { type AuditActor, auditActorOf, recordAudit } from '../../audit.ts';
import type { Actor } from '../../auth/actor.ts';
import { ForbiddenError } from '../../auth/errors.ts';
import { can, scopeOf } from '../../auth/policy.ts';
import { inList } from '../../auth/policy.ts';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { FieldError } from '../../errors.ts';
import type { MailService } from '../../mail/service.ts';
import { mieCguVersion } from '../../../shared/terms.ts';
import { NoActiveContractError, OnboardingValidationError, SuccessionNotFoundError, SuccessionPendingError, SuccessionStateError } from './errors.ts';
import { successionMail } from './mails.ts';
import { activeContractOfEntity } from './queries.ts';
import { grantRoles, revokeRoles, roleSource } from './roles.ts';
import { emailPattern, rlColumns } from './validation.ts';

export interface SuccessionInput {
  rl: { civility: 'M' | 'MME'; familyName: string; givenName: string; email: string; phone: string; idnps?: string | null; cardMatricule?: string | null };
  mieCguVersion: string;
  reason: string;
}

const columns = [
  'rlSuccession.id',
  'rlSuccession.contractId',
  'rlSuccession.status',
  'rlSuccession.rlCivility',
  'rlSuccession.rlFamilyName',
  'rlSuccession.rlGivenName',
  'rlSuccession.rlEmail',
  'rlSuccession.rlPhone',
  'rlSuccession.rlIdnps',
  'rlSuccession.rlCardMatricule',
  'rlSuccession.mieCguVersion',
  'rlSuccession.reason',
  'rlSuccession.requestedAt',
  'rlSuccession.decidedAt',
  'rlSuccession.decisionReason',
  'contract.ejFiness',
  'contract.egFiness',
] as const;

/**
 * Succession of the représentant légal (issue 16, item 5; seed 004: « en cas de départ d'un
 * collaborateur (gestionnaire ou RL) »). The structure designates a new RL on its live contract:
 * the current RL hands over, or a mandataire does it when the RL is gone, or an ANS operator on
 * the structure's request. An operator validates it like a contract: the new RL's CDE card is
 * ordered (F101) and the contract's RL roles move to him; habilitations, mandataires and the
 * gestionnaires' drafts are untouched (they do not hang on the RL).
 */
export function createSuccessionService(deps: { db: Database; clock: Clock; mail?: MailService; publicUrl?: string }) {
  const { db, clock } = deps;
  const now = () => clock.now();
  const audit = (trx: Parameters<typeof recordAudit>[0], who: AuditActor, action: string, id: string, before: Record<string, string | null> | null, after: Record<string, string | null>) =>
    recordAudit(trx, { at: now(), actor: who, action, entityType: 'contract', entityId: id, before, after });

  const scoped = (actor: Actor, from: Kysely<DB> = db) => {
    const s = scopeOf(actor);
    return from
      .selectFrom('rlSuccession')
      .innerJoin('contract', 'contract.id', 'rlSuccession.contractId')
      .select(columns)
      .select(sql<string>`coalesce(contract.eg_finess, contract.ej_finess)`.as('entityFiness'))
      .$if(!s.all, (q) => q.where((eb) => eb.or([inList(eb, 'contract.ejFiness', s.manageEj), inList(eb, 'contract.egFiness', s.manageEj)])));
  };

  async function mailTo(trx: Parameters<typeof recordAudit>[0], to: string, finess: string, outcome: 'requested' | 'approved' | 'refused', key: string, reason?: string) {
    if (deps.mail && deps.publicUrl) await deps.mail.queueMail(trx, successionMail(to, finess, outcome, deps.publicUrl, reason), key);
  }

  return {
    async request(actor: Actor, entity: string, input: SuccessionInput) {
      if (actor.kind !== 'person' || !can(actor, 'rl.succession', { type: 'ej', ejFiness: entity })) {
        throw new ForbiddenError('Seuls le représentant légal, les mandataires de la structure et l’ANS désignent un nouveau représentant légal.');
      }
      const errors: FieldError[] = [];
      if (!emailPattern.test(input.rl.email.trim())) errors.push({ pointer: '/body/rl/email', detail: 'Adresse électronique non valide.' });
      if (input.rl.idnps && input.rl.idnps.trim() !== actor.idnps) errors.push({ pointer: '/body/rl/idnps', detail: 'Seul le nouveau représentant légal, connecté avec sa carte ou son e-CPS, peut indiquer son identifiant national.' });
      if (input.mieCguVersion !== mieCguVersion) errors.push({ pointer: '/body/mieCguVersion', detail: 'Le nouveau représentant légal doit prendre connaissance des conditions d’utilisation des moyens d’identification électronique en vigueur.' });
      if (errors.length > 0) throw new OnboardingValidationError(errors);
      return db.transaction().execute(async (trx) => {
        const contract = await activeContractOfEntity(trx, entity);
        if (!contract) throw new NoActiveContractError();
        const pending = await trx.selectFrom('rlSuccession').select('id').where('contractId', '=', contract.id).where('status', '=', 'pending').executeTakeFirst();
        if (pending) throw new SuccessionPendingError();
        const who = auditActorOf(actor);
        const row = await trx
          .insertInto('rlSuccession')
          .values({
            contractId: contract.id,
            status: 'pending',
            ...rlColumns(input.rl),
            mieCguVersion: input.mieCguVersion,
            reason: input.reason.trim(),
            requestedBy: who.id,
            requestedAt: now(),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await audit(trx, who, 'contract.rl-succession.request', contract.id, null, { successionId: row.id, status: 'pending' });
        await mailTo(trx, contract.rlEmail, entity, 'requested', `rl-succession-requested:${row.id}`);
        return (await scoped(actor, trx).where('rlSuccession.id', '=', row.id).executeTakeFirst())!;
      });
    },

    async list(actor: Actor, filter: { status?: 'pending' | 'approved' | 'refused' }) {
      if (actor.kind !== 'person') throw new ForbiddenError();
      return scoped(actor)
        .$if(filter.status !== undefined, (q) => q.where('rlSuccession.status', '=', filter.status!))
        .orderBy('rlSuccession.requestedAt')
        .limit(500)
        .execute();
    },

    /** ANS operator: the new RL takes over the contract (new CDE card, F101), nothing else changes. */
    async approve(actor: Actor, id: string) {
      if (!can(actor, 'contract.decide')) throw new ForbiddenError('Seuls les opérateurs de l’ANS valident la désignation d’un représentant légal.');
      return db.transaction().execute(async (trx) => {
        const s = await trx.selectFrom('rlSuccession').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
        if (!s) throw new SuccessionNotFoundError();
        if (s.status !== 'pending') throw new SuccessionStateError();
        const c = await trx.selectFrom('contract').selectAll().where('id', '=', s.contractId).forUpdate().executeTakeFirstOrThrow();
        if (c.status !== 'active') throw new NoActiveContractError();
        const entity = c.egFiness ?? c.ejFiness;
        const seq = await sql<{ n: number }>`select nextval('cde_card_seq')::int as n`.execute(trx);
        const cdeIdnps = `3${entity}/CDE${String(seq.rows[0]!.n).padStart(4, '0')}`;
        const who = auditActorOf(actor);
        const src = roleSource('contract', c.id);
        // The former RL's card and e-CPS lose the RL rights; the new RL gets them.
        await revokeRoles(trx, now(), src);
        const egs = c.egFiness ? [c.egFiness] : null;
        await grantRoles(trx, now(), src, cdeIdnps, 'legal_representative', c.ejFiness, egs);
        if (s.rlIdnps && s.rlIdnps !== cdeIdnps) await grantRoles(trx, now(), src, s.rlIdnps, 'legal_representative', c.ejFiness, egs);
        await trx
          .updateTable('contract')
          .set({
            rlCivility: s.rlCivility,
            rlFamilyName: s.rlFamilyName,
            rlGivenName: s.rlGivenName,
            rlEmail: s.rlEmail,
            rlPhone: s.rlPhone,
            rlIdnps: s.rlIdnps,
            rlCardMatricule: s.rlCardMatricule,
            mieCguVersion: s.mieCguVersion,
            mieCguAcceptedAt: s.requestedAt,
            cdeIdnps,
            updatedAt: now(),
            version: sql`version + 1`,
          })
          .where('id', '=', c.id)
          .execute();
        await trx
          .insertInto('cardOrder')
          .values({ ejFiness: c.ejFiness, form: 'F101', cardKind: 'CDE', holderIdnps: cdeIdnps, holderFamilyName: s.rlFamilyName, holderGivenName: s.rlGivenName, reference: s.rlCardMatricule, contractId: c.id, recordedBy: who.id, recordedAt: now() })
          .execute();
        await trx.updateTable('rlSuccession').set({ status: 'approved', decidedBy: who.id, decidedAt: now() }).where('id', '=', id).execute();
        await audit(trx, who, 'contract.rl-succession', c.id, { cdeIdnps: c.cdeIdnps, successionId: id }, { cdeIdnps, successionId: id });
        await audit(trx, who, 'card-order.f101', c.id, null, { form: 'F101', cardKind: 'CDE', holderIdnps: cdeIdnps });
        await mailTo(trx, s.rlEmail, entity, 'approved', `rl-succession-approved:${id}`);
        return (await scoped(actor, trx).where('rlSuccession.id', '=', id).executeTakeFirst())!;
      });
    },

    async refuse(actor: Actor, id: string, reason: string) {
      if (!can(actor, 'contract.decide')) throw new ForbiddenError('Seuls les opérateurs de l’ANS statuent sur la désignation d’un représentant légal.');
      return db.transaction().execute(async (trx) => {
        const s = await trx.selectFrom('rlSuccession').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
        if (!s) throw new SuccessionNotFoundError();
        if (s.status !== 'pending') throw new SuccessionStateError();
        const c = await trx.selectFrom('contract').select(['id', 'ejFiness', 'egFiness', 'rlEmail']).where('id', '=', s.contractId).executeTakeFirstOrThrow();
        const who = auditActorOf(actor);
        await trx.updateTable('rlSuccession').set({ status: 'refused', decidedBy: who.id, decidedAt: now(), decisionReason: reason.trim() }).where('id', '=', id).execute();
        await audit(trx, who, 'contract.rl-succession.refuse', c.id, { successionId: id, status: 'pending' }, { successionId: id, status: 'refused' });
        await mailTo(trx, s.rlEmail, c.egFiness ?? c.ejFiness, 'refused', `rl-succession-refused:${id}`, reason.trim());
        return (await scoped(actor, trx).where('rlSuccession.id', '=', id).executeTakeFirst())!;
      });
    },
  };
}
