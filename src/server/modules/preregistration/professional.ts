import type { Kysely, Updateable } from 'kysely';
import type { Actor as AuthActor, PersonActor } from '../../auth/actor.ts';
import { todayOf } from '../../calendar.ts';
import { isUniqueViolation } from '../../db/database.ts';
import type { DB, PreregistrationTable as Preregistration } from '../../db/schema.ts';
import type { SituationInput } from '../register/types.ts';
import { rppsCguVersion } from '../../../shared/terms.ts';
import type { PreregistrationContext } from './context.ts';
import { EgNotOnboardedError, PreregistrationInvalidError, RequestAlreadyOpenError, RequestNotEditableError } from './errors.ts';
import { onboardedEg, searchOnboardedEg } from './queries.ts';
import type { DraftInput } from './types.ts';

/**
 * The professional's side, signed in with FranceConnect: his requests, drafted, sent to an
 * onboarded EG and withdrawn; the état civil always comes from FranceConnect, never from a body.
 */
export function professionalUseCases(context: PreregistrationContext) {
  const { db, clock, register, now, professional, fcEtatCivil, etatCivilView, view, ownRow, cleanDraft, notifyNewRequest } = context;

  /**
   * Changes one of the professional's own requests while it is in one of the `from` states: the
   * `WHERE` checks owner and state again, so a request sent or decided meanwhile is refused (409).
   */
  async function changeOwn(trx: Kysely<DB>, pro: PersonActor, id: string, from: Preregistration['status'][], values: Updateable<Preregistration>) {
    const row = await trx
      .updateTable('preregistration')
      .set((eb) => ({ ...values, version: eb('version', '+', 1), updatedAt: now() }))
      .where('id', '=', id)
      .where('accountId', '=', pro.accountId)
      .where('status', 'in', from)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new RequestNotEditableError();
    return row;
  }

  return {
    /** The professional's home: his FranceConnect état civil (read-only) and his requests. */
    async me(actor: AuthActor) {
      const pro = professional(actor);
      const rows = await db
        .selectFrom('preregistration')
        .leftJoin('structure', 'structure.finess', 'preregistration.egFiness')
        .selectAll('preregistration')
        .select('structure.name as egName')
        .where('preregistration.accountId', '=', pro.accountId)
        .orderBy('preregistration.createdAt', 'desc')
        .execute();
      return { etatCivil: await etatCivilView(await fcEtatCivil(pro)), requests: await Promise.all(rows.map(view)) };
    },

    async establishments(actor: AuthActor, q: string, limit: number) {
      professional(actor);
      return searchOnboardedEg(db, q, todayOf(clock), limit);
    },

    async createDraft(actor: AuthActor, input: DraftInput) {
      const pro = professional(actor);
      const draft = cleanDraft(input);
      const etatCivil = await fcEtatCivil(pro);
      const at = now();
      try {
        const row = await db
          .insertInto('preregistration')
          .values({
            accountId: pro.accountId,
            status: 'draft',
            etatCivil: JSON.stringify(etatCivil),
            contact: JSON.stringify(draft.contact),
            situation: JSON.stringify(draft.situation),
            termsAcceptedAt: input.termsAccepted ? at : null,
            cguVersion: input.termsAccepted ? rppsCguVersion : null,
            createdAt: at,
            updatedAt: at,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return view(row);
      } catch (err) {
        if (isUniqueViolation(err)) throw new RequestAlreadyOpenError();
        throw err;
      }
    },

    async get(actor: AuthActor, id: string) {
      return view(await ownRow(professional(actor), id));
    },

    async updateDraft(actor: AuthActor, id: string, input: DraftInput) {
      const pro = professional(actor);
      const draft = cleanDraft(input);
      await ownRow(pro, id);
      // The état civil is re-read from FranceConnect, never from the body.
      const etatCivil = JSON.stringify(await fcEtatCivil(pro));
      const row = await changeOwn(db, pro, id, ['draft'], {
        etatCivil,
        contact: JSON.stringify(draft.contact),
        situation: JSON.stringify(draft.situation),
        termsAcceptedAt: input.termsAccepted ? now() : null,
        cguVersion: input.termsAccepted ? rppsCguVersion : null,
      });
      return view(row);
    },

    /** Sends the request: every rule of the register checked by the register's own validation. */
    async submit(actor: AuthActor, id: string) {
      const pro = professional(actor);
      const row = await ownRow(pro, id);
      if (row.status !== 'draft') throw new RequestNotEditableError();
      const etatCivil = await fcEtatCivil(pro);
      const { validation } = register;
      const ec = await validation.checkEtatCivil(etatCivil, '/etatCivil');
      // Already registered (same identity): his own contact data are not "another person's".
      const existing = ec.value ? (await register.checkDuplicatesNationally(etatCivil)).exact[0] : undefined;
      const existingPerson = existing ? await db.selectFrom('person').select('id').where('rpps', '=', existing.rpps).executeTakeFirst() : undefined;
      const contact = await validation.checkContact(row.contact as never, '/body/contact', { exceptPersonId: existingPerson?.id });
      const s = row.situation as DraftInput['situation'];
      const situationInput: SituationInput = {
        egFiness: s?.egFiness,
        professionCode: s?.professionCode,
        roleCode: s?.roleCode,
        modeCode: 'S',
        startDate: s?.startDate,
        exerciseLastName: s?.exerciseLastName,
        exerciseFirstName: s?.exerciseFirstName,
      };
      const situation = await validation.checkSituation(situationInput, '/body/situation', {
        birthDate: ec.value?.birthDate,
        defaultLastName: etatCivil.birthName,
        defaultFirstName: etatCivil.firstNames?.[0],
      });
      const errors = [...ec.errors, ...contact.errors, ...situation.errors];
      if (!row.termsAcceptedAt) errors.push({ pointer: '/body/termsAccepted', detail: 'Acceptez les conditions d’utilisation pour envoyer la demande.' });
      if (errors.length > 0) throw new PreregistrationInvalidError(errors);
      const eg = await onboardedEg(db, situation.value!.egFiness, todayOf(clock));
      if (!eg || !eg.ejFiness) throw new EgNotOnboardedError('/body/situation/egFiness');

      const updated = await db.transaction().execute(async (trx) => {
        const done = await changeOwn(trx, pro, id, ['draft'], {
          status: 'pending',
          etatCivil: JSON.stringify(etatCivil),
          contact: JSON.stringify(contact.value),
          situation: JSON.stringify({ ...situationInput, egFiness: eg.finess }),
          egFiness: eg.finess,
          ejFiness: eg.ejFiness,
          submittedAt: now(),
        });
        await notifyNewRequest(trx, eg.ejFiness!, eg.finess);
        return done;
      });
      return view({ ...updated, egName: eg.name });
    },

    async withdraw(actor: AuthActor, id: string) {
      const pro = professional(actor);
      await ownRow(pro, id);
      return view(await changeOwn(db, pro, id, ['draft', 'pending'], { status: 'withdrawn' }));
    },
  };
}
