import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { type AuditActor, type AuditValues, auditActorOf, recordAudit } from '../../audit.ts';
import type { Actor } from '../../auth/actor.ts';
import { ForbiddenError } from '../../auth/errors.ts';
import { can, ejOfScope, type Scope, scopeOf } from '../../auth/policy.ts';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import type { DB, StaffRoleName, Strategy } from '../../db/schema.ts';
import type { FieldError } from '../../errors.ts';
import type { FileStore } from '../../files/store.ts';
import type { UploadedFile } from '../../files/upload.ts';
import { checkFiness, luhnValid } from '../../identifiers.ts';
import { mieCguVersion } from '../terms/versions.ts';
import type { JobQueue } from '../../jobs/index.ts';
import type { MailService } from '../../mail/service.ts';
import { contractFormPdf } from './contract-form.ts';
import { grantRoles as grantStaffRoles, revokeRoles as revokeStaffRoles, roleSource } from './roles.ts';
import { terminatedMail } from './mails.ts';
import {
  ContractAlreadyExistsError,
  ContractNotFoundError,
  ContractStateError,
  EntityNotContractableError,
  FileNotFoundError,
  HabilitationAlreadyActiveError,
  HabilitationNotFoundError,
  HabilitationRevokedError,
  MandataireAlreadyDesignatedError,
  MandataireNotFoundError,
  NoActiveContractError,
  OnboardingValidationError,
} from './errors.ts';
import { activeContractOf, activeContractOfEntity, establishmentsOf, findStructure, historyOf, overlappingLiveContract, scopedContracts, scopedHabilitations } from './queries.ts';

declare module '../../jobs/index.ts' {
  interface JobPayloads {
    'habilitation.scheduled-end': { habilitationId: string };
  }
}

type Maybe<T> = T | null | undefined;

export interface ContractRequestInput {
  /** FINESS number of the contracting structure: an EJ (whole entity) or an EG (one site). */
  ejFiness: string;
  rl: { civility: string; familyName: string; givenName: string; email: string; phone: string; idnps?: Maybe<string>; cardMatricule?: Maybe<string> };
  signedOn?: Maybe<string>;
  /** Contract annex (seed 000): SIRET du siège and the organisme gestionnaire's address. */
  siret?: Maybe<string>;
  address?: Maybe<string>;
  /** Version of the MIE terms of use the RL read before the contract (seed 000, étape 1). */
  mieCguVersion?: Maybe<string>;
}

/** Raw, as a multipart form gives it: every rule is checked here, each failure names its field. */
export interface HabilitationInput {
  idnps?: Maybe<string>;
  familyName?: Maybe<string>;
  givenName?: Maybe<string>;
  email?: Maybe<string>;
  credential?: Maybe<string>;
  cardForm?: Maybe<string>;
  cardFormReference?: Maybe<string>;
  elearningCompletedOn?: Maybe<string>;
  scope?: Maybe<string>;
  egFiness?: Maybe<string[]>;
  endsOn?: Maybe<string>;
}

export interface HabilitationPatch {
  scope?: 'ej' | 'eg';
  egFiness?: string[];
  endsOn?: string | null;
}

const jobActor: AuditActor = { id: 'job:habilitation.scheduled-end', kind: 'job' };

const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const idnpsPattern = /^(8\d{11}|[0-9]\d{9}\/[A-Za-z0-9]{1,20}|[0-9][0-9A-B]\d{8}\/[A-Za-z0-9]{1,20})$/;
const text = (v: Maybe<string>) => (typeof v === 'string' ? v.trim() : '');

/** SIRET: 14 digits with a Luhn key (the La Poste establishments, SIREN 356000000, use another rule). */
const siretValid = (v: string) => /^\d{14}$/.test(v) && (luhnValid(v) || v.startsWith('356000000'));

/**
 * What the contract's annex asks (seed 000, annexe 1): SIRET du siège, address, and the MIE terms
 * read. Checked as typed on a draft; all required when the request is submitted.
 */
function annexErrors(input: { siret?: Maybe<string>; address?: Maybe<string>; mieCguVersion?: Maybe<string> }, required: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const siret = input.siret?.replace(/\s/g, '') ?? '';
  if (siret && !siretValid(siret)) errors.push({ pointer: '/body/siret', detail: 'Numéro SIRET non valide : 14 chiffres (celui du siège de l’organisme gestionnaire).' });
  else if (!siret && required) errors.push({ pointer: '/body/siret', detail: 'Le numéro SIRET du siège est obligatoire.' });
  if (!input.address?.trim() && required) errors.push({ pointer: '/body/address', detail: 'L’adresse de l’organisme gestionnaire est obligatoire.' });
  if (input.mieCguVersion && input.mieCguVersion !== mieCguVersion) errors.push({ pointer: '/body/mieCguVersion', detail: 'Les conditions d’utilisation des moyens d’identification électronique ont changé : relisez la version en vigueur.' });
  else if (!input.mieCguVersion && required) errors.push({ pointer: '/body/mieCguVersion', detail: 'Le représentant légal doit prendre connaissance des conditions générales d’utilisation des moyens d’identification électronique (MIE).' });
  return errors;
}

const source = roleSource;

export interface OnboardingDeps {
  db: Database;
  clock: Clock;
  files: FileStore;
  jobs?: JobQueue;
  /** Mails to the RL (contract terminated, successor designated); absent in tests that need none. */
  mail?: MailService;
  publicUrl?: string;
}

