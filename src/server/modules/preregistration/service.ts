import { createHash } from 'node:crypto';
import { type Kysely, type Selectable, sql } from 'kysely';
import { recordAudit } from '../../audit.ts';
import type { Actor as AuthActor, PersonActor } from '../../auth/actor.ts';
import { registerEgScope, scopeOf } from '../../auth/policy.ts';
import type { Config } from '../../config.ts';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import type { DB, PreregistrationTable } from '../../db/schema.ts';
import type { FieldError } from '../../errors.ts';
import type { JobQueue } from '../../jobs/index.ts';
import type { MailService } from '../../mail/service.ts';
import { etatCivilFields } from '../../personal-data.ts';
import { candidateBirthDates } from '../register/duplicates.ts';
import { createRegisterService } from '../register/service.ts';
import type { Actor, EtatCivilInput, SituationInput } from '../register/types.ts';
import { checkDeclarations, todayOf } from '../register/validation.ts';
import {
  EgNotOnboardedError,
  EtatCivilNotEditableError,
  FranceConnectRequiredError,
  PreregistrationForbiddenError,
  PreregistrationInvalidError,
  PreregistrationNotFoundError,
  RequestAlreadyDecidedError,
  RequestAlreadyOpenError,
  RequestAlreadyPendingError,
  RequestNotEditableError,
} from './errors.ts';
import { rppsCguVersion } from '../terms/versions.ts';
import { newRequestsMail, rejectedMail, reminderMail } from './mails.ts';
import { registrationMail } from '../register/mails.ts';
import { registrationSummaryOf } from '../register/queries.ts';
import {
  codeLabel,
  communeName,
  countPending,
  findInScope,
  gestionnaireEmails,
  hasQueueScope,
  legalRepresentativeEmails,
  onboardedEg,
  pendingInScope,
  pendingRequestFor,
  requestIdentity,
  searchOnboardedEg,
} from './queries.ts';

type Row = Selectable<PreregistrationTable>;

/** Fields of the état civil: they come from FranceConnect and are refused in any request body. */
export const etatCivilKeys = etatCivilFields;

