import { sql } from 'kysely';
import { recordAudit } from '../../audit.ts';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import type { IdentityStatus } from '../../db/schema.ts';
import { DomainError, type FieldError, NotFoundError } from '../../errors.ts';
import type { Config } from '../../config.ts';
import type { MailService } from '../../mail/service.ts';
import { RegisterValidationError } from './errors.ts';
import { discardIdentityDocument } from './identity-document.ts';
import { notifyIdentityRejected } from './identity-rejection.ts';
import type { Actor } from './types.ts';
import { franceCountryCode } from './validation.ts';

/**
 * Identity verification. Every person starts `to_verify`; a verifier sets `verified` or
 * `to_review`; an ANS operator reviews the latter and confirms (`verified`) or rejects
 * (`rejected`: the directory withdraws the entry, seeds 000/004 "identités non vérifiées
 * supprimées"). The national check (INSEE/RNIPP through ProSantéIdentité) sits behind the same
 * interface as the embedded COG adapter below.
 */
export interface IdentityToVerify {
  sexe: string;
  birthDate: string;
  birthCountryCode: string;
  birthCommuneCode: string | null;
}

export interface VerificationOutcome {
  status: 'verified' | 'to_review';
  /** Stable reason codes (never personal data), shown to the operator. */
  reasons: string[];
}

export interface IdentityVerifier {
  readonly name: string;
  verify(identity: IdentityToVerify): Promise<VerificationOutcome>;
}

export const identityReasonLabels: Record<string, string> = {
  'commune-unknown': 'Commune de naissance inconnue du COG',
  'commune-not-at-birth-date': 'La commune de naissance n’existait pas à la date de naissance',
  'commune-without-france': 'Commune renseignée pour une naissance hors de France',
  'france-without-commune': 'Naissance en France sans commune',
  'country-unknown': 'Pays de naissance inconnu',
  'birth-date-implausible': 'Date de naissance invraisemblable',
  'situation-disputed': 'Le professionnel signale qu’une situation ajoutée par une nouvelle structure ne le concerne pas',
  'possible-duplicate': 'Identité proche d’une personne déjà enregistrée par une autre structure (enregistrement poursuivi par le gestionnaire)',
};

/**
 * The embedded verifier: checks that birth place and birth date agree with the Code officiel
 * géographique (communes with their validity periods, TRE_R20 countries with theirs). It cannot
 * confirm that the person exists (only RNIPP can); it catches the inconsistencies that the real
 * check would reject.
 */
export function cogIdentityVerifier(db: Database): IdentityVerifier {
  return {
    name: 'cog',
    async verify(identity) {
      const reasons: string[] = [];
      const on = identity.birthDate;
      if (on < '1900-01-01') reasons.push('birth-date-implausible');
      if (identity.birthCountryCode === franceCountryCode) {
        if (!identity.birthCommuneCode) reasons.push('france-without-commune');
        else {
          const rows = await db.selectFrom('commune').select(['validFrom', 'validTo']).where('inseeCode', '=', identity.birthCommuneCode).execute();
          if (rows.length === 0) reasons.push('commune-unknown');
          else if (!rows.some((r) => (r.validFrom === null || r.validFrom <= on) && (r.validTo === null || r.validTo > on))) {
            reasons.push('commune-not-at-birth-date');
          }
        }
      } else {
        if (identity.birthCommuneCode) reasons.push('commune-without-france');
        // TRE_R20 validity dates are those of the nomenclature's versions, not of the states: only
        // the code's existence is checked (unverified: the COG country history would say more).
        const country = await db.selectFrom('nomenclatureCode').select('code').where('kind', '=', 'country').where('code', '=', identity.birthCountryCode).executeTakeFirst();
        if (!country) reasons.push('country-unknown');
      }
      return { status: reasons.length === 0 ? 'verified' : 'to_review', reasons };
    },
  };
}

export class IdentityDecisionForbiddenError extends DomainError {
  constructor() {
    super('identity-review-forbidden', 403, 'Seul un opérateur de l’ANS peut examiner les identités à vérifier.');
  }
}

export class IdentityAlreadyDecidedError extends DomainError {
  constructor(status: IdentityStatus) {
    super('identity-already-decided', 409, `Cette identité n’est pas en attente d’examen (statut : ${status}).`);
  }
}

export const identityDecisions = ['verified', 'rejected'] as const;
export type IdentityDecision = (typeof identityDecisions)[number];

