import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { recordAudit } from '../../audit.ts';
import type { Config } from '../../config.ts';
import type { Clock } from '../../context.ts';
import { type Database, isUniqueViolation } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { FieldError } from '../../errors.ts';
import type { JobQueue } from '../../jobs/index.ts';
import type { MailService } from '../../mail/service.ts';
import { checkFiness } from '../../identifiers.ts';
import { cachedCode } from '../referential/code-cache.ts';
import { duplicateProbe } from './duplicates.ts';
import { classifyCandidates, duplicateDecision, inScope } from './duplicate-candidates.ts';
import { EgOutOfScopeError, IdentityAlreadyRegisteredError, RegisterValidationError, SituationAlreadyExistsError } from './errors.ts';
import { registrationMail } from './mails.ts';
import { findDuplicateCandidates } from './queries.ts';
import { personCreatedAudit, personValues, personVersionValues, situationCreatedAudit, situationValues } from './registration-rows.ts';
import { candidatesAndPreparation, type SubmissionKey, writeRegistration } from './registration-write.ts';
import { publishedPayload } from './situation-view.ts';
import type { Actor, ContactInput, EgScope, EtatCivil, EtatCivilInput, Situation, SituationInput } from './types.ts';
import { isIsoDate, throwIfErrors, type RegisterValidation } from './validation.ts';

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

const constraintOf = (err: { constraint?: string; detail?: string; message?: string }) =>
  err.constraint ?? `${err.detail ?? ''} ${err.message ?? ''}`;

