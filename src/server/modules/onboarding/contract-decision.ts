import { sql } from 'kysely';
import { auditActorOf } from '../../audit.ts';
import type { Actor } from '../../auth/actor.ts';
import { can } from '../../auth/policy.ts';
import { contractAudit, deny, type OnboardingContext, source } from './context.ts';
import { ContractStateError, EntityNotContractableError, OnboardingValidationError } from './errors.ts';
import { terminatedMail } from './mails.ts';

/**
 * An ANS operator's decisions on a contract: activation (CDE card, RL roles), refusal, and the
 * termination that ends every role the contract gave.
 */
export function contractDecisionUseCases(context: OnboardingContext) {
  const { db, now, audit, grantRoles, revokeRoles, assertContractable, readableContract, lockedContract, revokeHabilitationIn } = context;

  return {
    /**
     * Activation by an ANS operator: the RL receives his CDE card (order F101 recorded, IDNPS of
     * the card 3<EJ>/CDE<n>), which carries the RL, mandataire and gestionnaire rights on the EJ.
     */
    async activateContract(actor: Actor, id: string) {
      return db.transaction().execute(async (trx) => {
        const visible = await readableContract(trx, actor, id);
        if (!can(actor, 'contract.decide', { type: 'contract', ejFiness: visible.ejFiness, requestedBy: visible.requestedBy, status: visible.status })) deny();
        const before = await lockedContract(trx, id);
        if (before.status !== 'submitted') throw new ContractStateError(before.status, 'activer');
        await assertContractable(trx, before.egFiness ?? before.ejFiness).catch((e: unknown) => {
          if (e instanceof EntityNotContractableError) throw new EntityNotContractableError('closed', '/params/id');
          throw e;
        });
        const seq = await sql<{ n: number }>`select nextval('cde_card_seq')::int as n`.execute(trx);
        const cdeIdnps = `3${before.egFiness ?? before.ejFiness}/CDE${String(seq.rows[0]!.n).padStart(4, '0')}`;
        const who = auditActorOf(actor);
        const after = await trx
          .updateTable('contract')
          .set({ status: 'active', cdeIdnps, decidedBy: who.id, decidedAt: now(), decisionReason: null, updatedAt: now(), version: sql`version + 1` })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('cardOrder')
          .values({
            ejFiness: before.ejFiness,
            form: 'F101',
            cardKind: 'CDE',
            holderIdnps: cdeIdnps,
            holderFamilyName: before.rlFamilyName,
            holderGivenName: before.rlGivenName,
            reference: null,
            contractId: id,
            recordedBy: who.id,
            recordedAt: now(),
          })
          .execute();
        const src = source('contract', id);
        // An EG-level contract gives rights on that EG only (issue 16).
        const egs = before.egFiness ? [before.egFiness] : null;
        await grantRoles(trx, src, cdeIdnps, 'legal_representative', before.ejFiness, egs);
        // The RL may also sign in with the card or e-CPS he already has.
        if (before.rlIdnps && before.rlIdnps !== cdeIdnps) await grantRoles(trx, src, before.rlIdnps, 'legal_representative', before.ejFiness, egs);
        await audit(trx, who, 'contract.activate', 'contract', id, contractAudit(before), contractAudit(after));
        await audit(trx, who, 'card-order.f101', 'contract', id, null, { form: 'F101', cardKind: 'CDE', holderIdnps: cdeIdnps });
        return readableContract(trx, actor, id);
      });
    },

    async refuseContract(actor: Actor, id: string, reason: string) {
      return db.transaction().execute(async (trx) => {
        const visible = await readableContract(trx, actor, id);
        if (!can(actor, 'contract.decide', { type: 'contract', ejFiness: visible.ejFiness, requestedBy: visible.requestedBy, status: visible.status })) deny();
        const before = await lockedContract(trx, id);
        if (before.status !== 'submitted') throw new ContractStateError(before.status, 'refuser');
        if (!reason.trim()) throw new OnboardingValidationError([{ pointer: '/body/reason', detail: 'Le motif du refus est obligatoire.' }]);
        const who = auditActorOf(actor);
        const after = await trx
          .updateTable('contract')
          .set({ status: 'refused', decisionReason: reason.trim(), decidedBy: who.id, decidedAt: now(), updatedAt: now(), version: sql`version + 1` })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await audit(trx, who, 'contract.refuse', 'contract', id, contractAudit(before), contractAudit(after));
        return readableContract(trx, actor, id);
      });
    },

    /** End of the contract: every role it gave (RL, mandataires, gestionnaires) ends with it. */
    async terminateContract(actor: Actor, id: string, reason: string) {
      return db.transaction().execute(async (trx) => {
        const visible = await readableContract(trx, actor, id);
        if (!can(actor, 'contract.terminate', { type: 'contract', ejFiness: visible.ejFiness, requestedBy: visible.requestedBy, status: visible.status })) deny();
        const before = await lockedContract(trx, id);
        if (before.status !== 'active') throw new ContractStateError(before.status, 'résilier');
        if (!reason.trim()) throw new OnboardingValidationError([{ pointer: '/body/reason', detail: 'Le motif de la résiliation est obligatoire.' }]);
        const who = auditActorOf(actor);
        const after = await trx
          .updateTable('contract')
          .set({ status: 'terminated', decisionReason: reason.trim(), terminatedAt: now(), updatedAt: now(), version: sql`version + 1` })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await revokeRoles(trx, source('contract', id));
        const habs = await trx
          .selectFrom('habilitation')
          .select('id')
          .where('ejFiness', '=', before.ejFiness)
          .where('status', '=', 'active')
          // An EG-level contract ends the habilitations on its EG only.
          .$if(before.egFiness !== null, (q) => q.where((eb) => eb.exists(eb.selectFrom('habilitationEg as x').select('x.egFiness').whereRef('x.habilitationId', '=', 'habilitation.id').where('x.egFiness', '=', before.egFiness!))))
          .execute();
        for (const h of habs) await revokeHabilitationIn(trx, who, h.id, 'contract-terminated');
        const mands = await trx.selectFrom('mandataire').select('id').where('ejFiness', '=', before.egFiness ?? before.ejFiness).where('revokedAt', 'is', null).execute();
        for (const m of mands) {
          await trx.updateTable('mandataire').set({ revokedAt: now(), revokedBy: who.id }).where('id', '=', m.id).execute();
          await revokeRoles(trx, source('mandataire', m.id));
          await audit(trx, who, 'mandataire.revoke', 'mandataire', m.id, { active: true }, { active: false, reason: 'contract-terminated' });
        }
        await audit(trx, who, 'contract.terminate', 'contract', id, contractAudit(before), contractAudit(after));
        // Issue 16, item 6: the RL is told; the professionals stay published (docs/onboarding-and-policy.md).
        if (context.deps.mail && context.deps.publicUrl) await context.deps.mail.queueMail(trx, terminatedMail(before.rlEmail, before.egFiness ?? before.ejFiness, reason.trim(), context.deps.publicUrl), `contract-terminated:${id}`);
        return readableContract(trx, actor, id);
      });
    },
  };
}