/** Refuses, with every offending pointer, a body (or nested object) carrying état-civil data. */
export function refuseEtatCivil(body: unknown, base = '/body'): void {
  const errors: FieldError[] = [];
  // Iterative walk: a deeply nested body cannot overflow the stack (issue 15).
  const stack: [unknown, string][] = [[body, base]];
  while (stack.length > 0 && errors.length < 50) {
    const [value, pointer] = stack.pop()!;
    if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
    for (const [k, v] of Object.entries(value)) {
      if ((etatCivilKeys as readonly string[]).includes(k)) errors.push({ pointer: `${pointer}/${k}`, detail: 'L’état civil provient de FranceConnect et ne peut pas être modifié.' });
      else stack.push([v, `${pointer}/${k}`]);
    }
  }
  if (errors.length > 0) throw new EtatCivilNotEditableError(errors.sort((a, b) => (a.pointer < b.pointer ? -1 : 1)));
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/**
 * The FranceConnect pivot identity (OIDC.md "Claim formats") as the register's état civil:
 * `family_name` is the birth name, `preferred_username` the usage name, `given_name` every first
 * name, `birthplace` the COG code ("" when born abroad), `birthcountry` the 99xxx code.
 */
export function etatCivilFromFranceConnect(claims: Record<string, unknown>): EtatCivilInput {
  const female = text(claims.gender) === 'female';
  // Read back from the session's jsonb through CamelCasePlugin, the claim names may be camelCased.
  const claim = (snake: string, camel: string) => text(claims[snake] ?? claims[camel]);
  return {
    civilite: female ? 'MME' : 'M',
    sexe: female ? 'F' : 'M',
    birthName: claim('family_name', 'familyName'),
    usageName: claim('preferred_username', 'preferredUsername') || null,
    firstNames: claim('given_name', 'givenName').split(/\s+/).filter(Boolean),
    birthDate: text(claims.birthdate),
    birthCountryCode: text(claims.birthcountry),
    birthCommuneCode: text(claims.birthplace) || null,
    birthPlace: null,
  };
}

export interface DraftInput {
  contact?: { email?: string | null; mobile?: string | null };
  situation?: {
    egFiness?: string | null;
    professionCode?: string | null;
    roleCode?: string | null;
    startDate?: string | null;
    /** Blank: the birth name and first first name (seed 004). */
    exerciseLastName?: string | null;
    exerciseFirstName?: string | null;
  };
  termsAccepted?: boolean;
}

export interface ValidateInput {
  declarations: { accurateAndInformed: boolean; metInPerson: boolean };
  professionCode?: string;
  roleCode?: string;
  startDate?: string;
  /** The gestionnaire may set the exercise names at validation (issue 16). */
  exerciseLastName?: string;
  exerciseFirstName?: string;
  notDuplicateOf?: string[];
}

/** A request created from a row of a gestionnaire's bulk-import file ("pending requests" mode). */
export interface FileRequestInput {
  /** `bulk-import:<import id>:<row number>`: the same row processed twice yields the same request. */
  idempotencyKey: string;
  ejFiness: string;
  egFiness: string;
  etatCivil: EtatCivilInput;
  contact: { email: string | null | undefined; mobile: string | null | undefined };
  situation: SituationInput;
}

/**
 * Creates (once per idempotency key) a pending request in the gestionnaire's queue, inside the
 * caller's transaction, with its audit entry. The état civil comes from the file, not from
 * FranceConnect (`source = 'bulk-import'`): it is checked face to face at validation, and the
 * identity verification runs on the registered person like for any registration.
 * Returns the request id (the existing one when the key was already used); refuses a person who
 * already has another pending request in this EJ (`RequestAlreadyPendingError`).
 */
export async function createRequestFromFile(trx: Kysely<DB>, at: Date, actor: Actor, input: FileRequestInput): Promise<string> {
  const identity = requestIdentity(input.etatCivil);
  if (identity) {
    // Requests for people born the same days are serialized: two files cannot both queue a person.
    for (const day of candidateBirthDates(identity.birthDate).sort()) {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`preregistration-birth:${day}`}))`.execute(trx);
    }
    const pending = await pendingRequestFor(trx, input.ejFiness, identity, input.idempotencyKey);
    if (pending) throw new RequestAlreadyPendingError(pending.submittedOn);
  }
  const created = await trx
    .insertInto('preregistration')
    .values({
      accountId: null,
      source: 'bulk-import',
      idempotencyKey: input.idempotencyKey,
      status: 'pending',
      etatCivil: JSON.stringify(input.etatCivil),
      contact: JSON.stringify(input.contact),
      situation: JSON.stringify(input.situation),
      egFiness: input.egFiness,
      ejFiness: input.ejFiness,
      submittedAt: at,
      createdAt: at,
      updatedAt: at,
    })
    .onConflict((oc) => oc.column('idempotencyKey').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!created) {
    const existing = await trx.selectFrom('preregistration').select('id').where('idempotencyKey', '=', input.idempotencyKey).executeTakeFirstOrThrow();
    return existing.id;
  }
  await recordAudit(trx, {
    at,
    actor,
    action: 'preregistration.created-from-file',
    entityType: 'preregistration',
    entityId: created.id,
    // Where the request comes from and where it goes.
    after: { source: 'bulk-import', key: input.idempotencyKey, egFiness: input.egFiness },
  });
  return created.id;
}

export interface PreregistrationDeps {
  db: Database;
  clock: Clock;
  config: Pick<Config, 'rppsRange' | 'publicUrl' | 'preregistration'>;
  mail?: MailService;
  jobs?: JobQueue;
}

const dayMs = 86_400_000;
const digestWindowMs = 15 * 60_000;
const hashOf = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

export function createPreregistrationService(deps: PreregistrationDeps) {
  const { db, clock, config } = deps;
  // The register service without its own registration mail: the validation sends ours (with the number).
  const register = createRegisterService({ db, clock, config, ...(deps.jobs ? { jobs: deps.jobs } : {}) });
  const now = () => clock.now();
  const reminderMs = () => (config.preregistration?.reminderDays ?? 7) * dayMs;

  function professional(actor: AuthActor): PersonActor {
    if (actor.kind !== 'person' || actor.provider !== 'franceconnect') throw new FranceConnectRequiredError();
    return actor;
  }

  async function fcEtatCivil(actor: PersonActor): Promise<EtatCivilInput> {
    const row = await db.selectFrom('session').select('identity').where('id', '=', actor.sessionId).executeTakeFirst();
    const identity = typeof row?.identity === 'string' ? (JSON.parse(row.identity) as Record<string, unknown>) : (row?.identity ?? {});
    return etatCivilFromFranceConnect(identity);
  }

  /** The état civil for display, the birth place resolved from its INSEE code at the birth date. */
  async function etatCivilView(e: EtatCivilInput) {
    const commune = e.birthCommuneCode && e.birthDate ? await communeName(db, e.birthCommuneCode, e.birthDate) : undefined;
    return {
      civilite: e.civilite ?? '',
      sexe: e.sexe ?? '',
      birthName: e.birthName ?? '',
      usageName: e.usageName ?? null,
      firstNames: (e.firstNames ?? []).filter((f): f is string => !!f),
      birthDate: e.birthDate ?? '',
      birthCountryCode: e.birthCountryCode ?? '',
      birthCountry: e.birthCountryCode ? await codeLabel(db, 'country', e.birthCountryCode) : null,
      birthCommuneCode: e.birthCommuneCode ?? null,
      birthPlace: commune ? `${commune.name}${commune.departmentCode ? ` (${commune.departmentCode})` : ''}` : (e.birthPlace ?? null),
    };
  }

  const ageDays = (r: { submittedAt: Date | null }) => (r.submittedAt ? Math.floor((now().getTime() - new Date(r.submittedAt).getTime()) / dayMs) : 0);

  /** The one place rows become objects (STYLE.md): the professional's and the gestionnaire's view. */
  async function view(r: Row & { egName?: string | null }) {
    const s = r.situation as DraftInput['situation'];
    return {
      id: r.id,
      status: r.status,
      source: r.source,
      etatCivil: await etatCivilView(r.etatCivil as EtatCivilInput),
      contact: { email: text((r.contact as DraftInput['contact'])?.email), mobile: text((r.contact as DraftInput['contact'])?.mobile) },
      situation: {
        egFiness: s?.egFiness ?? null,
        egName: r.egName ?? null,
        professionCode: s?.professionCode ?? null,
        roleCode: s?.roleCode ?? null,
        startDate: s?.startDate ?? null,
        exerciseLastName: s?.exerciseLastName ?? null,
        exerciseFirstName: s?.exerciseFirstName ?? null,
      },
      termsAccepted: r.termsAcceptedAt !== null,
      submittedAt: r.submittedAt ? new Date(r.submittedAt).toISOString() : null,
      ageDays: ageDays(r),
      decidedAt: r.decidedAt ? new Date(r.decidedAt).toISOString() : null,
      rejectReason: r.rejectReason,
      rpps: r.rpps,
    };
  }

  async function ownRow(actor: PersonActor, id: string) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new PreregistrationNotFoundError();
    const row = await db
      .selectFrom('preregistration')
      .leftJoin('structure', 'structure.finess', 'preregistration.egFiness')
      .selectAll('preregistration')
      .select('structure.name as egName')
      .where('preregistration.id', '=', id)
      .where('preregistration.accountId', '=', actor.accountId)
      .executeTakeFirst();
    if (!row) throw new PreregistrationNotFoundError();
    return row;
  }

  function cleanDraft(input: DraftInput) {
    refuseEtatCivil(input);
    const c = input.contact ?? {};
    const s = input.situation ?? {};
    return {
      contact: { email: c.email ?? null, mobile: c.mobile ?? null },
      situation: {
        egFiness: s.egFiness ?? null,
        professionCode: s.professionCode ?? null,
        roleCode: s.roleCode ?? null,
        startDate: s.startDate ?? null,
        exerciseLastName: s.exerciseLastName ?? null,
        exerciseFirstName: s.exerciseFirstName ?? null,
      },
    };
  }

  /** Gestionnaires are told in a digest: one mail per recipient per 15-minute window, whatever the number of requests. */
  async function notifyNewRequest(trx: Kysely<DB>, ejFiness: string, egFiness: string) {
    if (!deps.mail) return;
    const window = Math.floor(now().getTime() / digestWindowMs);
    for (const to of await gestionnaireEmails(trx, ejFiness, egFiness)) {
      await deps.mail.queueMail(trx, newRequestsMail(to, config.publicUrl), `preregistration-new:${hashOf(to)}:${window}`);
    }
  }

  async function gestionnaire(actor: AuthActor) {
    if (actor.kind !== 'person') throw new PreregistrationForbiddenError();
    const scope = scopeOf(actor);
    if (!hasQueueScope(scope)) throw new PreregistrationForbiddenError();
    const me: Actor = { id: `account:${actor.accountId}`, kind: scope.all ? 'operator' : 'gestionnaire' };
    return { scope, me };
  }

  async function decidedMeanwhile(id: string) {
    const row = await db.selectFrom('preregistration').select('status').where('id', '=', id).executeTakeFirst();
    return row?.status !== 'pending';
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
        if ((err as { code?: string }).code === '23505') throw new RequestAlreadyOpenError();
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
      const row = await db
        .updateTable('preregistration')
        .set((eb) => ({
          etatCivil,
          contact: JSON.stringify(draft.contact),
          situation: JSON.stringify(draft.situation),
          termsAcceptedAt: input.termsAccepted ? now() : null,
          cguVersion: input.termsAccepted ? rppsCguVersion : null,
          version: eb('version', '+', 1),
          updatedAt: now(),
        }))
        .where('id', '=', id)
        .where('accountId', '=', pro.accountId)
        .where('status', '=', 'draft')
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new RequestNotEditableError();
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
        const done = await trx
          .updateTable('preregistration')
          .set((eb) => ({
            status: 'pending',
            etatCivil: JSON.stringify(etatCivil),
            contact: JSON.stringify(contact.value),
            situation: JSON.stringify({ ...situationInput, egFiness: eg.finess }),
            egFiness: eg.finess,
            ejFiness: eg.ejFiness,
            submittedAt: now(),
            version: eb('version', '+', 1),
            updatedAt: now(),
          }))
          .where('id', '=', id)
          .where('accountId', '=', pro.accountId)
          .where('status', '=', 'draft')
          .returningAll()
          .executeTakeFirst();
        if (!done) throw new RequestNotEditableError();
        await notifyNewRequest(trx, eg.ejFiness!, eg.finess);
        return done;
      });
      return view({ ...updated, egName: eg.name });
    },

    async withdraw(actor: AuthActor, id: string) {
      const pro = professional(actor);
      await ownRow(pro, id);
      const row = await db
        .updateTable('preregistration')
        .set((eb) => ({ status: 'withdrawn', version: eb('version', '+', 1), updatedAt: now() }))
        .where('id', '=', id)
        .where('accountId', '=', pro.accountId)
        .where('status', 'in', ['draft', 'pending'])
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new RequestNotEditableError();
      return view(row);
    },

    // ——— Gestionnaire ———

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
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw new PreregistrationNotFoundError();
      const row = await findInScope(db, scope, id);
      if (!row) throw new PreregistrationNotFoundError();
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
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw new PreregistrationNotFoundError();
      const row = await findInScope(db, scope, id);
      if (!row) throw new PreregistrationNotFoundError();
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
        if (deps.mail) {
          // The same summary as case 1 (seed 000): number, contact, EG, profession, role, exercise names.
          const summary = await registrationSummaryOf(trx, result.situationId, contact);
          const mail = registrationMail({ to: contact.email, summary, publicUrl: config.publicUrl, kind: newPerson ? 'preregistration-validated' : 'situation-added' });
          await deps.mail.queueMail(trx, mail, `preregistration-validated:${id}`);
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
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw new PreregistrationNotFoundError();
      const row = await findInScope(db, scope, id);
      if (!row) throw new PreregistrationNotFoundError();
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
        if (email) await deps.mail?.queueMail(trx, rejectedMail(email, reason, config.publicUrl), `preregistration-rejected:${id}`);
        return { status: 'rejected' as const };
      });
    },

    /**
     * The reminder job: a request pending for n full delays (n ≥ 1) is in period n; each period
     * notifies once (the `reminder_count < n` guard and the mail's dedupe key), the gestionnaires
     * always and, from the second period on, the legal representative too.
     */
    async sendReminders() {
      const delay = reminderMs();
      const at = now();
      const due = await db
        .selectFrom('preregistration')
        .select(['id', 'egFiness', 'ejFiness', 'submittedAt', 'reminderCount'])
        .where('status', '=', 'pending')
        .where('submittedAt', '<=', new Date(at.getTime() - delay))
        .orderBy('submittedAt')
        .execute();
      let reminded = 0;
      for (const r of due) {
        const period = Math.floor((at.getTime() - new Date(r.submittedAt!).getTime()) / delay);
        if (period <= r.reminderCount || !r.ejFiness || !r.egFiness) continue;
        const sent = await db.transaction().execute(async (trx) => {
          const claimed = await trx
            .updateTable('preregistration')
            .set({ reminderCount: period })
            .where('id', '=', r.id)
            .where('status', '=', 'pending')
            .where('reminderCount', '<', period)
            .returning('id')
            .executeTakeFirst();
          if (!claimed) return false;
          const days = Math.round((period * delay) / dayMs);
          for (const to of await gestionnaireEmails(trx, r.ejFiness!, r.egFiness!)) {
            await deps.mail?.queueMail(trx, reminderMail(to, config.publicUrl, days, false), `preregistration-reminder:${r.id}:${period}:${hashOf(to)}`);
          }
          if (period >= 2) {
            for (const to of await legalRepresentativeEmails(trx, r.ejFiness!)) {
              await deps.mail?.queueMail(trx, reminderMail(to, config.publicUrl, days, true), `preregistration-reminder-rl:${r.id}:${period}:${hashOf(to)}`);
            }
          }
          return true;
        });
        if (sent) reminded++;
      }
      return { reminded };
    },
  };
}
export type PreregistrationService = ReturnType<typeof createPreregistrationService>;
