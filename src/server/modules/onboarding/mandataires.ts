import { auditActorOf } from '../../audit.ts';
import type { Actor } from '../../auth/actor.ts';
import { can, scopeOf } from '../../auth/policy.ts';
import type { FieldError } from '../../errors.ts';
import { deny, type OnboardingContext, source } from './context.ts';
import { MandataireAlreadyDesignatedError, MandataireNotFoundError, OnboardingValidationError } from './errors.ts';
import { emailPattern, idnpsPattern } from './validation.ts';

/**
 * Mandataires designated by the legal representative (role on the contracting entity).
 */
export function mandataireUseCases(context: OnboardingContext) {
  const { db, now, audit, grantRoles, revokeRoles, entityContext } = context;

  return {
    async listMandataires(actor: Actor, ejFiness: string) {
      if (!can(actor, 'mandataire.read', { type: 'ej', ejFiness })) deny();
      const s = scopeOf(actor);
      return db
        .selectFrom('mandataire')
        .select(['id', 'ejFiness', 'idnps', 'familyName', 'givenName', 'email', 'createdAt', 'revokedAt'])
        .where('ejFiness', '=', ejFiness)
        .$if(!s.all, (q) => q.where('ejFiness', 'in', s.manageEj.length ? s.manageEj : ['']))
        .orderBy('createdAt')
        .execute();
    },

    async designateMandataire(actor: Actor, ejFiness: string, input: { idnps: string; familyName: string; givenName: string; email: string }) {
      if (!can(actor, 'mandataire.manage', { type: 'ej', ejFiness })) deny();
      const errors: FieldError[] = [];
      if (!idnpsPattern.test(input.idnps.trim())) errors.push({ pointer: '/body/idnps', detail: 'Identifiant national non valide.' });
      if (!emailPattern.test(input.email.trim())) errors.push({ pointer: '/body/email', detail: 'Adresse électronique non valide.' });
      if (errors.length > 0) throw new OnboardingValidationError(errors);
      return db.transaction().execute(async (trx) => {
        const ctx = await entityContext(trx, ejFiness);
        const existing = await trx.selectFrom('mandataire').select('id').where('ejFiness', '=', ejFiness).where('idnps', '=', input.idnps.trim()).where('revokedAt', 'is', null).executeTakeFirst();
        if (existing) throw new MandataireAlreadyDesignatedError();
        const who = auditActorOf(actor);
        const row = await trx
          .insertInto('mandataire')
          .values({ ejFiness, idnps: input.idnps.trim(), familyName: input.familyName.trim(), givenName: input.givenName.trim(), email: input.email.trim(), designatedBy: who.id, createdAt: now() })
          .returning(['id', 'ejFiness', 'idnps', 'familyName', 'givenName', 'email', 'createdAt', 'revokedAt'])
          .executeTakeFirstOrThrow();
        // mandataire.ej_finess is the contracting entity (the EG of an EG-level contract); the role is on (EJ, EG).
        await grantRoles(trx, source('mandataire', row.id), row.idnps, 'mandataire', ctx.ejFiness, ctx.egFiness ? [ctx.egFiness] : null);
        await audit(trx, who, 'mandataire.designate', 'mandataire', row.id, null, { ejFiness, idnps: row.idnps, active: true });
        return row;
      });
    },

    async revokeMandataire(actor: Actor, id: string) {
      return db.transaction().execute(async (trx) => {
        const s = scopeOf(actor);
        const row = await trx
          .selectFrom('mandataire')
          .selectAll()
          .where('id', '=', id)
          .$if(!s.all, (q) => q.where('ejFiness', 'in', s.manageEj.length ? s.manageEj : ['']))
          .forUpdate()
          .executeTakeFirst();
        if (!row) throw new MandataireNotFoundError();
        if (!can(actor, 'mandataire.manage', { type: 'ej', ejFiness: row.ejFiness })) deny();
        if (row.revokedAt) return { id, revoked: true };
        const who = auditActorOf(actor);
        await trx.updateTable('mandataire').set({ revokedAt: now(), revokedBy: who.id }).where('id', '=', id).execute();
        await revokeRoles(trx, source('mandataire', id));
        await audit(trx, who, 'mandataire.revoke', 'mandataire', id, { ejFiness: row.ejFiness, idnps: row.idnps, active: true }, { ejFiness: row.ejFiness, idnps: row.idnps, active: false });
        return { id, revoked: true };
      });
    },
  };
}
