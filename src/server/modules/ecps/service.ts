import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type AuditValues, recordAudit } from '../../audit.ts';
import type { Config } from '../../config.ts';
import { todayOf } from '../../calendar.ts';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { MailService } from '../../mail/service.ts';
import { safeEqual } from '../../auth/tokens.ts';
import { idnpsOf, parseProfessionalId } from '../access/professional-id.ts';
import {
  ActivationCodeExpiredError,
  ActivationCodeInvalidError,
  EcpsAlreadyActiveError,
  EcpsIdentifierInvalidError,
  EcpsSuspendedError,
  EcpsUnknownError,
} from './errors.ts';
import { countCodesSince, findPersonForEcps, listSituationsForEcps, openCodes } from './queries.ts';
import { createOutboxSmsSender, type SmsSender } from './sms.ts';

/**
 * What a code allows, and how many may be asked (anti SMS flooding). The HTTP limits (per client,
 * per identifier) are in routes.ts; `maxCodesPerHour` is the last guard of the person's phone.
 */
export const activationCodePolicy = { ttlMinutes: 10, maxAttempts: 5, maxCodesPerHour: 5, digits: 6 } as const;

/** HTTP limits of the anonymous code request, per client address and per identifier (routes.ts). */
export const activationCodeLimits = { windowMinutes: 15, perClient: 10, perIdnps: 3 } as const;

/** Why no code was sent: told to nobody outside (the answer is the same), audited or logged only. */
export type CodeRequestOutcome = 'sent' | 'unknown' | 'already-active' | 'suspended' | 'identity-rejected' | 'too-many';

export type EcpsState = 'not-invited' | 'invited' | 'active' | 'suspended';

export interface EcpsStatus {
  idnps: string;
  state: EcpsState;
  invitedAt: string | null;
  activatedAt: string | null;
}

/** The identity Pro Santé Connect returns for an e-CPS holder: his real register identifiers. */
export interface PscProfile {
  idnps: string;
  rpps: string;
  civility: string;
  familyName: string;
  givenName: string;
  professionCode: string;
  /** The EG of his active situations (PSC "activities"). */
  sites: Array<{ id: string; name: string }>;
  /**
   * As the real PSC gives them from the RPPS (OIDC.md, SubjectRefPro): one exercice per
   * profession of his active situations, each with one activity per situation — its role
   * (TRE_R22 genre d'activité GENR08..GENR12), mode and structure (issue 16: a DUI derives the
   * DMP rights from the token).
   */
  exercices: PscExercice[];
}

export interface PscExercice {
  professionCode: string;
  exerciseLastName: string;
  exerciseFirstName: string;
  activities: Array<{
    roleCode: string;
    modeCode: string;
    egFiness: string;
    egName: string | null;
    ejFiness: string | null;
    postalCode: string | null;
    city: string | null;
    inseeCode: string | null;
    departmentCode: string | null;
  }>;
}

export type PscAuthentication =
  | { ok: true; profile: PscProfile }
  | { ok: false; reason: 'unknown' | 'not-activated' | 'suspended' | 'identity-rejected'; title: string; message: string };

/**
 * The national e-CPS service as RPPS+ needs it. The real one (ANS) is not reachable: the default
 * implementation below simulates it on our database, within seconds instead of 48 h.
 */
export interface EcpsService {
  /** Creates the e-CPS account of a newly registered professional and sends the activation mail. */
  invite(trx: Kysely<DB>, personId: string, rpps: string, email: string): Promise<boolean>;
  /**
   * Sends a one-time code by SMS to the registered mobile when the e-CPS waits for activation.
   * The outcome is for logs: the caller answers the same whatever it is (issue 15).
   */
  requestActivationCode(idnps: string): Promise<CodeRequestOutcome>;
  activate(idnps: string, code: string): Promise<EcpsStatus>;
  status(rpps: string): Promise<EcpsStatus>;
  /** Pro Santé Connect: may this IDNPS sign in with e-CPS now, and as whom. */
  authenticate(idnps: string): Promise<PscAuthentication>;
}