export function createOnboardingService(deps: OnboardingDeps) {
  const { db, clock, files, jobs } = deps;
  const now = () => clock.now();
  const today = () => clock.now().toISOString().slice(0, 10);

  const audit = (trx: Kysely<DB>, actor: AuditActor, action: string, entityType: string, entityId: string, before: AuditValues | null, after: AuditValues | null) =>
    recordAudit(trx, { at: now(), actor, action, entityType, entityId, before, after });

  const grantRoles = (trx: Kysely<DB>, src: string, idnps: string, role: StaffRoleName, ejFiness: string, egs: string[] | null) => grantStaffRoles(trx, now(), src, idnps, role, ejFiness, egs);
  const revokeRoles = (trx: Kysely<DB>, src: string) => revokeStaffRoles(trx, now(), src);

  /**
   * Only a structure known and open in FINESS on the day can contract: an EJ (the contract covers
   * all its EG) or an EG (it covers that site only; seed 004: « contractualisation juridique ou
   * géographique »). Returns the EJ and, for an EG-level contract, the EG.
   */
  async function assertContractable(trx: Kysely<DB>, input: string) {
    const check = checkFiness(input);
    if (!check.valid) throw new EntityNotContractableError('unknown');
    const row = await findStructure(trx, check.finess);
    if (!row) throw new EntityNotContractableError('unknown');
    if (row.closedOn !== null && row.closedOn <= today()) throw new EntityNotContractableError('closed');
    if (row.kind === 'EG') {
      if (!row.ejFiness) throw new EntityNotContractableError('unknown');
      return { ejFiness: row.ejFiness, egFiness: row.finess, structure: row };
    }
    return { ejFiness: row.finess, egFiness: null, structure: row };
  }

  /** One structure, one live contract: its EJ's, or its own for an EG (refused at step 1 of the request). */
  async function assertNoLiveContract(trx: Kysely<DB>, ejFiness: string, egFiness: string | null) {
    const live = await overlappingLiveContract(trx, ejFiness, egFiness);
    if (live) throw new ContractAlreadyExistsError(live.egFiness !== null && egFiness === null ? 'eg-contracts' : live.status === 'active' ? 'active' : 'pending');
  }

  const contractAudit = (c: { status: string; strategy: string; signedOn: string | null; signedFileId: string | null; decisionReason: string | null; cdeIdnps: string | null }) => ({
    status: c.status,
    strategy: c.strategy,
    signedOn: c.signedOn,
    signedFileId: c.signedFileId,
    decisionReason: c.decisionReason,
    cdeIdnps: c.cdeIdnps,
  });

  const habilitationAudit = (h: { status: string; scopeKind: string; egFiness: string[]; endsOn: string | null; idnps: string; revokeReason?: string | null }) => ({
    idnps: h.idnps,
    status: h.status,
    scope: h.scopeKind,
    egFiness: [...h.egFiness].sort(),
    endsOn: h.endsOn,
    ...(h.revokeReason ? { revokeReason: h.revokeReason } : {}),
  });

  /** A contract the actor may read, or 404 (its existence is not revealed). */
  async function readableContract(trx: Kysely<DB>, actor: Actor, id: string) {
    const row = await scopedContracts(trx, scopeOf(actor)).where('contract.id', '=', id).executeTakeFirst();
    if (!row) throw new ContractNotFoundError();
    return row;
  }

  async function lockedContract(trx: Kysely<DB>, id: string) {
    const row = await trx.selectFrom('contract').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw new ContractNotFoundError();
    return row;
  }

  async function readableHabilitation(trx: Kysely<DB>, actor: Actor, id: string) {
    const row = await scopedHabilitations(trx, scopeOf(actor)).where('habilitation.id', '=', id).executeTakeFirst();
    if (!row) throw new HabilitationNotFoundError();
    return { ...row, egFiness: row.egFiness ?? [] };
  }

  function deny(message?: string): never {
    throw new ForbiddenError(message);
  }

  /** Revokes a habilitation and its roles in `trx` (revocation, strategy change, contract end, end date). */
  async function revokeHabilitationIn(trx: Kysely<DB>, who: AuditActor, id: string, reason: string) {
    const before = await trx.selectFrom('habilitation').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
    if (before.status !== 'active') return false;
    const egs = (await trx.selectFrom('habilitationEg').select('egFiness').where('habilitationId', '=', id).execute()).map((r) => r.egFiness);
    await trx
      .updateTable('habilitation')
      .set({ status: 'revoked', revokedAt: now(), revokedBy: who.id, revokeReason: reason, updatedAt: now(), version: sql`version + 1` })
      .where('id', '=', id)
      .execute();
    await revokeRoles(trx, source('habilitation', id));
    await audit(trx, who, 'habilitation.revoke', 'habilitation', id, habilitationAudit({ ...before, egFiness: egs }), habilitationAudit({ ...before, status: 'revoked', egFiness: egs, revokeReason: reason }));
    return true;
  }

  function validateHabilitation(input: HabilitationInput, attestation: UploadedFile | undefined, eg: { strategy: Strategy; egs: Map<string, { closedOn: string | null }> }) {
    const errors: FieldError[] = [];
    const err = (field: string, detail: string) => errors.push({ pointer: `/body/${field}`, detail });
    const idnps = text(input.idnps);
    if (!idnps) err('idnps', 'L’identifiant national (IDNPS) de la personne est obligatoire.');
    else if (!idnpsPattern.test(idnps)) err('idnps', 'Identifiant national non valide : 8 suivi du numéro RPPS (e-CPS) ou identifiant de la carte CPx.');
    const familyName = text(input.familyName);
    const givenName = text(input.givenName);
    if (!familyName) err('familyName', 'Le nom est obligatoire.');
    if (!givenName) err('givenName', 'Le prénom est obligatoire.');
    const email = text(input.email);
    if (!emailPattern.test(email)) err('email', 'Une adresse électronique valide est obligatoire.');
    const credential = text(input.credential);
    const cardForm = text(input.cardForm) || null;
    if (credential !== 'card' && credential !== 'ecps') err('credential', 'Indiquez le moyen d’identification : carte CPx ou e-CPS.');
    // Guide ANS : carte CPx commandée sur le formulaire F301 (pas de carte) ou F502 (carte déjà détenue).
    if (credential === 'card' && cardForm !== 'F301' && cardForm !== 'F502') err('cardForm', 'Pour une carte CPx, indiquez le formulaire de commande : F301 (nouvelle carte) ou F502 (carte déjà détenue).');
    if (credential === 'ecps' && cardForm !== null && cardForm !== 'F301' && cardForm !== 'F502') err('cardForm', 'Formulaire inconnu : F301 ou F502.');
    // Guide ANS : l’attestation de l’e-learning est obligatoire pour toute habilitation depuis avril 2025.
    const completed = text(input.elearningCompletedOn);
    if (!completed) err('elearningCompletedOn', 'La date de réalisation de l’e-learning gestionnaire RPPS+ est obligatoire.');
    else if (!isDate(completed)) err('elearningCompletedOn', 'Date non valide (AAAA-MM-JJ).');
    else if (completed > today()) err('elearningCompletedOn', 'La date de réalisation de l’e-learning ne peut pas être dans le futur.');
    if (!attestation) err('attestation', 'L’attestation de suivi de l’e-learning (PDF) est obligatoire.');
    else if (attestation.contentType !== 'application/pdf') err('attestation', 'L’attestation doit être un fichier PDF.');
    const scope = text(input.scope) || 'ej';
    const egFiness = [...new Set((input.egFiness ?? []).map((v) => v.trim().toUpperCase()).filter(Boolean))];
    if (scope !== 'ej' && scope !== 'eg') err('scope', 'Périmètre : toute l’entité juridique (ej) ou des établissements (eg).');
    if (scope === 'eg') checkEgs(egFiness, eg, err);
    if (scope === 'eg' && eg.strategy === 'centralized') err('scope', 'Stratégie centralisée : les gestionnaires sont habilités sur toute l’entité juridique.');
    const endsOn = text(input.endsOn) || null;
    if (endsOn !== null && (!isDate(endsOn) || endsOn <= today())) err('endsOn', 'La date de fin doit être une date postérieure à aujourd’hui.');
    if (errors.length > 0) throw new OnboardingValidationError(errors);
    return {
      idnps,
      familyName,
      givenName,
      email,
      credential: credential as 'card' | 'ecps',
      cardForm: cardForm as 'F301' | 'F502' | null,
      cardFormReference: text(input.cardFormReference) || null,
      elearningCompletedOn: completed,
      scopeKind: scope as 'ej' | 'eg',
      egFiness: scope === 'eg' ? egFiness : [],
      endsOn,
    };
  }

  function checkEgs(egFiness: string[], eg: { egs: Map<string, { closedOn: string | null }> }, err: (field: string, detail: string) => void) {
    if (egFiness.length === 0) err('egFiness', 'Choisissez au moins un établissement (EG) de l’entité juridique.');
    for (const f of egFiness) {
      const found = eg.egs.get(f);
      if (!found) err('egFiness', `L’établissement ${f} n’appartient pas à cette entité juridique.`);
      else if (found.closedOn !== null && found.closedOn <= today()) err('egFiness', `L’établissement ${f} est fermé dans FINESS.`);
    }
  }

  /**
   * The contracting entity `finess` (an EJ, or an EG with its own contract) and its active
   * contract. `ejFiness` is always the EJ (what roles and habilitations are recorded on);
   * `egFiness` is set for an EG-level contract, whose only establishment is that EG.
   */
  async function entityContext(trx: Kysely<DB>, finess: string) {
    const contract = await activeContractOfEntity(trx, finess);
    if (!contract) throw new NoActiveContractError();
    if (contract.egFiness) {
      const eg = await findStructure(trx, contract.egFiness);
      return { contract, strategy: 'decentralized' as Strategy, ejFiness: contract.ejFiness, egFiness: contract.egFiness as string | null, egs: new Map([[contract.egFiness, { closedOn: eg?.closedOn ?? null }]]) };
    }
    const egs = new Map((await establishmentsOf(trx, finess)).map((e) => [e.finess, { closedOn: e.closedOn }]));
    return { contract, strategy: contract.strategy, ejFiness: finess, egFiness: null as string | null, egs };
  }

  /** The contracting entity a habilitation belongs to: its EJ, or the EG of an EG-level contract. */
  async function entityOfHabilitation(trx: Kysely<DB>, h: { ejFiness: string; egFiness: string[] }) {
    if (await activeContractOf(trx, h.ejFiness)) return h.ejFiness;
    for (const eg of h.egFiness) if (await activeContractOfEntity(trx, eg)) return eg;
    return h.ejFiness;
  }

  return {
    // ——— Contracts ———

    async requestContract(actor: Actor, input: ContractRequestInput) {
      if (!can(actor, 'contract.request') || actor.kind !== 'person') deny();
      const who = auditActorOf(actor);
      return db.transaction().execute(async (trx) => {
        const { ejFiness, egFiness } = await assertContractable(trx, input.ejFiness);
        await assertNoLiveContract(trx, ejFiness, egFiness);
        const errors: FieldError[] = [...annexErrors(input, false)];
        if (!emailPattern.test(input.rl.email.trim())) errors.push({ pointer: '/body/rl/email', detail: 'Adresse électronique non valide.' });
        // Only the RL himself can tie his own card or e-CPS to the contract ("je suis le représentant légal"):
        // otherwise anyone could have a stranger's IDNPS made RL by the activation.
        if (input.rl.idnps && input.rl.idnps.trim() !== actor.idnps) errors.push({ pointer: '/body/rl/idnps', detail: 'Seul le représentant légal, connecté avec sa carte ou son e-CPS, peut indiquer son identifiant national.' });
        if (input.signedOn && (!isDate(input.signedOn) || input.signedOn > today())) errors.push({ pointer: '/body/signedOn', detail: 'La date de signature ne peut pas être dans le futur.' });
        if (errors.length > 0) throw new OnboardingValidationError(errors);
        const row = await trx
          .insertInto('contract')
          .values({
            ejFiness,
            egFiness,
            siret: input.siret?.replace(/\s/g, '') || null,
            address: input.address?.trim() || null,
            rlCardMatricule: input.rl.cardMatricule?.trim() || null,
            mieCguVersion: input.mieCguVersion || null,
            mieCguAcceptedAt: input.mieCguVersion ? now() : null,
            status: 'draft',
            rlCivility: input.rl.civility,
            rlFamilyName: input.rl.familyName.trim(),
            rlGivenName: input.rl.givenName.trim(),
            rlEmail: input.rl.email.trim(),
            rlPhone: input.rl.phone.trim(),
            rlIdnps: input.rl.idnps?.trim() || null,
            signedOn: input.signedOn || null,
            requestedBy: actor.accountId,
            createdAt: now(),
            updatedAt: now(),
          })
          .returningAll()
          .executeTakeFirstOrThrow()
          .catch((e: unknown) => {
            if (String((e as { constraint?: string }).constraint ?? (e as Error).message).includes('contract_live_scope_idx')) throw new ContractAlreadyExistsError();
            throw e;
          });
        await audit(trx, who, 'contract.request', 'contract', row.id, null, contractAudit(row));
        return readableContract(trx, actor, row.id);
      });
    },

    /**
     * Step 1 of the request: may this FINESS number contract, and what FINESS says of it (the
     * pre-filled raison sociale, SIRET and address). Refuses at once a structure already covered.
     */
    async contractable(actor: Actor, finess: string) {
      if (!can(actor, 'contract.request') || actor.kind !== 'person') deny();
      const { ejFiness, egFiness, structure } = await assertContractable(db, finess);
      await assertNoLiveContract(db, ejFiness, egFiness);
      const ej = egFiness ? await db.selectFrom('structure').select(['name', 'siret', 'addressLine', 'postalCode', 'city']).where('finess', '=', ejFiness).executeTakeFirst() : undefined;
      const full = await db.selectFrom('structure').select(['name', 'siret', 'addressLine', 'postalCode', 'city']).where('finess', '=', structure.finess).executeTakeFirstOrThrow();
      // The annex asks for the organisme gestionnaire (the EJ): its SIRET du siège and address.
      const holder = ej ?? full;
      const address = [holder.addressLine, [holder.postalCode, holder.city].filter(Boolean).join(' ')].filter(Boolean).join(', ') || null;
      return { finess: structure.finess, kind: structure.kind, ejFiness, egFiness, name: structure.name, ejName: ej?.name ?? (egFiness ? null : structure.name), siret: holder.siret, address, mieCguVersion };
    },

    /** The pre-filled contrat d'adhésion (PDF) of a request, to print, sign and upload. */
    async contractForm(actor: Actor, id: string) {
      const c = await readableContract(db, actor, id);
      const ej = await findStructure(db, c.ejFiness);
      const eg = c.egFiness ? await findStructure(db, c.egFiness) : undefined;
      return contractFormPdf({
        contractId: c.id,
        generatedOn: today(),
        ejFiness: c.ejFiness,
        ejName: ej?.name ?? c.ejFiness,
        egFiness: c.egFiness,
        egName: eg?.name ?? null,
        siret: c.siret,
        address: c.address,
        rl: { civility: c.rlCivility, familyName: c.rlFamilyName, givenName: c.rlGivenName, email: c.rlEmail, phone: c.rlPhone, idnps: c.rlIdnps, cardMatricule: c.rlCardMatricule },
        mieCguVersion: c.mieCguVersion,
        mieCguAcceptedOn: c.mieCguAcceptedAt ? c.mieCguAcceptedAt.toISOString().slice(0, 10) : null,
      });
    },

    /** The signed contract (PDF), attached to a draft by its requester. */
    async attachSignedContract(actor: Actor, id: string, upload: () => Promise<UploadedFile | undefined>) {
      const visible = await readableContract(db, actor, id);
      if (!can(actor, 'contract.edit', { type: 'contract', ejFiness: visible.ejFiness, requestedBy: visible.requestedBy, status: visible.status })) {
        if (visible.status !== 'draft') throw new ContractStateError(visible.status, 'joindre le contrat signé');
        deny();
      }
      const file = await upload();
      if (!file) throw new OnboardingValidationError([{ pointer: '/body/signedContract', detail: 'Le contrat signé (PDF) est obligatoire.' }]);
      if (file.contentType !== 'application/pdf') throw new OnboardingValidationError([{ pointer: '/body/signedContract', detail: 'Le contrat signé doit être un fichier PDF.' }]);
      return db.transaction().execute(async (trx) => {
        await readableContract(trx, actor, id);
        const before = await lockedContract(trx, id);
        if (!can(actor, 'contract.edit', { type: 'contract', ejFiness: before.ejFiness, requestedBy: before.requestedBy, status: before.status })) {
          if (before.status !== 'draft') throw new ContractStateError(before.status, 'joindre le contrat signé');
          deny();
        }
        const stored = await files.put(trx, { purpose: 'signed-contract', contentType: file.contentType, originalName: file.filename, content: file.content, createdBy: auditActorOf(actor).id }, now());
        const after = await trx.updateTable('contract').set({ signedFileId: stored.id, updatedAt: now(), version: sql`version + 1` }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
        await audit(trx, auditActorOf(actor), 'contract.attach-signed', 'contract', id, contractAudit(before), contractAudit(after));
        return readableContract(trx, actor, id);
      });
    },

    async submitContract(actor: Actor, id: string, input: { signedOn?: Maybe<string> }) {
      return db.transaction().execute(async (trx) => {
        await readableContract(trx, actor, id);
        const before = await lockedContract(trx, id);
        if (before.status !== 'draft') throw new ContractStateError(before.status, 'soumettre');
        if (!can(actor, 'contract.edit', { type: 'contract', ejFiness: before.ejFiness, requestedBy: before.requestedBy, status: before.status })) deny();
        await assertContractable(trx, before.egFiness ?? before.ejFiness);
        const signedOn = input.signedOn || before.signedOn;
        const errors: FieldError[] = annexErrors({ siret: before.siret, address: before.address, mieCguVersion: before.mieCguVersion }, true);
        if (!signedOn) errors.push({ pointer: '/body/signedOn', detail: 'La date de signature du contrat est obligatoire.' });
        else if (!isDate(signedOn) || signedOn > today()) errors.push({ pointer: '/body/signedOn', detail: 'La date de signature ne peut pas être dans le futur.' });
        if (!before.signedFileId) errors.push({ pointer: '/body/signedContract', detail: 'Joignez le contrat signé (PDF) avant de soumettre la demande.' });
        if (errors.length > 0) throw new OnboardingValidationError(errors);
        const after = await trx
          .updateTable('contract')
          .set({ status: 'submitted', signedOn, submittedAt: now(), updatedAt: now(), version: sql`version + 1` })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await audit(trx, auditActorOf(actor), 'contract.submit', 'contract', id, contractAudit(before), contractAudit(after));
        return readableContract(trx, actor, id);
      });
    },

    /**
     * Activation by an ANS operator: the RL receives his CDE card (order F101 recorded, IDNPS of
     * the card 3<EJ>/CDE<n>), which carries the RL, mandataire and gestionnaire rights on the EJ.
     */
    async activateContract(actor: Actor, id: string) {
      return db.transaction().execute(async (trx) => {
        const visible = await readableContract(trx, actor, id);
        if (!can(actor, 'contract.decide', { type: 'contract', ejFiness: visible.ejFiness, requestedBy: visible.requestedBy, status: visible.status })) deny();
        const before = await lockedContract(trx, id);
        if (before.status !== 'submitted') throw new ContractStateError(before.status, 'activer');
        await assertContractable(trx, before.egFiness ?? before.ejFiness).catch((e: unknown) => {
          if (e instanceof EntityNotContractableError) throw new EntityNotContractableError('closed', '/params/id');
          throw e;
        });
        const seq = await sql<{ n: number }>`select nextval('cde_card_seq')::int as n`.execute(trx);
        const cdeIdnps = `3${before.egFiness ?? before.ejFiness}/CDE${String(seq.rows[0]!.n).padStart(4, '0')}`;
        const who = auditActorOf(actor);
        const after = await trx
          .updateTable('contract')
          .set({ status: 'active', cdeIdnps, decidedBy: who.id, decidedAt: now(), decisionReason: null, updatedAt: now(), version: sql`version + 1` })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('cardOrder')
          .values({
            ejFiness: before.ejFiness,
            form: 'F101',
            cardKind: 'CDE',
            holderIdnps: cdeIdnps,
            holderFamilyName: before.rlFamilyName,
            holderGivenName: before.rlGivenName,
            reference: null,
            contractId: id,
            recordedBy: who.id,
            recordedAt: now(),
          })
          .execute();
        const src = source('contract', id);
        // An EG-level contract gives rights on that EG only (issue 16).
        const egs = before.egFiness ? [before.egFiness] : null;
        await grantRoles(trx, src, cdeIdnps, 'legal_representative', before.ejFiness, egs);
        // The RL may also sign in with the card or e-CPS he already has.
        if (before.rlIdnps && before.rlIdnps !== cdeIdnps) await grantRoles(trx, src, before.rlIdnps, 'legal_representative', before.ejFiness, egs);
        await audit(trx, who, 'contract.activate', 'contract', id, contractAudit(before), contractAudit(after));
        await audit(trx, who, 'card-order.f101', 'contract', id, null, { form: 'F101', cardKind: 'CDE', holderIdnps: cdeIdnps });
        return readableContract(trx, actor, id);
      });
    },

    async refuseContract(actor: Actor, id: string, reason: string) {
      return db.transaction().execute(async (trx) => {
        const visible = await readableContract(trx, actor, id);
        if (!can(actor, 'contract.decide', { type: 'contract', ejFiness: visible.ejFiness, requestedBy: visible.requestedBy, status: visible.status })) deny();
        const before = await lockedContract(trx, id);
        if (before.status !== 'submitted') throw new ContractStateError(before.status, 'refuser');
        if (!reason.trim()) throw new OnboardingValidationError([{ pointer: '/body/reason', detail: 'Le motif du refus est obligatoire.' }]);
        const who = auditActorOf(actor);
        const after = await trx
          .updateTable('contract')
          .set({ status: 'refused', decisionReason: reason.trim(), decidedBy: who.id, decidedAt: now(), updatedAt: now(), version: sql`version + 1` })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await audit(trx, who, 'contract.refuse', 'contract', id, contractAudit(before), contractAudit(after));
        return readableContract(trx, actor, id);
      });
    },

    /** End of the contract: every role it gave (RL, mandataires, gestionnaires) ends with it. */
    async terminateContract(actor: Actor, id: string, reason: string) {
      return db.transaction().execute(async (trx) => {
        const visible = await readableContract(trx, actor, id);
        if (!can(actor, 'contract.terminate', { type: 'contract', ejFiness: visible.ejFiness, requestedBy: visible.requestedBy, status: visible.status })) deny();
        const before = await lockedContract(trx, id);
        if (before.status !== 'active') throw new ContractStateError(before.status, 'résilier');
        if (!reason.trim()) throw new OnboardingValidationError([{ pointer: '/body/reason', detail: 'Le motif de la résiliation est obligatoire.' }]);
        const who = auditActorOf(actor);
        const after = await trx
          .updateTable('contract')
          .set({ status: 'terminated', decisionReason: reason.trim(), terminatedAt: now(), updatedAt: now(), version: sql`version + 1` })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await revokeRoles(trx, source('contract', id));
        const habs = await trx
          .selectFrom('habilitation')
          .select('id')
          .where('ejFiness', '=', before.ejFiness)
          .where('status', '=', 'active')
          // An EG-level contract ends the habilitations on its EG only.
          .$if(before.egFiness !== null, (q) => q.where((eb) => eb.exists(eb.selectFrom('habilitationEg as x').select('x.egFiness').whereRef('x.habilitationId', '=', 'habilitation.id').where('x.egFiness', '=', before.egFiness!))))
          .execute();
        for (const h of habs) await revokeHabilitationIn(trx, who, h.id, 'contract-terminated');
        const mands = await trx.selectFrom('mandataire').select('id').where('ejFiness', '=', before.egFiness ?? before.ejFiness).where('revokedAt', 'is', null).execute();
        for (const m of mands) {
          await trx.updateTable('mandataire').set({ revokedAt: now(), revokedBy: who.id }).where('id', '=', m.id).execute();
          await revokeRoles(trx, source('mandataire', m.id));
          await audit(trx, who, 'mandataire.revoke', 'mandataire', m.id, { active: true }, { active: false, reason: 'contract-terminated' });
        }
        await audit(trx, who, 'contract.terminate', 'contract', id, contractAudit(before), contractAudit(after));
        // Issue 16, item 6: the RL is told; the professionals stay published (docs/onboarding-and-policy.md).
        if (deps.mail && deps.publicUrl) await deps.mail.queueMail(trx, terminatedMail(before.rlEmail, before.egFiness ?? before.ejFiness, reason.trim(), deps.publicUrl), `contract-terminated:${id}`);
        return readableContract(trx, actor, id);
      });
    },

    async listContracts(actor: Actor, filter: { status?: string }) {
      if (actor.kind !== 'person') deny();
      let q = scopedContracts(db, scopeOf(actor));
      if (filter.status) q = q.where('contract.status', '=', filter.status as never);
      return q.orderBy('contract.submittedAt', 'asc').orderBy('contract.createdAt', 'asc').limit(500).execute();
    },

    async getContract(actor: Actor, id: string) {
      const row = await readableContract(db, actor, id);
      const history = await historyOf(db, 'contract', id);
      return { ...row, history };
    },

    async contractFile(actor: Actor, id: string) {
      const row = await readableContract(db, actor, id);
      if (!row.signedFileId) throw new FileNotFoundError();
      const file = await files.get(db, row.signedFileId);
      if (!file) throw new FileNotFoundError();
      return file;
    },

    // ——— Entity (EJ): overview and strategy ———

    async getEntity(actor: Actor, ejFiness: string) {
      if (!can(actor, 'ej.read', { type: 'ej', ejFiness })) deny();
      const ej = await findStructure(db, ejFiness);
      if (!ej) throw new ContractNotFoundError();
      // An EG is an entity of its own only through an EG-level contract.
      const contract = ej.kind === 'EJ' ? await activeContractOf(db, ejFiness) : await activeContractOfEntity(db, ejFiness);
      if (ej.kind === 'EG' && !contract) throw new ContractNotFoundError();
      const establishments = ej.kind === 'EJ' ? await establishmentsOf(db, ejFiness) : [{ finess: ej.finess, name: ej.name, closedOn: ej.closedOn }];
      return {
        ejFiness,
        name: ej.name,
        contractId: contract?.id ?? null,
        contractStatus: contract?.status ?? null,
        strategy: contract?.strategy ?? null,
        establishments: establishments.map((e) => ({ finess: e.finess, name: e.name, open: e.closedOn === null || e.closedOn > today() })),
        can: {
          changeStrategy: can(actor, 'strategy.change', { type: 'ej', ejFiness }),
          manageMandataires: can(actor, 'mandataire.manage', { type: 'ej', ejFiness }),
          manageHabilitations: can(actor, 'habilitation.manage', { type: 'ej', ejFiness }),
        },
      };
    },

    /**
     * Strategy rule (docs/onboarding-and-policy.md): centralized allows only EJ-wide
     * habilitations, decentralized allows both. Moving to centralized revokes the EG-scoped
     * habilitations (they no longer fit); moving to decentralized keeps every habilitation.
     */
    async changeStrategy(actor: Actor, ejFiness: string, strategy: Strategy) {
      if (!can(actor, 'strategy.change', { type: 'ej', ejFiness })) deny();
      return db.transaction().execute(async (trx) => {
        const contract = await trx.selectFrom('contract').selectAll().where('ejFiness', '=', ejFiness).where('status', '=', 'active').forUpdate().executeTakeFirst();
        if (!contract) throw new NoActiveContractError();
        const who = auditActorOf(actor);
        const revoked: string[] = [];
        if (contract.strategy !== strategy) {
          await trx.updateTable('contract').set({ strategy, updatedAt: now(), version: sql`version + 1` }).where('id', '=', contract.id).execute();
          await audit(trx, who, 'contract.strategy', 'contract', contract.id, { strategy: contract.strategy }, { strategy });
          if (strategy === 'centralized') {
            const misfits = await trx.selectFrom('habilitation').select('id').where('ejFiness', '=', ejFiness).where('status', '=', 'active').where('scopeKind', '=', 'eg').execute();
            for (const h of misfits) {
              await revokeHabilitationIn(trx, who, h.id, 'strategy-change');
              revoked.push(h.id);
            }
          }
        }
        return { ejFiness, strategy, revokedHabilitations: revoked };
      });
    },

    // ——— Mandataires ———

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

    // ——— Habilitations ("Mes Habilitations") ———

    async listHabilitations(actor: Actor, entity: string, filter: { status?: 'active' | 'revoked' }) {
      if (!can(actor, 'habilitation.read', { type: 'ej', ejFiness: entity })) deny();
      const structure = await findStructure(db, entity);
      // An EG (EG-level contract): the habilitations on that EG.
      let q =
        structure?.kind === 'EG'
          ? scopedHabilitations(db, scopeOf(actor)).where((eb) => eb.exists(eb.selectFrom('habilitationEg as x').select('x.egFiness').whereRef('x.habilitationId', '=', 'habilitation.id').where('x.egFiness', '=', entity)))
          : scopedHabilitations(db, scopeOf(actor)).where('habilitation.ejFiness', '=', entity);
      if (filter.status) q = q.where('habilitation.status', '=', filter.status);
      const rows = await q.orderBy('habilitation.status').orderBy('habilitation.familyName').orderBy('habilitation.id').execute();
      return rows.map((r) => ({ ...r, egFiness: r.egFiness ?? [] }));
    },

    /** The person's own habilitations (a gestionnaire sees his scope, nothing of others). */
    async myHabilitations(actor: Actor) {
      if (actor.kind !== 'person' || !actor.idnps) return [];
      const rows = await scopedHabilitations(db, { ...scopeOf(actor), all: false, manageEj: [] })
        .where('habilitation.idnps', '=', actor.idnps)
        .orderBy('habilitation.createdAt', 'desc')
        .execute();
      return rows.map((r) => ({ ...r, egFiness: r.egFiness ?? [] }));
    },

    /**
     * `form` reads the upload: it is called only once the actor is known to be allowed, and
     * outside the transaction (a slow upload never holds a database connection).
     */
    async createHabilitation(actor: Actor, entity: string, form: () => Promise<{ input: HabilitationInput; attestation: UploadedFile | undefined }>) {
      if (!can(actor, 'habilitation.manage', { type: 'ej', ejFiness: entity })) deny('Seuls le représentant légal et les mandataires de cette entité juridique habilitent ses gestionnaires.');
      const { input, attestation } = await form();
      return db.transaction().execute(async (trx) => {
        const ctx = await entityContext(trx, entity);
        // An EG-level contract: every habilitation is on that EG ("toute l'entité" = the EG).
        const v = validateHabilitation(ctx.egFiness ? { ...input, scope: 'eg', egFiness: [ctx.egFiness] } : input, attestation, ctx);
        const ejFiness = ctx.ejFiness;
        const dup = await trx.selectFrom('habilitation').select('id').where('ejFiness', '=', ejFiness).where('idnps', '=', v.idnps).where('status', '=', 'active').executeTakeFirst();
        if (dup) throw new HabilitationAlreadyActiveError();
        const who = auditActorOf(actor);
        const file = await files.put(trx, { purpose: 'elearning-attestation', contentType: attestation!.contentType, originalName: attestation!.filename, content: attestation!.content, createdBy: who.id }, now());
        const row = await trx
          .insertInto('habilitation')
          .values({
            ejFiness,
            idnps: v.idnps,
            familyName: v.familyName,
            givenName: v.givenName,
            email: v.email,
            scopeKind: v.scopeKind,
            status: 'active',
            credential: v.credential,
            cardForm: v.cardForm,
            cardFormReference: v.cardFormReference,
            attestationFileId: file.id,
            elearningCompletedOn: v.elearningCompletedOn,
            endsOn: v.endsOn,
            createdBy: who.id,
            createdAt: now(),
            updatedAt: now(),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        if (v.egFiness.length > 0) await trx.insertInto('habilitationEg').values(v.egFiness.map((eg) => ({ habilitationId: row.id, egFiness: eg }))).execute();
        if (v.cardForm) {
          await trx
            .insertInto('cardOrder')
            .values({
              ejFiness,
              form: v.cardForm,
              cardKind: 'CPE',
              holderIdnps: v.idnps,
              holderFamilyName: v.familyName,
              holderGivenName: v.givenName,
              reference: v.cardFormReference,
              habilitationId: row.id,
              recordedBy: who.id,
              recordedAt: now(),
            })
            .execute();
        }
        await grantRoles(trx, source('habilitation', row.id), v.idnps, 'gestionnaire', ejFiness, v.scopeKind === 'eg' ? v.egFiness : null);
        await audit(trx, who, 'habilitation.create', 'habilitation', row.id, null, habilitationAudit({ ...v, status: 'active' }));
        if (v.endsOn && jobs) await jobs.enqueue(trx, 'habilitation.scheduled-end', { habilitationId: row.id }, { startAfter: new Date(`${v.endsOn}T00:00:00Z`) });
        return readableHabilitation(trx, actor, row.id);
      });
    },

    async getHabilitation(actor: Actor, id: string) {
      const row = await readableHabilitation(db, actor, id);
      const history = await historyOf(db, 'habilitation', id);
      return { ...row, history };
    },

    async updateHabilitation(actor: Actor, id: string, patch: HabilitationPatch) {
      return db.transaction().execute(async (trx) => {
        const visible = await readableHabilitation(trx, actor, id);
        const entity = await entityOfHabilitation(trx, visible);
        if (!can(actor, 'habilitation.manage', { type: 'ej', ejFiness: entity })) deny();
        const before = await trx.selectFrom('habilitation').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
        if (before.status !== 'active') throw new HabilitationRevokedError();
        const ctx = await entityContext(trx, entity);
        const errors: FieldError[] = [];
        const err = (field: string, detail: string) => errors.push({ pointer: `/body/${field}`, detail });
        const scopeKind = patch.scope ?? before.scopeKind;
        const egFiness = scopeKind === 'eg' ? [...new Set((patch.egFiness ?? visible.egFiness).map((e) => e.toUpperCase()))] : [];
        if (scopeKind === 'eg') checkEgs(egFiness, ctx, err);
        if (scopeKind === 'eg' && ctx.strategy === 'centralized') err('scope', 'Stratégie centralisée : les gestionnaires sont habilités sur toute l’entité juridique.');
        const endsOn = patch.endsOn === undefined ? before.endsOn : patch.endsOn;
        if (patch.endsOn && (!isDate(patch.endsOn) || patch.endsOn <= today())) err('endsOn', 'La date de fin doit être une date postérieure à aujourd’hui.');
        if (errors.length > 0) throw new OnboardingValidationError(errors);
        await trx.updateTable('habilitation').set({ scopeKind, endsOn, updatedAt: now(), version: sql`version + 1` }).where('id', '=', id).execute();
        await trx.deleteFrom('habilitationEg').where('habilitationId', '=', id).execute();
        if (egFiness.length > 0) await trx.insertInto('habilitationEg').values(egFiness.map((eg) => ({ habilitationId: id, egFiness: eg }))).execute();
        const src = source('habilitation', id);
        await revokeRoles(trx, src);
        await grantRoles(trx, src, before.idnps, 'gestionnaire', before.ejFiness, scopeKind === 'eg' ? egFiness : null);
        const who = auditActorOf(actor);
        await audit(trx, who, 'habilitation.update', 'habilitation', id, habilitationAudit({ ...before, egFiness: visible.egFiness }), habilitationAudit({ ...before, scopeKind, egFiness, endsOn }));
        if (endsOn && endsOn !== before.endsOn && jobs) await jobs.enqueue(trx, 'habilitation.scheduled-end', { habilitationId: id }, { startAfter: new Date(`${endsOn}T00:00:00Z`) });
        return readableHabilitation(trx, actor, id);
      });
    },

    /** Immediate: the role rows are revoked in the same transaction, the next request is refused. */
    async revokeHabilitation(actor: Actor, id: string, reason: string | undefined) {
      return db.transaction().execute(async (trx) => {
        const visible = await readableHabilitation(trx, actor, id);
        if (!can(actor, 'habilitation.revoke', { type: 'ej', ejFiness: await entityOfHabilitation(trx, visible) })) deny();
        if (visible.status !== 'active') throw new HabilitationRevokedError();
        await revokeHabilitationIn(trx, auditActorOf(actor), id, reason?.trim() || 'revoked');
        return readableHabilitation(trx, actor, id);
      });
    },

    async attestationFile(actor: Actor, id: string) {
      const row = await readableHabilitation(db, actor, id);
      const file = await files.get(db, row.attestationFileId);
      if (!file) throw new FileNotFoundError();
      return file;
    },

    /** Scheduled revocations whose end date has come (the job, and a sweep at start-up). Idempotent. */
    async applyScheduledEnds(onlyId?: string) {
      return db.transaction().execute(async (trx) => {
        const due = await trx
          .selectFrom('habilitation')
          .select('id')
          .where('status', '=', 'active')
          .where('endsOn', 'is not', null)
          .where('endsOn', '<=', today())
          .$if(onlyId !== undefined, (q) => q.where('id', '=', onlyId!))
          .execute();
        for (const h of due) await revokeHabilitationIn(trx, jobActor, h.id, 'end-date');
        return due.length;
      });
    },

    // ——— Home page ———

    /** What the signed-in person can do, for "Mon espace". */
    async home(actor: Actor) {
      if (actor.kind !== 'person') deny();
      const s: Scope = scopeOf(actor);
      const ejs = ejOfScope(s);
      const names = ejs.length
        ? await db.selectFrom('structure').select(['finess', 'name', 'kind', 'ejFiness']).where((eb) => eb.or([eb('finess', 'in', ejs), ...(s.registerEj.length ? [eb('ejFiness', 'in', s.registerEj)] : [])])).execute()
        : [];
      const egNames = s.registerEg.length ? await db.selectFrom('structure').select(['finess', 'name']).where('finess', 'in', s.registerEg.map((e) => e.egFiness)).execute() : [];
      const nameOf = (f: string) => names.find((n) => n.finess === f)?.name ?? egNames.find((n) => n.finess === f)?.name ?? null;
      const entities = ejs.map((ej) => ({
        ejFiness: ej,
        name: nameOf(ej),
        legalRepresentative: s.rlEj.includes(ej),
        manageHabilitations: s.manageEj.includes(ej),
        registerScope: s.registerEj.includes(ej)
          ? { kind: 'ej' as const, establishments: names.filter((n) => n.kind === 'EG' && n.ejFiness === ej).map((n) => ({ finess: n.finess, name: n.name })) }
          : { kind: 'eg' as const, establishments: s.registerEg.filter((e) => (e.ejFiness === ej && !s.manageEj.includes(e.egFiness)) || e.egFiness === ej).map((e) => ({ finess: e.egFiness, name: nameOf(e.egFiness) })) },
      }));
      const pendingContracts = s.all ? Number((await db.selectFrom('contract').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'submitted').executeTakeFirstOrThrow()).n) : null;
      const myRequests = await db
        .selectFrom('contract')
        .leftJoin('structure', 'structure.finess', 'contract.ejFiness')
        .select(['contract.id', 'contract.ejFiness', 'contract.status', 'structure.name as ejName', 'contract.decisionReason'])
        .where('contract.requestedBy', '=', actor.accountId)
        .orderBy('contract.createdAt', 'desc')
        .execute();
      return { operator: s.all, pendingContracts, entities, myRequests };
    },
  };
}

export type OnboardingService = ReturnType<typeof createOnboardingService>;