export function translateUniqueViolation(err: unknown, contactBase: string): unknown {
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

/** What registering needs: the register service's dependencies and its validation. */
export interface RegistrationDeps {
  db: Database;
  clock: Clock;
  config: Pick<Config, 'rppsRange'> & Partial<Pick<Config, 'publicUrl'>>;
  mail?: MailService;
  jobs?: JobQueue;
  validation: RegisterValidation;
}

/** Appends a register event (the outbox of the directory publication and the e-CPS invitations). */
export async function emitRegisterEvent(trx: Kysely<DB>, at: Date, type: string, personId: string, situationId: string | null, payload: Record<string, unknown>) {
  await trx.insertInto('registerEvent').values({ type, personId, situationId, payload: JSON.stringify(payload), occurredAt: at }).execute();
}

/**
 * A registration's transaction: `BEGIN` and its first statement in one round trip. Registrations
 * of people born the same day are serialized (an advisory lock on the birth date), so two
 * submissions of the same person (two tabs) cannot both pass the duplicate check; the lock is
 * taken before the duplicate check's statement starts (its snapshot then sees the other's
 * commit). With an idempotency key the same statement claims it: a concurrent submission with
 * the same key waits on the claim until the first one commits, then claims nothing and takes no
 * lock, and the next statement reads the first one's outcome (`candidatesAndPreparation`).
 * The two statements go as one simple-protocol query, which carries no parameters: the values
 * are literals quoted by node-postgres (`escapeLiteral`), the birth date a checked ISO date.
 */
function firstStatement(birthDate: string, submission: SubmissionKey | undefined, at: Date) {
  if (!isIsoDate(birthDate)) throw new Error('registration: unchecked birth date');
  const lock = `pg_advisory_xact_lock(hashtext(${pg.escapeLiteral(`person-birth:${birthDate}`)}))`;
  if (!submission) return `SELECT ${lock}`;
  return `WITH claim AS (
      INSERT INTO registration_submission (actor_id, idempotency_key, created_at)
      VALUES (${pg.escapeLiteral(submission.actorId)}, ${pg.escapeLiteral(submission.idempotencyKey)}, ${pg.escapeLiteral(at.toISOString())}::timestamptz)
      ON CONFLICT (actor_id, idempotency_key) DO NOTHING RETURNING actor_id)
    SELECT ${lock} FROM claim`;
}

/**
 * Use case: register a professional (the wizard's submission, a validated pre-registration
 * request, a bulk import's row when its batch cannot go set-based): number, person, situation,
 * history, audit, event, mail and identity check in one transaction.
 */
export function createRegisterProfessional(deps: RegistrationDeps) {
  const { db, clock, config, validation } = deps;
  const now = () => clock.now();
  const emit = (trx: Kysely<DB>, type: string, personId: string, situationId: string | null, payload: Record<string, unknown>) =>
    emitRegisterEvent(trx, now(), type, personId, situationId, payload);

  /** Exact and likely duplicates of an identity in the register, decided by `matchIdentity` (unmasked: internal). */
  async function findDuplicates(executor: Kysely<DB>, etatCivil: EtatCivil, scope: EgScope) {
    return classifyCandidates(etatCivil, await findDuplicateCandidates(executor, duplicateProbe(etatCivil)), scope);
  }

  async function checkNewSituationScope(scope: EgScope, raw: string | null | undefined, pointer: string) {
    const finess = raw ? checkFiness(raw) : undefined;
    if (finess?.valid && !inScope(scope, finess.finess)) throw new EgOutOfScopeError(pointer);
  }

  async function insertSituation(trx: Kysely<DB>, actor: Actor, personId: string, s: Situation) {
    const row = await trx.insertInto('situation').values(situationValues({ personId, situation: s, actor, at: now() })).returningAll().executeTakeFirstOrThrow();
    await recordAudit(trx, situationCreatedAudit(row, actor, now()));
    return row;
  }

  /** `run` in a transaction whose `BEGIN` travels with `first` (`firstStatement`); rolled back if anything fails. */
  async function inTransactionAfter<T>(first: string, run: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
    return db.connection().execute(async (conn) => {
      try {
        await sql.raw(`BEGIN; ${first}`).execute(conn);
        const result = await run(conn);
        await sql.raw('COMMIT').execute(conn);
        return result;
      } catch (err) {
        await sql.raw('ROLLBACK').execute(conn).catch(() => undefined);
        throw err;
      }
    });
  }

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
    // A submission made again after its twin (double click, two tabs) committed fails the rules
    // (its person now holds this e-mail and mobile) or, if it passes them, finds the key claimed in
    // the transaction: either way it answers the first outcome. So the key is read only then.
    try {
      await checkNewSituationScope(scope, input.situation.egFiness, '/body/situation/egFiness');
    } catch (err) {
      const twin = await earlierSubmission(actor, input.idempotencyKey);
      if (twin) return twin;
      throw err;
    }
    // Before the transaction: the rules may read the database (pool) beyond what they prefetch.
    const { etatCivil, contact, situation, errors } = await validation.checkRegistration(input);
    if (errors.length > 0) {
      const twin = await earlierSubmission(actor, input.idempotencyKey);
      if (twin) return twin;
    }
    throwIfErrors(errors);
    const e = etatCivil.value!;
    const c = contact.value!;
    const s = situation.value!;

    const submission = input.idempotencyKey ? { actorId: actor.id, idempotencyKey: input.idempotencyKey } : undefined;
    try {
      return await inTransactionAfter(firstStatement(e.birthDate, submission, now()), async (trx) => {
        // The duplicate candidates and the preparation of the number in one statement (registration-write.ts),
        // with the outcome of a twin submission that committed first (then its key was not claimed).
        const found = await candidatesAndPreparation(trx, duplicateProbe(e), s.egFiness, config.rppsRange, now(), options.knownRpps, submission);
        if (found.earlier) return found.earlier;
        const { declared, outOfScope, toReview } = duplicateDecision(classifyCandidates(e, found.candidates, scope), input);
        // Number, person, version, situation, audit rows and event: one statement (registration-write.ts).
        const prepared = await found.prepare();
        const { rpps } = prepared;
        const identityStatus = toReview ? 'to_review' : 'to_verify';
        const at = now();
        const sit = { ...situationValues({ personId: '', situation: s, actor, at }), endDate: null, endReason: null, status: 'active' as const };
        const { personId: _unset, ...situationRow } = sit;
        const { entityId: _person, ...personAudit } = personCreatedAudit({ personId: '', rpps, identityStatus, notDuplicateOf: [...declared], outOfScopeCandidates: outOfScope.length, actor, at });
        const { entityId: _situation, ...situationAuditEntry } = situationCreatedAudit({ ...sit, id: '' }, actor, at);
        const { personId, situationId } = await writeRegistration(trx, {
          at,
          ledgerWritten: prepared.ledgerWritten,
          person: personValues({ rpps, etatCivil: e, contact: c, identityDocumentId: input.identityDocumentId ?? null, contactEjFiness: prepared.contactEjFiness, toReview, actor, at }),
          version: { actorId: actor.id, actorKind: actor.kind, after: personVersionValues({ personId: '', etatCivil: e, contact: c, identityStatus, actor, at }).after },
          situation: situationRow,
          audit: { person: personAudit, situation: situationAuditEntry },
          event: { type: 'registration.created', payload: ({ situationId: id }) => publishedPayload(rpps, { ...sit, id }) },
          submission: input.idempotencyKey ? { actorId: actor.id, idempotencyKey: input.idempotencyKey } : undefined,
        });
        // Outbox: the mail and the identity check commit with the person, or not at all.
        if (deps.mail) {
          // What registrationSummaryOf would read back, from what was just written (labels: the referential in memory).
          const label = async (kind: 'profession' | 'role', code: string) => (await cachedCode(db, kind, code))?.label ?? code;
          const summary = {
            rpps,
            email: c.email,
            mobile: c.mobile,
            egFiness: s.egFiness,
            egName: prepared.egName,
            profession: await label('profession', s.professionCode),
            role: await label('role', s.roleCode),
            exerciseLastName: sit.exerciseLastName,
            exerciseFirstName: sit.exerciseFirstName,
          };
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

  return { registerProfessional, findDuplicates, checkNewSituationScope, insertSituation, emit };
}