/** Active situations grouped by profession, as PSC's `exercices` / `activities`. */
function exercicesOf(active: Awaited<ReturnType<typeof listSituationsForEcps>>): PscExercice[] {
  const byProfession = new Map<string, PscExercice>();
  for (const s of active) {
    const exercice = byProfession.get(s.professionCode) ?? {
      professionCode: s.professionCode,
      exerciseLastName: s.exerciseLastName,
      exerciseFirstName: s.exerciseFirstName,
      activities: [],
    };
    exercice.activities.push({
      roleCode: s.roleCode,
      modeCode: s.modeCode,
      egFiness: s.egFiness,
      egName: s.egName,
      ejFiness: s.ejFiness,
      postalCode: s.postalCode,
      city: s.city,
      inseeCode: s.inseeCode,
      departmentCode: s.departmentCode,
    });
    byProfession.set(s.professionCode, exercice);
  }
  return [...byProfession.values()];
}

const hashCode = (salt: string, code: string) => createHash('sha256').update(`${salt}:${code}`).digest('hex');

export interface EcpsDeps {
  db: Database;
  clock: Clock;
  config: Pick<Config, 'publicUrl'>;
  sms?: SmsSender;
  /** Needed by `invite` only (the background consumer has it). */
  mail?: MailService;
}

