import { createHash, randomBytes } from 'node:crypto';
import { type Kysely, type Selectable, sql } from 'kysely';
import { recordAudit } from '../../audit.ts';
import type { Config } from '../../config.ts';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import type { DB, PersonTable, SituationStatus, SituationTable } from '../../db/schema.ts';
import type { FieldError } from '../../errors.ts';
import type { JobQueue } from '../../jobs/index.ts';
import type { MailService } from '../../mail/service.ts';
import { checkFiness, isValidRpps } from '../../identifiers.ts';
import { toSearchText } from '../../search-text.ts';
import { duplicateProbe, matchIdentity } from './duplicates.ts';
import {
  type DuplicateCandidate,
  DuplicatePersonError,
  EgOutOfScopeError,
  IdentityAlreadyRegisteredError,
  PersonNotFoundError,
  RegisterValidationError,
  SituationAlreadyExistsError,
  SituationNotActiveError,
  SituationNotFoundError,
} from './errors.ts';
import { checkName, firstNamesKey, identityKey, nameKey, normalizeName } from './names.ts';
import { exerciseNameDefaults, findDuplicateCandidates, registrationSummaryOf, findSituationInScope, searchSituations } from './queries.ts';
import { prepareRegistration, writeRegistration } from './registration-write.ts';
import type { Actor, ContactInput, EgScope, EtatCivil, EtatCivilInput, SituationInput } from './types.ts';
import { createRegisterValidation, isIsoDate, throwIfErrors, todayOf } from './validation.ts';
import { newStructureMail, registrationMail } from './mails.ts';

/** The stored form of a "ce n'est pas moi" token (the token itself is only in the e-mail). */
export const hashReportToken = (token: string) => createHash('sha256').update(token).digest('hex');

export const endReasons = ['departure', 'interim-end', 'subcontract-end', 'error'] as const;
export type EndReason = (typeof endReasons)[number];

export interface RegistrationInput {
  etatCivil: EtatCivilInput;
  contact: ContactInput;
  situation: SituationInput;
  /** The same key submitted twice (double click, two tabs) yields one person and one number. */
  idempotencyKey?: string;
  /**
   * RPPS numbers of likely duplicates the gestionnaire has checked and declared to be other
   * people. Never applies to an exact identity match.
   */
  notDuplicateOf?: string[];
  /** The copy of the identity document, already stored (FileStore) in `stored_file`. */
  identityDocumentId?: string;
  /**
   * The gestionnaire was told that a close identity outside his scope is already registered and
   * goes on: the person is registered and his identity sent to ANS review (`to_review`).
   */
  outOfScopeAcknowledged?: boolean;
}

export interface RegistrationOptions {
  /** More work in the registering transaction (e.g. clearing the wizard draft). */
  within?: (trx: Kysely<DB>, result: RegistrationResult) => Promise<void>;
  /**
   * A number the national RPPS already issued to this person (the demo e-CPS identities of
   * fixtures/identities.json): taken as is, and marked as taken like an allocated one.
   */
  knownRpps?: string;
}

export interface RegistrationResult {
  personId: string;
  rpps: string;
  situationId: string;
}

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

const inScope = (scope: EgScope, eg: string) => scope === 'all' || scope.includes(eg);

/** The published / structure-visible part of a situation: the one place rows become objects. */
export function toSituationView(s: Pick<SituationRow, 'id' | 'egFiness' | 'professionCode' | 'roleCode' | 'modeCode' | 'exerciseLastName' | 'exerciseFirstName' | 'startDate' | 'endDate' | 'endReason' | 'status'>) {
  return {
    id: s.id,
    egFiness: s.egFiness,
    professionCode: s.professionCode,
    roleCode: s.roleCode,
    modeCode: s.modeCode,
    exerciseLastName: s.exerciseLastName,
    exerciseFirstName: s.exerciseFirstName,
    startDate: s.startDate,
    endDate: s.endDate,
    endReason: s.endReason,
    status: s.status,
  };
}

