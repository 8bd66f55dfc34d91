import { createHash, randomBytes } from 'node:crypto';
import { type Kysely, type Selectable } from 'kysely';
import { recordAudit } from '../../audit.ts';
import { todayOf } from '../../calendar.ts';
import type { Config } from '../../config.ts';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import type { DB, PersonTable, SituationStatus, SituationTable } from '../../db/schema.ts';
import type { FieldError } from '../../errors.ts';
import type { JobQueue } from '../../jobs/index.ts';
import type { MailService } from '../../mail/service.ts';
import { isValidRpps } from '../../identifiers.ts';
import { toSearchText } from '../../search-text.ts';
import { type Candidate, candidateView } from './duplicate-candidates.ts';
import { PersonNotFoundError, RegisterValidationError, SituationNotActiveError, SituationNotFoundError } from './errors.ts';
import { checkName, nameKey, normalizeName } from './names.ts';
import { exerciseNameDefaults, findSituationInScope, searchSituations } from './queries.ts';
import { createRegisterProfessional, translateUniqueViolation } from './register-professional.ts';
import { publishedPayload, situationAudit, toSituationView } from './situation-view.ts';
import type { Actor, EgScope, EtatCivilInput, SituationInput } from './types.ts';
import { createRegisterValidation, isIsoDate, throwIfErrors } from './validation.ts';
import { newStructureMail } from './mails.ts';

/** The stored form of a "ce n'est pas moi" token (the token itself is only in the e-mail). */
export const hashReportToken = (token: string) => createHash('sha256').update(token).digest('hex');

export const endReasons = ['departure', 'interim-end', 'subcontract-end', 'error'] as const;
export type EndReason = (typeof endReasons)[number];

export type { RegistrationInput, RegistrationOptions, RegistrationResult } from './register-professional.ts';
export { toSituationView } from './situation-view.ts';

/** What the real portal asks to find a registered professional (DOMAIN.md, "Find"). */
export interface IdentityProbe {
  rpps: string;
  birthName: string;
  firstName: string;
  sexe: string;
  birthDate: string;
}

export interface ProfessionalSearch {
  q?: string;
  professionCode?: string;
  roleCode?: string;
  egFiness?: string;
  status?: SituationStatus;
  page?: number;
  pageSize?: number;
}

type SituationRow = Selectable<SituationTable>;
type PersonRow = Selectable<PersonTable>;

export interface RegisterServiceDeps {
  db: Database;
  clock: Clock;
  config: Pick<Config, 'rppsRange'> & Partial<Pick<Config, 'publicUrl'>>;
  /** Outbox mail: the registration e-mail is queued in the registering transaction. */
  mail?: MailService;
  /** Background jobs: the identity verification is enqueued in the registering transaction. */
  jobs?: JobQueue;
}