export function createIdentityService(deps: { db: Database; clock: Clock; verifier: IdentityVerifier; mail?: MailService; config?: Pick<Config, 'publicUrl'> }) {
  const { db, clock, verifier } = deps;

  return {
    /** Run by the `register.verify-identity` job. Idempotent: only a `to_verify` person is checked. */
    async verifyIdentity(personId: string): Promise<IdentityStatus | undefined> {
      const person = await db
        .selectFrom('person')
        .select(['id', 'rpps', 'sexe', 'birthDate', 'birthCountryCode', 'birthCommuneCode', 'identityStatus'])
        .where('id', '=', personId)
        .executeTakeFirst();
      if (!person || person.identityStatus !== 'to_verify') return person?.identityStatus;
      const outcome = await verifier.verify(person);
      return db.transaction().execute(async (trx) => {
        const updated = await trx
          .updateTable('person')
          .set({ identityStatus: outcome.status, identityCheckedAt: clock.now(), identityCheckedBy: `verifier:${verifier.name}`, identityCheckReasons: outcome.reasons, updatedAt: clock.now() })
          .where('id', '=', personId)
          .where('identityStatus', '=', 'to_verify')
          .returning('id')
          .executeTakeFirst();
        if (updated) {
          // Confirmed: the copy of the identity document has served its purpose (issue 15).
          if (outcome.status === 'verified') await discardIdentityDocument(trx, clock, personId, { id: `verifier:${verifier.name}`, kind: 'job' }, 'identity-confirmed');
          await recordAudit(trx, {
            at: clock.now(),
            actor: { id: `verifier:${verifier.name}`, kind: 'job' },
            action: 'person.identity-check',
            entityType: 'person',
            entityId: personId,
            before: { rpps: person.rpps, identityStatus: 'to_verify' },
            after: { rpps: person.rpps, identityStatus: outcome.status, reasons: outcome.reasons },
          });
        }
        return outcome.status;
      });
    },

    /** The operator's list: identities the verifier could not confirm (oldest first). */
    async listToReview(isOperator: boolean, page = 1, pageSize = 50) {
      if (!isOperator) throw new IdentityDecisionForbiddenError();
      const base = db.selectFrom('person').where('identityStatus', '=', 'to_review');
      const [rows, count] = await Promise.all([
        base
          .select(['rpps', 'sexe', 'birthName', 'usageName', 'firstNames', 'birthDate', 'birthCountryCode', 'birthCommuneCode', 'birthPlace', 'identityCheckReasons', 'identityCheckedAt', 'createdAt', 'identityDocumentId'])
          // The names of the birth commune and country, for the reviewer (codes are not for people).
          .select((eb) => [
            eb.selectFrom('commune').select('commune.name').whereRef('commune.inseeCode', '=', 'person.birthCommuneCode').orderBy('commune.validTo', sql`desc nulls first`).limit(1).as('birthCommuneName'),
            eb.selectFrom('nomenclatureCode').select('nomenclatureCode.label').where('nomenclatureCode.kind', '=', 'country').whereRef('nomenclatureCode.code', '=', 'person.birthCountryCode').limit(1).as('birthCountryLabel'),
          ])
          .orderBy('identityCheckedAt')
          .orderBy('rpps')
          .limit(pageSize)
          .offset((page - 1) * pageSize)
          .execute(),
        base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return {
        total: Number(count.n),
        items: rows.map((r) => ({
          rpps: r.rpps,
          sexe: r.sexe,
          birthName: r.birthName,
          usageName: r.usageName,
          firstNames: r.firstNames,
          birthDate: r.birthDate,
          birthCountryCode: r.birthCountryCode,
          birthCommuneCode: r.birthCommuneCode,
          birthPlace: r.birthPlace,
          birthCommuneName: r.birthCommuneName ?? null,
          birthCountryLabel: r.birthCountryLabel ?? null,
          reasons: r.identityCheckReasons.map((code) => ({ code, label: identityReasonLabels[code] ?? code })),
          checkedAt: r.identityCheckedAt ? new Date(r.identityCheckedAt).toISOString() : null,
          hasIdentityDocument: r.identityDocumentId !== null,
        })),
      };
    },

    /**
     * The operator's decision. A rejection writes a register event, so the directory withdraws
     * the person's public entries; his number stays allocated (never reused).
     */
    async decide(actor: Actor, isOperator: boolean, rpps: string, input: { decision: string; reason?: string | null }) {
      if (!isOperator) throw new IdentityDecisionForbiddenError();
      const errors: FieldError[] = [];
      if (!identityDecisions.includes(input.decision as IdentityDecision)) errors.push({ pointer: '/body/decision', detail: 'Décision attendue : vérifiée ou rejetée.' });
      const reason = input.reason?.trim() ?? '';
      if (input.decision === 'rejected' && reason.length < 3) errors.push({ pointer: '/body/reason', detail: 'Indiquez le motif du rejet.' });
      if (reason.length > 500) errors.push({ pointer: '/body/reason', detail: 'Le motif ne peut dépasser 500 caractères.' });
      if (errors.length > 0) throw new RegisterValidationError(errors);
      const decision = input.decision as IdentityDecision;
      return db.transaction().execute(async (trx) => {
        const person = await trx.selectFrom('person').select(['id', 'identityStatus']).where('rpps', '=', rpps).forUpdate().executeTakeFirst();
        if (!person) throw new NotFoundError('Aucun professionnel ne porte ce numéro RPPS.', 'person-not-found');
        if (person.identityStatus !== 'to_review') throw new IdentityAlreadyDecidedError(person.identityStatus);
        const now = clock.now();
        await trx
          .updateTable('person')
          .set((eb) => ({ identityStatus: decision, identityCheckedAt: now, identityCheckedBy: actor.id, version: eb('version', '+', 1), updatedAt: now }))
          .where('id', '=', person.id)
          .execute();
        await recordAudit(trx, {
          at: now,
          actor,
          action: 'person.identity-decision',
          entityType: 'person',
          entityId: person.id,
          before: { rpps, identityStatus: 'to_review' },
          after: { rpps, identityStatus: decision, reason },
        });
        if (decision === 'verified') await discardIdentityDocument(trx, clock, person.id, actor, 'identity-confirmed');
        if (decision === 'rejected') {
          await trx
            .insertInto('registerEvent')
            .values({ type: 'person.identity-rejected', personId: person.id, situationId: null, payload: JSON.stringify({ rpps }), occurredAt: now })
            .execute();
          await notifyIdentityRejected(trx, deps.mail, { personId: person.id, rpps, reason, publicUrl: deps.config?.publicUrl ?? '', decidedAt: now });
        }
        return { rpps, identityStatus: decision };
      });
    },
  };
}
export type IdentityService = ReturnType<typeof createIdentityService>;
