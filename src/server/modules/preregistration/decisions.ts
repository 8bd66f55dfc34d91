import type { Kysely } from 'kysely';
import type { Actor as AuthActor } from '../../auth/actor.ts';
import { registerEgScope, type Scope, scopeOf } from '../../auth/policy.ts';
import type { DB } from '../../db/schema.ts';
import { registrationMail } from '../register/mails.ts';
import { registrationSummaryOf } from '../register/queries.ts';
import type { EtatCivilInput, SituationInput } from '../register/types.ts';
import { checkDeclarations } from '../register/validation.ts';
import type { PreregistrationContext } from './context.ts';
import { PreregistrationInvalidError, PreregistrationNotFoundError, RequestAlreadyDecidedError } from './errors.ts';
import { refuseEtatCivil, text } from './etat-civil.ts';
import { rejectedMail } from './mails.ts';
import { countPending, findInScope, hasQueueScope, pendingInScope } from './queries.ts';
import type { ValidateInput } from './types.ts';

/**
 * The gestionnaire's side, "Demandes à traiter": the queue of his scope, a request and its
 * possible duplicates, and the decision (validation through the register, or refusal).
 */
export function gestionnaireUseCases(context: PreregistrationContext) {
  const { db, config, register, now, view, gestionnaire, decidedMeanwhile } = context;

  /** A request of the gestionnaire's scope, or 404 (one outside it is not revealed). */
  async function requestInScope(scope: Scope, id: string) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new PreregistrationNotFoundError();
    const row = await findInScope(db, scope, id);
    if (!row) throw new PreregistrationNotFoundError();
    return row;
  }

  return {
    /** "Demandes à traiter": pending requests of his scope, oldest first. */
    async queue(actor: AuthActor) {
      const { scope } = await gestionnaire(actor);
      const rows = await pendingInScope(db, scope)
        .selectAll('preregistration')
        .select('structure.name as egName')
        .orderBy('preregistration.submittedAt', 'asc')
        .orderBy('preregistration.id')
        .limit(500)
        .execute();
      return { items: await Promise.all(rows.map(view)) };
    },

    async pendingCount(actor: AuthActor) {
      if (actor.kind !== 'person' || !hasQueueScope(scopeOf(actor))) return { pending: 0 };
      return { pending: await countPending(db, scopeOf(actor)) };
    },

    async detail(actor: AuthActor, id: string) {
      const { scope } = await gestionnaire(actor);
      const row = await requestInScope(scope, id);
      const v = await view(row);
      const duplicates = row.status === 'pending' ? await register.checkDuplicatesNationally(row.etatCivil as EtatCivilInput).catch(() => ({ exact: [], likely: [] })) : { exact: [], likely: [] };
      return { ...v, existingRpps: duplicates.exact[0]?.rpps ?? null, likelyDuplicates: duplicates.likely };
    },

    /**
     * Validates a pending request: a new person and number, or a new situation for a person already
     * registered — through the register service (same rules, same duplicate check), and in its
     * transaction the request is marked validated (only if still pending) and the professional's
     * mail is queued. A concurrent decision makes the `UPDATE … WHERE status = 'pending'` find
     * nothing: everything rolls back and the loser gets a 409.
     */
    async validate(actor: AuthActor, id: string, input: ValidateInput) {
      // The role first: a stranger's body is not even looked at.
      const { scope, me } = await gestionnaire(actor);
      refuseEtatCivil(input);
      const row = await requestInScope(scope, id);
      if (row.status !== 'pending') throw new RequestAlreadyDecidedError();
      const missing = checkDeclarations(input.declarations, '/body/declarations');
      if (missing.length > 0) throw new PreregistrationInvalidError(missing);

      const egScope = await registerEgScope(db, actor);
      const s = row.situation as SituationInput;
      const situation: SituationInput = {
        // A request from a bulk-import file may carry exercise names too.
        ...s,
        egFiness: s.egFiness,
        professionCode: input.professionCode ?? s.professionCode,
        roleCode: input.roleCode ?? s.roleCode,
        modeCode: 'S',
        startDate: input.startDate ?? s.startDate,
        exerciseLastName: input.exerciseLastName?.trim() || s.exerciseLastName,
        exerciseFirstName: input.exerciseFirstName?.trim() || s.exerciseFirstName,
      };
      const etatCivil = row.etatCivil as EtatCivilInput;
      const contact = row.contact as { email: string; mobile: string };

      const markValidated = async (trx: Kysely<DB>, result: { rpps: string; situationId: string }, newPerson: boolean) => {
        const done = await trx
          .updateTable('preregistration')
          .set((eb) => ({
            status: 'validated',
            situation: JSON.stringify(situation),
            decidedAt: now(),
            decidedBy: me.id,
            rpps: result.rpps,
            situationId: result.situationId,
            version: eb('version', '+', 1),
            updatedAt: now(),
          }))
          .where('id', '=', id)
          .where('status', '=', 'pending')
          .returning('id')
          .executeTakeFirst();
        if (!done) throw new RequestAlreadyDecidedError();
        if (context.deps.mail) {
          // The same summary as case 1 (seed 000): number, contact, EG, profession, role, exercise names.
          const summary = await registrationSummaryOf(trx, result.situationId, contact);
          const mail = registrationMail({ to: contact.email, summary, publicUrl: config.publicUrl, kind: newPerson ? 'preregistration-validated' : 'situation-added' });
          await context.deps.mail.queueMail(trx, mail, `preregistration-validated:${id}`);
        }
      };

      try {
        const exact = (await register.checkDuplicatesNationally(etatCivil)).exact[0];
        if (exact) {
          const added = await register.addSituation(
            me,
            egScope,
            {
              identity: { rpps: exact.rpps, birthName: etatCivil.birthName!, firstName: etatCivil.firstNames![0]!, sexe: etatCivil.sexe!, birthDate: etatCivil.birthDate! },
              situation,
            },
            { within: (trx, r) => markValidated(trx, r, false) },
          );
          return { status: 'validated' as const, rpps: added.rpps, situationId: added.situationId, newPerson: false };
        }
        const created = await register.registerProfessional(
          me,
          egScope,
          { etatCivil, contact, situation, notDuplicateOf: input.notDuplicateOf ?? [] },
          { within: (trx, r) => markValidated(trx, r, true) },
        );
        return { status: 'validated' as const, rpps: created.rpps, situationId: created.situationId, newPerson: true };
      } catch (err) {
        if (err instanceof RequestAlreadyDecidedError) throw err;
        // Lost a race (the winner's person or situation now exists): the outcome is the winner's.
        if (await decidedMeanwhile(id)) throw new RequestAlreadyDecidedError();
        throw err;
      }
    },

    async reject(actor: AuthActor, id: string, input: { reason?: string }) {
      // The role first: a stranger's body is not even looked at.
      const { scope, me } = await gestionnaire(actor);
      refuseEtatCivil(input);
      const row = await requestInScope(scope, id);
      const reason = text(input.reason);
      if (reason.length < 5 || reason.length > 1000) {
        throw new PreregistrationInvalidError([{ pointer: '/body/reason', detail: 'Le motif du refus est obligatoire (5 à 1 000 caractères) : il est transmis au professionnel.' }]);
      }
      return db.transaction().execute(async (trx) => {
        const done = await trx
          .updateTable('preregistration')
          .set((eb) => ({ status: 'rejected', rejectReason: reason, decidedAt: now(), decidedBy: me.id, version: eb('version', '+', 1), updatedAt: now() }))
          .where('id', '=', id)
          .where('status', '=', 'pending')
          .returningAll()
          .executeTakeFirst();
        if (!done) throw new RequestAlreadyDecidedError();
        const email = text((row.contact as { email?: string }).email);
        if (email) await context.deps.mail?.queueMail(trx, rejectedMail(email, reason, config.publicUrl), `preregistration-rejected:${id}`);
        return { status: 'rejected' as const };
      });
    },
  };
}
