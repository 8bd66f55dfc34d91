import { createHash } from 'node:crypto';
import { type Kysely, type Selectable } from 'kysely';
import type { Actor as AuthActor, PersonActor } from '../../auth/actor.ts';
import { scopeOf } from '../../auth/policy.ts';
import type { Config } from '../../config.ts';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import type { DB, PreregistrationTable } from '../../db/schema.ts';
import type { JobQueue } from '../../jobs/index.ts';
import type { MailService } from '../../mail/service.ts';
import { createRegisterService } from '../register/service.ts';
import type { Actor, EtatCivilInput } from '../register/types.ts';
import { etatCivilFromFranceConnect, refuseEtatCivil, text } from './etat-civil.ts';
import { FranceConnectRequiredError, PreregistrationForbiddenError, PreregistrationNotFoundError } from './errors.ts';
import { newRequestsMail } from './mails.ts';
import { codeLabel, communeName, gestionnaireEmails, hasQueueScope } from './queries.ts';
import type { DraftInput } from './types.ts';

/**
 * What the pre-registration use cases share (the professional's, the gestionnaire's, the
 * reminder job's): the dependencies, the register service, who the actor is, and the one place
 * rows become objects. service.ts wires the use-case files over it.
 */

type Row = Selectable<PreregistrationTable>;

export interface PreregistrationDeps {
  db: Database;
  clock: Clock;
  config: Pick<Config, 'rppsRange' | 'publicUrl' | 'preregistration'>;
  mail?: MailService;
  jobs?: JobQueue;
}

export const dayMs = 86_400_000;
const digestWindowMs = 15 * 60_000;
export const hashOf = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

export function preregistrationContext(deps: PreregistrationDeps) {
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

  return { deps, db, clock, config, register, now, reminderMs, professional, fcEtatCivil, etatCivilView, view, ownRow, cleanDraft, notifyNewRequest, gestionnaire, decidedMeanwhile };
}

export type PreregistrationContext = ReturnType<typeof preregistrationContext>;