/** Audit values of a situation: its published view without the id (the audit row's entity). */
const situationAudit = (s: Parameters<typeof toSituationView>[0]) => {
  const { id: _id, ...values } = toSituationView(s);
  return values;
};

function isUniqueViolation(err: unknown): err is { code: string; constraint?: string; detail?: string } {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}

const constraintOf = (err: { constraint?: string; detail?: string; message?: string }) =>
  err.constraint ?? `${err.detail ?? ''} ${err.message ?? ''}`;

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

  async function emit(trx: Kysely<DB>, type: string, personId: string, situationId: string | null, payload: Record<string, unknown>) {
    await trx
      .insertInto('registerEvent')
      .values({ type, personId, situationId, payload: JSON.stringify(payload), occurredAt: now() })
      .execute();
  }

  /**
   * A candidate as the caller may see it: identified only when the person has a situation in the
   * caller's scope; otherwise "a close identity is already registered" and nothing else (issue 15).
   */
  const candidateView = (c: Candidate): DuplicateCandidate => {
    if (!c.inScope) return { inScope: false, rpps: null, exerciseLastName: null, exerciseFirstName: null, birthYear: null };
    const [last, first] = c.exerciseName?.split('|') ?? [];
    return { inScope: true, rpps: c.rpps, exerciseLastName: last ?? null, exerciseFirstName: first ?? null, birthYear: Number(c.birthDate.slice(0, 4)) };
  };
  interface Candidate {
    rpps: string;
    birthDate: string;
    exerciseName: string | null;
    inScope: boolean;
  }

  /** Exact and likely duplicates of an identity in the register, decided by `matchIdentity` (unmasked: internal). */
  async function findDuplicates(executor: Kysely<DB>, etatCivil: EtatCivil, scope: EgScope) {
    const rows = await findDuplicateCandidates(executor, duplicateProbe(etatCivil));
    const exact: Candidate[] = [];
    const likely: Candidate[] = [];
    for (const row of rows) {
      const kind = matchIdentity(etatCivil, row);
      const candidate = { rpps: row.rpps, birthDate: row.birthDate, exerciseName: row.exerciseName, inScope: row.egs.some((eg) => inScope(scope, eg)) };
      if (kind === 'exact') exact.push(candidate);
      else if (kind === 'likely') likely.push(candidate);
    }
    return { exact, likely };
  }

  async function checkNewSituationScope(scope: EgScope, raw: string | null | undefined, pointer: string) {
    const finess = raw ? checkFiness(raw) : undefined;
    if (finess?.valid && !inScope(scope, finess.finess)) throw new EgOutOfScopeError(pointer);
  }

  async function insertSituation(trx: Kysely<DB>, actor: Actor, personId: string, rpps: string, s: Awaited<ReturnType<typeof validation.validateSituation>>) {
    const row = await trx
      .insertInto('situation')
      .values({
        personId,
        egFiness: s.egFiness,
        professionCode: s.professionCode,
        roleCode: s.roleCode,
        modeCode: s.modeCode,
        exerciseLastName: s.exerciseLastName,
        exerciseFirstName: s.exerciseFirstName,
        searchText: toSearchText(s.exerciseLastName, s.exerciseFirstName),
        startDate: s.startDate,
        createdBy: actor.id,
        createdAt: now(),
        updatedAt: now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { at: now(), actor, action: 'situation.create', entityType: 'situation', entityId: row.id, after: situationAudit(row) });
    return row;
  }

  const publishedPayload = (rpps: string, s: Parameters<typeof toSituationView>[0]) => ({ rpps, situationId: s.id, ...situationAudit(s) });

  /** The outcome of an earlier submission with the same idempotency key, if it committed. */
  async function earlierSubmission(actor: Actor, idempotencyKey: string | undefined): Promise<RegistrationResult | undefined> {
    if (!idempotencyKey) return undefined;
    const done = await db
      .selectFrom('registrationSubmission')
      .select(['personId', 'rpps', 'situationId'])
      .where('actorId', '=', actor.id)
      .where('idempotencyKey', '=', idempotencyKey)
      .executeTakeFirst();
    return done?.rpps ? { personId: done.personId!, rpps: done.rpps, situationId: done.situationId! } : undefined;
  }

  async function registerProfessional(actor: Actor, scope: EgScope, input: RegistrationInput, options: RegistrationOptions = {}): Promise<RegistrationResult> {
    const earlier = await earlierSubmission(actor, input.idempotencyKey);
    if (earlier) return earlier;
    await checkNewSituationScope(scope, input.situation.egFiness, '/body/situation/egFiness');

    const etatCivil = await validation.checkEtatCivil(input.etatCivil, '/body/etatCivil');
    const contact = await validation.checkContact(input.contact, '/body/contact');
    const situation = await validation.checkSituation(input.situation, '/body/situation', {
      birthDate: etatCivil.value?.birthDate,
      defaultLastName: input.etatCivil.birthName,
      defaultFirstName: input.etatCivil.firstNames?.[0],
    });
    const errors = [...etatCivil.errors, ...contact.errors, ...situation.errors];
    if (errors.length > 0) {
      // A twin submission (double click, two tabs) may have committed since the first look: its
      // person now holds this e-mail and mobile. It is the same registration, not a conflict.
      const twin = await earlierSubmission(actor, input.idempotencyKey);
      if (twin) return twin;
    }
    throwIfErrors(errors);
    const e = etatCivil.value!;
    const c = contact.value!;
    const s = situation.value!;

    try {
      return await db.transaction().execute(async (trx) => {
        if (input.idempotencyKey) {
          // A concurrent submission with the same key waits here until the first one commits.
          const claimed = await trx
            .insertInto('registrationSubmission')
            .values({ actorId: actor.id, idempotencyKey: input.idempotencyKey, createdAt: now() })
            .onConflict((oc) => oc.columns(['actorId', 'idempotencyKey']).doNothing())
            .returning('actorId')
            .executeTakeFirst();
          if (!claimed) {
            const done = await trx
              .selectFrom('registrationSubmission')
              .select(['personId', 'rpps', 'situationId'])
              .where('actorId', '=', actor.id)
              .where('idempotencyKey', '=', input.idempotencyKey)
              .executeTakeFirstOrThrow();
            return { personId: done.personId!, rpps: done.rpps!, situationId: done.situationId! };
          }
        }
        // Registrations of people born the same day are serialized, so two submissions of the
        // same person (two tabs) cannot both pass the duplicate check.
        await sql`SELECT pg_advisory_xact_lock(hashtext(${`person-birth:${e.birthDate}`}))`.execute(trx);
        const duplicates = await findDuplicates(trx, e, scope);
        if (duplicates.exact.length > 0) throw new IdentityAlreadyRegisteredError(duplicates.exact.map(candidateView));
        // A number known to the caller may be declared a different person (it names nobody new).
        const declared = new Set(input.notDuplicateOf ?? []);
        const likely = duplicates.likely.filter((d) => !declared.has(d.rpps));
        const outOfScope = likely.filter((d) => !d.inScope);
        if (likely.some((d) => d.inScope) || (outOfScope.length > 0 && !input.outOfScopeAcknowledged)) throw new DuplicatePersonError(likely.map(candidateView));
        // Registered despite a close identity he may not see: ANS checks it (identity review).
        const toReview = outOfScope.length > 0;
        // Number, person, version, situation, audit rows and event: two statements (registration-write.ts).
        const prepared = await prepareRegistration(trx, s.egFiness, config.rppsRange, now(), options.knownRpps);
        const { rpps } = prepared;
        const identityStatus = toReview ? ('to_review' as const) : ('to_verify' as const);
        const sit = {
          egFiness: s.egFiness,
          professionCode: s.professionCode,
          roleCode: s.roleCode,
          modeCode: s.modeCode,
          exerciseLastName: s.exerciseLastName,
          exerciseFirstName: s.exerciseFirstName,
          startDate: s.startDate,
          endDate: null,
          endReason: null,
          status: 'active' as const,
        };
        const written = await writeRegistration(trx, {
          at: now(),
          ledgerWritten: prepared.ledgerWritten,
          person: {
            rpps,
            civilite: e.civilite,
            sexe: e.sexe,
            birthName: e.birthName,
            usageName: e.usageName,
            firstNames: e.firstNames,
            birthDate: e.birthDate,
            birthCountryCode: e.birthCountryCode,
            birthCommuneCode: e.birthCommuneCode,
            birthPlace: e.birthPlace,
            email: c.email,
            mobile: c.mobile,
            identityDocumentId: input.identityDocumentId ?? null,
            contactEjFiness: prepared.contactEjFiness,
            ...(toReview ? { identityStatus, identityCheckReasons: ['possible-duplicate'] } : {}),
            birthNameKey: nameKey(e.birthName),
            usageNameKey: e.usageName ? nameKey(e.usageName) : null,
            firstNamesKey: firstNamesKey(e.firstNames),
            identityKey: identityKey(e),
            createdBy: actor.id,
            createdAt: now(),
            updatedAt: now(),
          },
          version: { actorId: actor.id, actorKind: actor.kind, after: JSON.stringify({ ...e, ...c, identityStatus }) },
          situation: { ...sit, searchText: toSearchText(s.exerciseLastName, s.exerciseFirstName), createdBy: actor.id, createdAt: now(), updatedAt: now() },
          audit: {
            person: {
              at: now(),
              actor,
              action: 'person.create',
              entityType: 'person',
              after: { rpps, identityStatus, notDuplicateOf: [...declared], outOfScopeCandidates: outOfScope.length },
            },
            situation: { at: now(), actor, action: 'situation.create', entityType: 'situation', after: situationAudit({ ...sit, id: '' }) },
          },
          event: { type: 'registration.created', payload: ({ situationId }) => publishedPayload(rpps, { ...sit, id: situationId }) },
          submission: input.idempotencyKey ? { actorId: actor.id, idempotencyKey: input.idempotencyKey } : undefined,
        });
        const { personId, situationId } = written;
        // Outbox: the mail and the identity check commit with the person, or not at all.
        if (deps.mail) {
          const summary = await registrationSummaryOf(trx, situationId, c);
          await deps.mail.queueMail(trx, registrationMail({ to: c.email, summary, publicUrl: config.publicUrl }), `registration-created:${personId}`);
        }
        if (deps.jobs && !toReview) await deps.jobs.enqueue(trx, 'register.verify-identity', { personId });
        const result = { personId, rpps, situationId };
        await options.within?.(trx, result);
        return result;
      });
    } catch (err) {
      throw translateUniqueViolation(err, '/body/contact');
    }
  }

  function translateUniqueViolation(err: unknown, contactBase: string): unknown {
    if (!isUniqueViolation(err)) return err;
    const where = constraintOf(err);
    const errors: FieldError[] = [];
    if (where.includes('email')) errors.push({ pointer: `${contactBase}/email`, detail: 'Cette adresse électronique est déjà utilisée par une autre personne.' });
    if (where.includes('mobile')) errors.push({ pointer: `${contactBase}/mobile`, detail: 'Ce numéro de téléphone mobile est déjà utilisé par une autre personne.' });
    if (errors.length > 0) return new RegisterValidationError(errors);
    if (where.includes('identity_key')) return new IdentityAlreadyRegisteredError([]);
    if (where.includes('situation_active_key')) return new SituationAlreadyExistsError();
    return err;
  }

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
          const sit = await insertSituation(trx, actor, person.id, person.rpps, s);
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