export function createRegisterService(deps: RegisterServiceDeps) {
  const { db, clock, config } = deps;
  const validation = createRegisterValidation(deps);
  const now = () => clock.now();
  const { registerProfessional, findDuplicates, checkNewSituationScope, insertSituation, emit } = createRegisterProfessional({ ...deps, validation });

  /** The person behind an RPPS number, when the identity given matches; otherwise not found. */
  async function findByIdentity(executor: Kysely<DB>, probe: IdentityProbe): Promise<PersonRow> {
    const rpps = probe.rpps?.replace(/\s+/g, '');
    if (!rpps || !isValidRpps(rpps)) {
      throw new RegisterValidationError([{ pointer: '/body/identity/rpps', detail: 'Le numéro RPPS comporte 11 chiffres (clé de Luhn incluse).' }]);
    }
    const person = await executor.selectFrom('person').selectAll().where('rpps', '=', rpps).executeTakeFirst();
    const birthName = checkName(probe.birthName, 'nom');
    const firstName = checkName(probe.firstName, 'prénom');
    const matches =
      person &&
      birthName.ok &&
      firstName.ok &&
      nameKey(person.birthName) === nameKey(birthName.value) &&
      person.firstNames.some((f) => nameKey(f) === nameKey(firstName.value)) &&
      person.sexe === probe.sexe &&
      person.birthDate === probe.birthDate;
    // Same answer whichever part differs: the form must not reveal a person's traits.
    if (!matches) throw new PersonNotFoundError();
    return person;
  }

  /**
   * A structure that had no situation of this person adds one (issue 15, item 4): the professional
   * is told by e-mail, in the same transaction, with a link to say "ce n'est pas moi" (a one-use
   * token, stored hashed; see situation-reports.ts).
   */
  async function tellOfNewStructure(trx: Kysely<DB>, actor: Actor, person: PersonRow, sit: SituationRow) {
    const ej = (await trx.selectFrom('structure').select(['ejFiness']).where('finess', '=', sit.egFiness).executeTakeFirst())?.ejFiness;
    if (!ej) return;
    const known = await trx
      .selectFrom('situation')
      .innerJoin('structure', 'structure.finess', 'situation.egFiness')
      .select('situation.id')
      .where('situation.personId', '=', person.id)
      .where('situation.id', '<>', sit.id)
      .where('situation.status', '<>', 'deleted')
      .where('structure.ejFiness', '=', ej)
      .executeTakeFirst();
    if (known) return;
    const token = randomBytes(24).toString('base64url');
    const report = await trx
      .insertInto('situationReport')
      .values({ tokenHash: hashReportToken(token), personId: person.id, situationId: sit.id, ejFiness: ej, createdAt: now() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { at: now(), actor, action: 'situation.new-structure-notified', entityType: 'situation', entityId: sit.id, after: { rpps: person.rpps, ejFiness: ej, reportId: report.id } });
    if (deps.mail) {
      await deps.mail.queueMail(trx, newStructureMail({ to: person.email, rpps: person.rpps, token, publicUrl: config.publicUrl }), `situation-new-structure:${sit.id}`);
    }
  }

  /** The EJ of these EG. */
  async function structuresOf(egs: string[]): Promise<string[]> {
    if (egs.length === 0) return [];
    const rows = await db.selectFrom('structure').select('ejFiness').where('finess', 'in', egs).execute();
    return rows.flatMap((r) => (r.ejFiness ? [r.ejFiness] : []));
  }

  async function loadSituation(scope: EgScope, id: string) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new SituationNotFoundError();
    const row = await findSituationInScope(db, id, scope);
    if (!row) throw new SituationNotFoundError();
    return row;
  }

  async function changeSituation(
    actor: Actor,
    before: SituationRow & { rpps: string },
    set: Partial<Pick<SituationRow, 'egFiness' | 'roleCode' | 'startDate' | 'endDate' | 'endReason' | 'status'>>,
    action: string,
    event: string | null,
  ) {
    return db.transaction().execute(async (trx) => {
      const after = await trx
        .updateTable('situation')
        .set((eb) => ({ ...set, version: eb('version', '+', 1), updatedAt: now() }))
        .where('id', '=', before.id)
        .where('version', '=', before.version)
        .returningAll()
        .executeTakeFirst();
      // Someone changed it meanwhile: refuse rather than overwrite blindly.
      if (!after) throw new SituationNotActiveError();
      await recordAudit(trx, { at: now(), actor, action, entityType: 'situation', entityId: after.id, before: situationAudit(before), after: situationAudit(after) });
      if (event) await emit(trx, event, after.personId, after.id, publishedPayload(before.rpps, after));
      return toSituationView(after);
    });
  }

  function checkEnd(input: { endDate: string; reason: string }, startDate: string, when: 'past' | 'future') {
    const errors: FieldError[] = [];
    const today = todayOf(clock);
    if (!input.endDate || !isIsoDate(input.endDate)) errors.push({ pointer: '/body/endDate', detail: 'Date attendue au format AAAA-MM-JJ.' });
    else if (input.endDate < startDate) {
      errors.push({ pointer: '/body/endDate', detail: `La date de fin ne peut pas précéder la date de prise de fonction (${startDate}).` });
    } else if (when === 'past' && input.endDate > today) {
      errors.push({ pointer: '/body/endDate', detail: 'Pour une date de fin future, programmez la fin de la situation.' });
    } else if (when === 'future' && input.endDate <= today) {
      errors.push({ pointer: '/body/endDate', detail: 'Une fin programmée doit être postérieure à aujourd’hui ; sinon, terminez la situation.' });
    }
    if (!endReasons.includes(input.reason as EndReason)) {
      errors.push({ pointer: '/body/reason', detail: 'Motif attendu : départ, fin d’intérim, fin de sous-traitance ou erreur.' });
    }
    throwIfErrors(errors);
  }

  return {
    validation,
    registerProfessional,

    /**
     * Duplicates of an identity, for the wizard to warn before the last step, as `scope` may see
     * them (out of scope: no number, name or birth year).
     */
    async checkDuplicates(input: EtatCivilInput, scope: EgScope) {
      const e = await validation.validateEtatCivil(input, '/body');
      const found = await findDuplicates(db, e, scope);
      return { exact: found.exact.map(candidateView), likely: found.likely.map(candidateView) };
    },

    /**
     * Duplicates with their numbers whatever the scope: only for identities the caller did not
     * type (a pre-registration's état civil comes from FranceConnect), so no oracle.
     */
    async checkDuplicatesNationally(input: EtatCivilInput) {
      const e = await validation.validateEtatCivil(input, '/body');
      const found = await findDuplicates(db, e, 'all');
      const identified = (c: Candidate) => ({ ...candidateView(c), rpps: c.rpps, birthYear: Number(c.birthDate.slice(0, 4)) });
      return { exact: found.exact.map(identified), likely: found.likely.map(identified) };
    },

    /** Confirms an identity for a gestionnaire adding a situation: the number and nothing else. */
    async identifyProfessional(probe: IdentityProbe) {
      const person = await findByIdentity(db, probe);
      return { rpps: person.rpps };
    },

    async addSituation(
      actor: Actor,
      scope: EgScope,
      input: { identity: IdentityProbe; situation: SituationInput },
      options: { within?: (trx: Kysely<DB>, result: { rpps: string; situationId: string; personId: string }) => Promise<void> } = {},
    ) {
      const person = await findByIdentity(db, input.identity);
      await checkNewSituationScope(scope, input.situation.egFiness, '/body/situation/egFiness');
      const s = await validation.validateSituation(input.situation, '/body/situation', {
        birthDate: person.birthDate,
        ...(await exerciseNameDefaults(db, person)),
      });
      try {
        return await db.transaction().execute(async (trx) => {
          const sit = await insertSituation(trx, actor, person.id, s);
          await emit(trx, 'situation.created', person.id, sit.id, publishedPayload(person.rpps, sit));
          await tellOfNewStructure(trx, actor, person, sit);
          await options.within?.(trx, { rpps: person.rpps, situationId: sit.id, personId: person.id });
          return { rpps: person.rpps, situationId: sit.id };
        });
      } catch (err) {
        throw translateUniqueViolation(err, '/body/contact');
      }
    },

    async updateSituation(actor: Actor, scope: EgScope, id: string, patch: { roleCode?: string; egFiness?: string; startDate?: string }) {
      const before = await loadSituation(scope, id);
      if (before.status !== 'active') throw new SituationNotActiveError();
      const errors: FieldError[] = [];
      const set: Partial<SituationRow> = {};
      let openedOn: string | null | undefined;
      if (patch.egFiness !== undefined) {
        await checkNewSituationScope(scope, patch.egFiness, '/body/egFiness');
        const eg = await validation.checkEg(patch.egFiness, '/body/egFiness', errors);
        if (eg) {
          set.egFiness = eg.finess;
          openedOn = eg.openedOn;
        }
      } else {
        openedOn = (await db.selectFrom('structure').select('openedOn').where('finess', '=', before.egFiness).executeTakeFirst())?.openedOn;
      }
      if (patch.roleCode !== undefined) {
        const role = await validation.code('role', patch.roleCode, todayOf(clock), '/body/roleCode', 'Le rôle', errors);
        if (role) set.roleCode = role;
      }
      if (patch.startDate !== undefined || set.egFiness) {
        const start = validation.checkStartDate(patch.startDate ?? before.startDate, { openedOn, birthDate: before.birthDate }, '/body/startDate', errors);
        if (start && patch.startDate !== undefined) set.startDate = start;
        if (start && before.endDate && start > before.endDate) {
          errors.push({ pointer: '/body/startDate', detail: `La date de prise de fonction ne peut pas suivre la date de fin programmée (${before.endDate}).` });
        }
      }
      throwIfErrors(errors);
      try {
        return await changeSituation(actor, before, set, 'situation.update', 'situation.updated');
      } catch (err) {
        throw translateUniqueViolation(err, '/body');
      }
    },

    /** Ends a situation today or at a past date: it stops being active at once (PSC access ends). */
    async endSituation(actor: Actor, scope: EgScope, id: string, input: { endDate: string; reason: EndReason }) {
      const before = await loadSituation(scope, id);
      if (before.status !== 'active') throw new SituationNotActiveError();
      checkEnd(input, before.startDate, 'past');
      return changeSituation(actor, before, { endDate: input.endDate, endReason: input.reason, status: 'ended' }, 'situation.end', 'situation.ended');
    },

    /** Records a future end date; `applyScheduledEnds` ends the situation on that day. */
    async scheduleEnd(actor: Actor, scope: EgScope, id: string, input: { endDate: string; reason: EndReason }) {
      const before = await loadSituation(scope, id);
      if (before.status !== 'active') throw new SituationNotActiveError();
      checkEnd(input, before.startDate, 'future');
      return changeSituation(actor, before, { endDate: input.endDate, endReason: input.reason }, 'situation.schedule-end', 'situation.end-scheduled');
    },

    /** A situation entered by mistake: kept for the audit trail, gone from every list and publication. */
    async deleteSituation(actor: Actor, scope: EgScope, id: string) {
      const before = await loadSituation(scope, id);
      return changeSituation(actor, before, { status: 'deleted' }, 'situation.delete', 'situation.deleted');
    },

    /** Run daily by a job: ends the situations whose scheduled end date has come. */
    async applyScheduledEnds(actor: Actor = { id: 'job:register.scheduled-ends', kind: 'job' }) {
      const today = todayOf(clock);
      return db.transaction().execute(async (trx) => {
        const ended = await trx
          .updateTable('situation')
          .set((eb) => ({ status: 'ended', version: eb('version', '+', 1), updatedAt: now() }))
          .where('status', '=', 'active')
          .where('endDate', '<=', today)
          .returningAll()
          .execute();
        for (const s of ended) {
          const rpps = (await trx.selectFrom('person').select('rpps').where('id', '=', s.personId).executeTakeFirstOrThrow()).rpps;
          await recordAudit(trx, { at: now(), actor, action: 'situation.end', entityType: 'situation', entityId: s.id, before: situationAudit({ ...s, status: 'active' }), after: situationAudit(s) });
          await emit(trx, 'situation.ended', s.personId, s.id, publishedPayload(rpps, s));
        }
        return { ended: ended.length };
      });
    },

    async searchProfessionals(_actor: Actor, scope: EgScope, query: ProfessionalSearch) {
      const page = Math.max(1, query.page ?? 1);
      const pageSize = Math.min(100, Math.max(1, query.pageSize ?? 20));
      const q = (query.q ?? '').trim();
      const compact = q.replace(/\s+/g, '');
      const isRpps = /^\d{11}$/.test(compact);
      const { rows, total } = await searchSituations(
        db,
        scope,
        {
          words: isRpps ? [] : toSearchText(q).split(' ').filter(Boolean),
          rpps: isRpps ? compact : undefined,
          professionCode: query.professionCode,
          roleCode: query.roleCode,
          egFiness: query.egFiness,
          status: query.status,
        },
        pageSize,
        (page - 1) * pageSize,
      );
      return { items: rows.map((r) => ({ rpps: r.rpps, ...toSituationView(r) })), total, page, pageSize };
    },

    /**
     * A person as his structure sees him: état civil, only the situations in scope, and the
     * contact only for the structure it was entered for (issue 15): another structure where he
     * also works sees `contactMasked: true` and no e-mail or mobile.
     */
    async getPerson(_actor: Actor, scope: EgScope, rpps: string) {
      const person = await db.selectFrom('person').selectAll().where('rpps', '=', rpps).executeTakeFirst();
      if (!person) throw new PersonNotFoundError();
      let q = db.selectFrom('situation').selectAll().where('personId', '=', person.id).where('status', '<>', 'deleted');
      if (scope !== 'all') q = scope.length === 0 ? q.where((eb) => eb.val(false)) : q.where('egFiness', 'in', [...scope]);
      const situations = await q.orderBy('startDate', 'desc').execute();
      // No situation in scope: the person does not exist for this gestionnaire (no data, 404).
      if (situations.length === 0) throw new PersonNotFoundError();
      const contactVisible = scope === 'all' || (person.contactEjFiness !== null && (await structuresOf(situations.map((x) => x.egFiness))).includes(person.contactEjFiness));
      return {
        rpps: person.rpps,
        identityStatus: person.identityStatus,
        etatCivil: {
          civilite: person.civilite,
          sexe: person.sexe,
          birthName: person.birthName,
          usageName: person.usageName,
          firstNames: person.firstNames,
          birthDate: person.birthDate,
          birthCountryCode: person.birthCountryCode,
          birthCommuneCode: person.birthCommuneCode,
          birthPlace: person.birthPlace,
        },
        contact: contactVisible ? { email: person.email, mobile: person.mobile } : { email: null, mobile: null },
        contactMasked: !contactVisible,
        situations: situations.map(toSituationView),
      };
    },
  };
}
export type RegisterService = ReturnType<typeof createRegisterService>;
export { normalizeName };