export function createSimulatedEcps(deps: EcpsDeps): EcpsService {
  const { db, clock } = deps;
  const sms = deps.sms ?? createOutboxSmsSender({ clock });
  const today = () => todayOf(clock);

  /** The professional acts on his own e-CPS: actor and entity are his IDNPS. */
  async function audit(trx: Kysely<DB>, rpps: string, action: string, after: AuditValues) {
    const idnps = idnpsOf(rpps);
    await recordAudit(trx, { at: clock.now(), actor: { id: `ecps:${idnps}`, kind: 'professional' }, action, entityType: 'ecps', entityId: idnps, after });
  }

  function parse(idnps: string) {
    const id = parseProfessionalId(idnps);
    if (!id.ok) throw new EcpsIdentifierInvalidError(id.detail);
    return id;
  }

  async function load(rpps: string) {
    const person = await findPersonForEcps(db, rpps);
    if (!person) throw new EcpsUnknownError();
    const situations = await listSituationsForEcps(db, person.id);
    const on = today();
    const active = situations.filter((s) => s.status === 'active' && s.startDate <= on && (s.endDate === null || s.endDate > on));
    return { person, situations, active };
  }

  function stateOf(ecpsStatus: string | null, activeCount: number): EcpsState {
    if (ecpsStatus === 'active') return activeCount > 0 ? 'active' : 'suspended';
    return ecpsStatus === 'invited' ? 'invited' : 'not-invited';
  }

  const toStatus = (rpps: string, p: { ecpsStatus: string | null; invitedAt: Date | null; activatedAt: Date | null }, activeCount: number): EcpsStatus => ({
    idnps: idnpsOf(rpps),
    state: stateOf(p.ecpsStatus, activeCount),
    invitedAt: p.invitedAt ? new Date(p.invitedAt).toISOString() : null,
    activatedAt: p.activatedAt ? new Date(p.activatedAt).toISOString() : null,
  });

  async function ensureAccount(trx: Kysely<DB>, personId: string, rpps: string) {
    const row = await trx
      .insertInto('ecpsAccount')
      .values({ personId, idnps: idnpsOf(rpps), invitedAt: clock.now() })
      .onConflict((oc) => oc.column('personId').doNothing())
      .returning('personId')
      .executeTakeFirst();
    return row !== undefined;
  }

  return {
    async invite(trx, personId, rpps, email) {
      const created = await ensureAccount(trx, personId, rpps);
      if (!created) return false;
      const idnps = idnpsOf(rpps);
      const link = `${deps.config.publicUrl}/e-cps/activation?identifiant=${idnps}`;
      if (deps.mail) {
        await deps.mail.queueMail(
          trx,
          {
            to: email,
            subject: 'Activez votre e-CPS',
            text:
              `Bonjour,\n\nVous êtes enregistré(e) au RPPS sous le numéro ${rpps}. Votre carte professionnelle numérique (e-CPS) ` +
              `peut être activée dès maintenant.\n\nVotre identifiant e-CPS : ${idnps}\nActivez-la ici : ${link}\n\n` +
              `Un code à usage unique vous sera envoyé par SMS sur le numéro de mobile enregistré. Une fois activée, ` +
              `l’e-CPS vous permet de vous connecter avec Pro Santé Connect.\n\nRPPS+`,
          },
          `ecps-invitation:${personId}`,
        );
      }
      await audit(trx, rpps, 'ecps.invite', { idnps });
      return true;
    },

    async requestActivationCode(idnps) {
      const id = parse(idnps);
      const person = await findPersonForEcps(db, id.rpps);
      if (!person) return 'unknown';
      const { active } = await load(id.rpps);
      if (person.ecpsStatus === 'active') return 'already-active';
      if (person.identityStatus === 'rejected') return 'identity-rejected';
      if (active.length === 0) return 'suspended';
      const now = clock.now();
      const recent = await countCodesSince(db, person.id, new Date(now.getTime() - 3600_000));
      if (Number(recent.n) >= activationCodePolicy.maxCodesPerHour) {
        await db.transaction().execute((trx) => audit(trx, person.rpps, 'ecps.code-refused', { reason: 'too-many' }));
        return 'too-many';
      }
      const code = String(randomInt(0, 10 ** activationCodePolicy.digits)).padStart(activationCodePolicy.digits, '0');
      const salt = randomBytes(16).toString('hex');
      const expiresAt = new Date(now.getTime() + activationCodePolicy.ttlMinutes * 60_000);
      await db.transaction().execute(async (trx) => {
        await ensureAccount(trx, person.id, person.rpps);
        // Earlier codes stay valid until they expire: a stranger asking for a code in the
        // professional's name cannot void the one he just received (issue 15).
        const row = await trx
          .insertInto('ecpsActivationCode')
          .values({ personId: person.id, salt, codeHash: hashCode(salt, code), expiresAt, maxAttempts: activationCodePolicy.maxAttempts, createdAt: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await sms.send(
          trx,
          {
            to: person.mobile,
            text: `e-CPS : votre code d’activation est ${code}. Il expire dans ${activationCodePolicy.ttlMinutes} minutes. Ne le communiquez à personne.`,
          },
          `ecps-code:${row.id}`,
        );
        await audit(trx, person.rpps, 'ecps.code-sent', { channel: 'sms', codeId: row.id });
      });
      return 'sent';
    },

    async activate(idnps, code) {
      const id = parse(idnps);
      const { person, active } = await load(id.rpps);
      if (person.ecpsStatus === 'active') throw new EcpsAlreadyActiveError();
      if (active.length === 0) throw new EcpsSuspendedError();
      const given = String(code ?? '').replace(/\s+/g, '');
      const now = clock.now();
      // The attempt is counted and audited even when it fails: the transaction commits, the error
      // is thrown after it.
      const outcome = await db.transaction().execute(async (trx) => {
        // Every code still open (unexpired, attempts left) is accepted; each attempt counts on all of them.
        const open = (await openCodes(trx, person.id)).filter((c) => new Date(c.expiresAt) > now && c.attempts < c.maxAttempts);
        if (open.length === 0) {
          await audit(trx, person.rpps, 'ecps.activation-failed', { reason: 'no-valid-code' });
          return { ok: false as const, error: new ActivationCodeExpiredError() };
        }
        const ids = open.map((c) => c.id);
        const matching = /^\d{6}$/.test(given) ? open.find((c) => safeEqual(hashCode(c.salt, given), c.codeHash)) : undefined;
        const attempts = Math.max(...open.map((c) => c.attempts)) + 1;
        if (!matching) {
          await trx.updateTable('ecpsActivationCode').set((eb) => ({ attempts: eb('attempts', '+', 1) })).where('id', 'in', ids).execute();
          await audit(trx, person.rpps, 'ecps.activation-failed', { reason: 'wrong-code', attempt: attempts, codeId: open[0]!.id });
          return { ok: false as const, error: new ActivationCodeInvalidError(Math.max(0, activationCodePolicy.maxAttempts - attempts)) };
        }
        const opened = matching;
        await trx.updateTable('ecpsActivationCode').set({ consumedAt: now }).where('id', 'in', ids).execute();
        await trx.updateTable('ecpsActivationCode').set({ attempts: opened.attempts + 1 }).where('id', '=', opened.id).execute();
        await ensureAccount(trx, person.id, person.rpps);
        await trx.updateTable('ecpsAccount').set({ status: 'active', activatedAt: now, updatedAt: now }).where('personId', '=', person.id).execute();
        await audit(trx, person.rpps, 'ecps.activate', { idnps: id.idnps, codeId: opened.id });
        return { ok: true as const };
      });
      if (!outcome.ok) throw outcome.error;
      return toStatus(person.rpps, { ecpsStatus: 'active', invitedAt: person.invitedAt ?? now, activatedAt: now }, active.length);
    },

    async status(rpps) {
      const { person, active } = await load(rpps);
      return toStatus(person.rpps, person, active.length);
    },

    async authenticate(idnps) {
      const id = parseProfessionalId(idnps);
      const person = id.ok && id.idnps === idnps.trim() ? await findPersonForEcps(db, id.rpps) : undefined;
      if (!id.ok || !person) {
        return { ok: false, reason: 'unknown', title: 'Identifiant e-CPS inconnu', message: 'Aucune e-CPS ne correspond à cet identifiant (8 suivi du numéro RPPS).' };
      }
      if (person.identityStatus === 'rejected') {
        // Issue 15: while the ANS has rejected the identity, the e-CPS signs nobody in.
        await db.transaction().execute((trx) => audit(trx, person.rpps, 'ecps.sign-in-refused', { reason: 'identity-rejected' }));
        return {
          ok: false,
          reason: 'identity-rejected',
          title: 'Identité à corriger',
          message:
            'Votre connexion est suspendue : l’ANS n’a pas pu confirmer l’identité enregistrée à votre nom. ' +
            'Demandez au gestionnaire RPPS+ de votre structure de corriger votre état civil à partir de votre pièce d’identité ; l’accès sera rétabli dès que l’identité sera confirmée.',
        };
      }
      if (person.ecpsStatus !== 'active') {
        return {
          ok: false,
          reason: 'not-activated',
          title: 'e-CPS non activée',
          message: 'Votre e-CPS n’est pas encore activée. Activez-la depuis le lien reçu par courriel après votre enregistrement, puis reconnectez-vous.',
        };
      }
      const situations = await listSituationsForEcps(db, person.id);
      const on = today();
      const active = situations.filter((s) => s.status === 'active' && s.startDate <= on && (s.endDate === null || s.endDate > on));
      if (active.length === 0) {
        // Turnover: a professional whose situations have all ended keeps no access (DOMAIN.md, "Life of a registration").
        await db.transaction().execute((trx) => audit(trx, person.rpps, 'ecps.sign-in-refused', { reason: 'suspended' }));
        return {
          ok: false,
          reason: 'suspended',
          title: 'Accès suspendu',
          message:
            'Votre accès Pro Santé Connect est suspendu : aucune situation d’exercice active n’est enregistrée à votre nom au RPPS. ' +
            'Il sera rétabli dès qu’une structure vous enregistrera une nouvelle situation.',
        };
      }
      const first = active[0]!;
      return {
        ok: true,
        profile: {
          idnps: idnpsOf(person.rpps),
          rpps: person.rpps,
          civility: person.civilite,
          familyName: first.exerciseLastName,
          givenName: first.exerciseFirstName,
          professionCode: first.professionCode,
          sites: active.map((s) => ({ id: s.egFiness, name: s.egName ?? s.egFiness })),
          exercices: exercicesOf(active),
        },
      };
    },
  };
}
