import type { Kysely } from 'kysely';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { FieldError } from '../../errors.ts';
import type { FileStore } from '../../files/store.ts';
import type { UploadedFile } from '../../files/upload.ts';
import { checkFiness } from '../../identifiers.ts';
import { rppsCguVersion } from '../terms/versions.ts';
import { DraftAlreadySubmittedError, DraftIncompleteError, DraftNotFoundError, EgOutOfScopeError } from './errors.ts';
import type { RegisterService } from './service.ts';
import type { Actor, ContactInput, EgScope, EtatCivilInput, SituationInput } from './types.ts';
import { checkDeclarations, throwIfErrors } from './validation.ts';

/**
 * The "Enregistrer un professionnel" wizard (DOMAIN.md, the 4-step form): a draft per
 * registration, saved step by step once the step passes the register's rules, resumable, then
 * submitted. The draft is owned by the gestionnaire who started it: nobody else sees it.
 */
export const draftSteps = ['etat-civil', 'contact', 'situation', 'declarations'] as const;
export type DraftStep = (typeof draftSteps)[number];

export interface Declarations {
  /** "Les données sont exactes et le professionnel a été informé des conditions d'utilisation et de ses droits." */
  accurateAndInformed?: boolean | null;
  /** "J'ai rencontré le professionnel en personne." */
  metInPerson?: boolean | null;
}

/** A draft left alone this long is deleted by the daily register job (it holds personal data). */
export const draftRetentionDays = 30;

type DraftRow = Awaited<ReturnType<typeof loadRow>>;

async function loadRow(db: Kysely<DB>, owner: Actor, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new DraftNotFoundError();
  const row = await db.selectFrom('registrationDraft').selectAll().where('id', '=', id).where('ownerId', '=', owner.id).executeTakeFirst();
  if (!row) throw new DraftNotFoundError();
  return row;
}

