import { sql } from 'kysely';
import { auditActorOf } from '../../audit.ts';
import type { Actor } from '../../auth/actor.ts';
import { can } from '../../auth/policy.ts';
import { parisDateOf } from '../../calendar.ts';
import type { FieldError } from '../../errors.ts';
import type { UploadedFile } from '../../files/upload.ts';
import { mieCguVersion } from '../../../shared/terms.ts';
import { contractAudit, deny, type OnboardingContext } from './context.ts';
import { contractFormPdf } from './contract-form.ts';
import { ContractAlreadyExistsError, ContractStateError, OnboardingValidationError } from './errors.ts';
import { findStructure } from './queries.ts';
import { annexErrors, emailPattern, isDate, type Maybe, type RlInput, rlColumns } from './validation.ts';

export interface ContractRequestInput {
  /** FINESS number of the contracting structure: an EJ (whole entity) or an EG (one site). */
  ejFiness: string;
  rl: RlInput;
  signedOn?: Maybe<string>;
  /** Contract annex (seed 000): SIRET du siège and the organisme gestionnaire's address. */
  siret?: Maybe<string>;
  address?: Maybe<string>;
  /** Version of the MIE terms of use the RL read before the contract (seed 000, étape 1). */
  mieCguVersion?: Maybe<string>;
}

/**
 * The contract request, by the structure's legal representative (seed 000, étapes 1–3): may this
 * FINESS contract, the draft with its annex, the pre-filled form to sign, the signed PDF, submission.
 */
export function contractRequestUseCases(context: OnboardingContext) {
  const { db, files, now, today, audit, assertContractable, assertNoLiveContract, readableContract, lockedContract } = context;

  return {
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
            mieCguVersion: input.mieCguVersion || null,
            mieCguAcceptedAt: input.mieCguVersion ? now() : null,
            status: 'draft',
            ...rlColumns(input.rl),
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
        mieCguAcceptedOn: c.mieCguAcceptedAt ? parisDateOf(c.mieCguAcceptedAt) : null,
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
  };
}