export function toDraftView(row: NonNullable<DraftRow>, identityDocument?: { originalName: string; contentType: string; sizeBytes: number } | null) {
  const data = {
    etatCivil: (row.etatCivil ?? null) as EtatCivilInput | null,
    contact: (row.contact ?? null) as ContactInput | null,
    situation: (row.situation ?? null) as SituationInput | null,
    declarations: (row.declarations ?? null) as Declarations | null,
  };
  return {
    id: row.id,
    ...data,
    identityDocument: identityDocument ?? null,
    completedSteps: draftSteps.filter((s) => (s === 'etat-civil' ? data.etatCivil : s === 'contact' ? data.contact : s === 'situation' ? data.situation : data.declarations) !== null),
    rpps: row.rpps,
    submittedAt: row.submittedAt ? new Date(row.submittedAt).toISOString() : null,
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}
export type DraftView = ReturnType<typeof toDraftView>;

const inScope = (scope: EgScope, raw: string | null | undefined) => {
  const f = raw ? checkFiness(raw) : undefined;
  return !f?.valid || scope === 'all' || scope.includes(f.finess);
};

export function createRegisterDrafts(deps: { db: Database; clock: Clock; register: RegisterService; files?: FileStore }) {
  const { db, clock, register } = deps;
  const { validation } = register;

  async function documentInfo(id: string | null) {
    if (!id) return null;
    return (await db.selectFrom('storedFile').select(['originalName', 'contentType', 'sizeBytes']).where('id', '=', id).executeTakeFirst()) ?? null;
  }
  const view = async (row: NonNullable<DraftRow>) => toDraftView(row, await documentInfo(row.identityDocumentId));

  function open(row: NonNullable<DraftRow>) {
    if (row.submittedAt) throw new DraftAlreadySubmittedError(row.rpps);
    return row;
  }

  async function checkStep(row: NonNullable<DraftRow>, scope: EgScope, step: DraftStep, data: unknown) {
    switch (step) {
      case 'etat-civil': {
        const checked = await validation.checkEtatCivil(data as EtatCivilInput, '/body');
        throwIfErrors(checked.errors);
        // A warning at step 1, before anything else is typed: the same checks run again at submission.
        const duplicates = await register.checkDuplicates(data as EtatCivilInput);
        return { value: data, duplicates: [...duplicates.exact, ...duplicates.likely] };
      }
      case 'contact': {
        const checked = await validation.checkContact(data as ContactInput, '/body');
        throwIfErrors(checked.errors);
        return { value: data };
      }
      case 'situation': {
        const input = data as SituationInput;
        if (!inScope(scope, input.egFiness)) throw new EgOutOfScopeError('/body/egFiness');
        const ec = row.etatCivil as EtatCivilInput | null;
        const checked = await validation.checkSituation(input, '/body', {
          birthDate: ec?.birthDate ?? undefined,
          defaultLastName: (ec?.usageName || ec?.birthName) ?? undefined,
          defaultFirstName: ec?.firstNames?.[0] ?? undefined,
        });
        throwIfErrors(checked.errors);
        return { value: data };
      }
      case 'declarations': {
        throwIfErrors(checkDeclarations(data as Declarations, '/body'));
        return { value: { accurateAndInformed: true, metInPerson: true } };
      }
    }
  }

  const column = { 'etat-civil': 'etatCivil', contact: 'contact', situation: 'situation', declarations: 'declarations' } as const;

  return {
    async create(owner: Actor) {
      const row = await db.insertInto('registrationDraft').values({ ownerId: owner.id, etatCivil: null, contact: null, situation: null, declarations: null, createdAt: clock.now(), updatedAt: clock.now() }).returningAll().executeTakeFirstOrThrow();
      return view(row);
    },

    async get(owner: Actor, id: string) {
      return view(await loadRow(db, owner, id));
    },

    /** The owner's drafts not yet submitted, most recent first (to resume one). */
    async listOpen(owner: Actor) {
      const rows = await db
        .selectFrom('registrationDraft')
        .selectAll()
        .where('ownerId', '=', owner.id)
        .where('submittedAt', 'is', null)
        .orderBy('updatedAt', 'desc')
        .limit(20)
        .execute();
      return rows.map((r) => toDraftView(r));
    },

    /** Validates one step with the register's rules (422 naming each field, nothing saved), then saves it. */
    async saveStep(owner: Actor, scope: EgScope, id: string, step: DraftStep, data: unknown) {
      const row = open(await loadRow(db, owner, id));
      const checked = await checkStep(row, scope, step, data);
      const saved = await db
        .updateTable('registrationDraft')
        .set({
          [column[step]]: JSON.stringify(checked.value),
          updatedAt: clock.now(),
          // The declaration "informed of the terms of use" refers to the version in force (issue 16).
          ...(step === 'declarations' ? { cguVersion: rppsCguVersion } : {}),
        })
        .where('id', '=', row.id)
        .where('submittedAt', 'is', null)
        .returningAll()
        .executeTakeFirst();
      if (!saved) throw new DraftAlreadySubmittedError(null);
      return { draft: await view(saved), duplicates: ('duplicates' in checked ? checked.duplicates : undefined) ?? [] };
    },

    async attachIdentityDocument(owner: Actor, id: string, file: UploadedFile | undefined) {
      if (!deps.files) throw new Error('No file store configured');
      if (!file) throwIfErrors([{ pointer: '/body/identityDocument', detail: 'Joignez la copie d’une pièce d’identité (PDF, JPEG ou PNG).' }]);
      const row = open(await loadRow(db, owner, id));
      const files = deps.files;
      const saved = await db.transaction().execute(async (trx) => {
        const stored = await files.put(trx, { purpose: 'identity-document', contentType: file!.contentType, originalName: file!.filename, content: file!.content, createdBy: owner.id }, clock.now());
        return trx.updateTable('registrationDraft').set({ identityDocumentId: stored.id, updatedAt: clock.now() }).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
      });
      return view(saved);
    },

    /**
     * Submits the draft: every step is checked again and the register allocates the number.
     * Idempotent (the draft id is the idempotency key): a double click or a second tab gets the
     * same number. The draft's personal data are cleared in the registering transaction.
     */
    async submit(owner: Actor, scope: EgScope, id: string, input: { notDuplicateOf?: string[] }) {
      const row = await loadRow(db, owner, id);
      if (row.submittedAt && row.rpps) return { rpps: row.rpps, draftId: row.id };
      const missing: FieldError[] = [];
      if (!row.etatCivil) missing.push({ pointer: '/body/etatCivil', detail: 'L’étape « État civil » n’est pas complétée.' });
      if (!row.identityDocumentId) missing.push({ pointer: '/body/identityDocument', detail: 'La copie de la pièce d’identité est obligatoire.' });
      if (!row.contact) missing.push({ pointer: '/body/contact', detail: 'L’étape « Coordonnées » n’est pas complétée.' });
      if (!row.situation) missing.push({ pointer: '/body/situation', detail: 'L’étape « Situation d’exercice » n’est pas complétée.' });
      if (!row.declarations) missing.push({ pointer: '/body/declarations', detail: 'Les deux déclarations sont obligatoires.' });
      if (missing.length > 0) throw new DraftIncompleteError(missing);
      const result = await register.registerProfessional(
        owner,
        scope,
        {
          etatCivil: row.etatCivil as EtatCivilInput,
          contact: row.contact as ContactInput,
          situation: row.situation as SituationInput,
          identityDocumentId: row.identityDocumentId!,
          idempotencyKey: `draft:${row.id}`,
          notDuplicateOf: input.notDuplicateOf,
        },
        {
          within: async (trx, r) => {
            await trx
              .updateTable('registrationDraft')
              .set({ etatCivil: null, contact: null, situation: null, declarations: null, identityDocumentId: null, rpps: r.rpps, submittedAt: clock.now(), updatedAt: clock.now() })
              .where('id', '=', row.id)
              .execute();
          },
        },
      );
      return { rpps: result.rpps, draftId: row.id };
    },

    async remove(owner: Actor, id: string) {
      const row = await loadRow(db, owner, id);
      await db.deleteFrom('registrationDraft').where('id', '=', row.id).execute();
      return { deleted: true };
    },

    /** Deletes drafts untouched for 30 days and submitted ones after a day (daily job). */
    async purgeStale() {
      const now = clock.now().getTime();
      const stale = new Date(now - draftRetentionDays * 86_400_000);
      const submitted = new Date(now - 86_400_000);
      const res = await db
        .deleteFrom('registrationDraft')
        .where((eb) => eb.or([eb('updatedAt', '<', stale), eb.and([eb('submittedAt', 'is not', null), eb('submittedAt', '<', submitted)])]))
        .executeTakeFirst();
      return Number(res.numDeletedRows);
    },
  };
}
export type RegisterDrafts = ReturnType<typeof createRegisterDrafts>;
