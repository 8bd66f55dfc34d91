import { type Kysely, type QueryCreator, sql } from 'kysely';
import { type AuditEntry, auditRows, recordAudit } from '../../audit.ts';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { FieldError } from '../../errors.ts';
import type { FileStore } from '../../files/store.ts';
import type { UploadedFile } from '../../files/upload.ts';
import { checkFiness } from '../../identifiers.ts';
import { rppsCguVersion } from '../../../shared/terms.ts';
import { DraftAlreadySubmittedError, DraftIncompleteError, DraftNotFoundError, DraftStructureRequiredError, EgOutOfScopeError } from './errors.ts';
import type { RegisterService } from './service.ts';
import type { Actor, ContactInput, EgScope, EtatCivilInput, SituationInput } from './types.ts';
import { checkDeclarations, throwIfErrors } from './validation.ts';

/**
 * The "Enregistrer un professionnel" wizard (DOMAIN.md, the 4-step form): a draft per
 * registration, saved step by step once the step passes the register's rules, resumable, then
 * submitted. A draft belongs to its structure, not to the account that started it (issue 15):
 * it records the EJ and the EG it may end in (`egScope`: the creator's EG in that EJ, then the EG
 * chosen at the situation step), and every read, write and submission checks the caller's
 * CURRENT scope (see `visible`). So a gestionnaire whose habilitation is revoked loses his drafts
 * at once, and the structure's other gestionnaires (its RL included) see and resume them.
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

export type DraftRow = Awaited<ReturnType<typeof loadRow>>;

/**
 * Who may see a draft: a structure's gestionnaire while his current scope covers every EG the
 * draft may end in; an operator (national scope) only his own drafts (he is no structure).
 * In the SQL (STYLE.md §4): a draft outside it is never read.
 */
function visible(db: Kysely<DB>, caller: Actor, scope: EgScope) {
  return db.selectFrom('registrationDraft').selectAll().where(visibleTo(caller, scope));
}
/** `visible`'s condition, for the statements that write a draft without reading it first. */
function visibleTo(caller: Actor, scope: EgScope) {
  if (scope === 'all') return sql<boolean>`owner_id = ${caller.id}`;
  if (scope.length === 0) return sql<boolean>`false`;
  return sql<boolean>`cardinality(eg_scope) > 0 AND eg_scope <@ ${sql.val([...scope])}::text[]`;
}

async function loadRow(db: Kysely<DB>, caller: Actor, scope: EgScope, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new DraftNotFoundError();
  const row = await visible(db, caller, scope).where('id', '=', id).executeTakeFirst();
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
    ejFiness: row.ejFiness,
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

/** Identity-check accounting of step 1 (issue 15), given by the caller that knows who asks. */
export interface DraftIdentityChecks {
  beforeDuplicateSearch(): Promise<void>;
  afterDuplicateSearch(found: Array<{ inScope: boolean }>): Promise<void>;
  /** The audit entry `afterDuplicateSearch` would write alone: given, it is written with the draft's update (one statement). */
  auditOf?(found: Array<{ inScope: boolean }>): AuditEntry;
}

export function createRegisterDrafts(deps: { db: Database; clock: Clock; register: RegisterService; files?: FileStore; checks?: DraftIdentityChecks }) {
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

  async function checkStep(row: NonNullable<DraftRow> | null, scope: EgScope, step: DraftStep, data: unknown) {
    switch (step) {
      case 'etat-civil': {
        const checked = await validation.checkEtatCivil(data as EtatCivilInput, '/body');
        throwIfErrors(checked.errors);
        // A warning at step 1, before anything else is typed: the same checks run again at submission.
        await deps.checks?.beforeDuplicateSearch();
        const duplicates = await register.checkDuplicates(data as EtatCivilInput, scope);
        const all = [...duplicates.exact, ...duplicates.likely];
        // Written with the draft's update when the checks give their entry (saveStep).
        const audit = deps.checks?.auditOf?.(all);
        if (!audit) await deps.checks?.afterDuplicateSearch(all);
        return { value: data, duplicates: all, audit };
      }
      case 'contact': {
        const checked = await validation.checkContact(data as ContactInput, '/body');
        throwIfErrors(checked.errors);
        return { value: data };
      }
      case 'situation': {
        const input = data as SituationInput;
        // Within the caller's scope and within the draft's structure: no moving A's draft into B.
        if (!inScope(scope, input.egFiness)) throw new EgOutOfScopeError('/body/egFiness');
        const eg = input.egFiness ? checkFiness(input.egFiness) : undefined;
        // The EG read once, for this check and the rules.
        const rules = await validation.preloaded({ situation: input });
        if (row?.ejFiness && eg?.valid) {
          const of = rules.knownStructure(eg.finess);
          if (of && of.ejFiness !== row.ejFiness) throw new EgOutOfScopeError('/body/egFiness');
        }
        const ec = (row?.etatCivil ?? null) as EtatCivilInput | null;
        const checked = await rules.checkSituation(input, '/body', {
          birthDate: ec?.birthDate ?? undefined,
          defaultLastName: ec?.birthName,
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

  /**
   * The steps whose rules do not read the draft (contact, declarations; issue 18): checked, then
   * saved by one `UPDATE … RETURNING` guarded by the caller's scope (`visible`'s condition) and
   * the draft being open. Only when nothing matched is the draft read, to tell 404 from 409. So a
   * body that breaks the rules gets its 422 before the draft is looked at (the rules name the
   * body's fields, nothing of the draft).
   */
  async function saveRowFreeStep(owner: Actor, scope: EgScope, id: string, step: 'contact' | 'declarations', data: unknown) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new DraftNotFoundError();
    const checked = await checkStep(null, scope, step, data);
    const saved = await db
      .updateTable('registrationDraft')
      .set({
        [column[step]]: JSON.stringify(checked.value),
        updatedAt: clock.now(),
        // The declaration "informed of the terms of use" refers to the version in force (issue 16).
        ...(step === 'declarations' ? { cguVersion: rppsCguVersion } : {}),
      })
      .where('id', '=', id)
      .where('submittedAt', 'is', null)
      .where(visibleTo(owner, scope))
      .returningAll()
      .executeTakeFirst();
    if (!saved) {
      open(await loadRow(db, owner, scope, id));
      throw new DraftAlreadySubmittedError(null);
    }
    return { draft: await view(saved), duplicates: [] };
  }

  return {
    /**
     * A new draft of the caller's structure: `ejFiness` names it when his scope spans several
     * EJ (422 otherwise); its `egScope` is his EG in that EJ. An operator's draft is his own.
     */
    async create(owner: Actor, scope: EgScope, input: { ejFiness?: string | null } = {}) {
      let ejFiness: string | null = null;
      let egScope: string[] = [];
      if (scope !== 'all') {
        const egs = scope.length === 0 ? [] : await db.selectFrom('structure').select(['finess', 'ejFiness']).where('kind', '=', 'EG').where('finess', 'in', [...scope]).execute();
        const ejs = [...new Set(egs.flatMap((e) => (e.ejFiness ? [e.ejFiness] : [])))].sort();
        const wanted = input.ejFiness ? checkFiness(input.ejFiness) : undefined;
        if (input.ejFiness && (!wanted?.valid || !ejs.includes(wanted.finess))) throw new EgOutOfScopeError('/body/ejFiness');
        if (!wanted && ejs.length !== 1) throw new DraftStructureRequiredError();
        ejFiness = wanted?.valid ? wanted.finess : ejs[0]!;
        egScope = egs.filter((e) => e.ejFiness === ejFiness).map((e) => e.finess).sort();
      }
      const row = await db
        .insertInto('registrationDraft')
        .values({ ownerId: owner.id, ejFiness, egScope, etatCivil: null, contact: null, situation: null, declarations: null, createdAt: clock.now(), updatedAt: clock.now() })
        .returningAll()
        .executeTakeFirstOrThrow();
      return view(row);
    },

    async get(owner: Actor, scope: EgScope, id: string) {
      return view(await loadRow(db, owner, scope, id));
    },

    /** The open drafts of the caller's structures (his own and his colleagues'), most recent first. */
    async listOpen(owner: Actor, scope: EgScope) {
      const rows = await visible(db, owner, scope).where('submittedAt', 'is', null).orderBy('updatedAt', 'desc').limit(50).execute();
      return rows.map((r) => toDraftView(r));
    },
    /** How many open drafts the caller's structures hold ("Mon espace"). */
    async countOpen(owner: Actor, scope: EgScope) {
      const row = await visible(db, owner, scope).clearSelect().select((eb) => eb.fn.countAll<string>().as('n')).where('submittedAt', 'is', null).executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** Validates one step with the register's rules (422 naming each field, nothing saved), then saves it. */
    async saveStep(owner: Actor, scope: EgScope, id: string, step: DraftStep, data: unknown) {
      if (step === 'contact' || step === 'declarations') return saveRowFreeStep(owner, scope, id, step, data);
      const row = open(await loadRow(db, owner, scope, id));
      const checked = await checkStep(row, scope, step, data);
      // The situation step settles the EG: from then on the draft belongs to that EG's gestionnaires.
      const eg = step === 'situation' ? checkFiness((data as SituationInput).egFiness ?? '') : undefined;
      // Step 1's identity check is audited by the same statement (a data-modifying WITH).
      const audit = 'audit' in checked ? checked.audit : undefined;
      // (The CTE's name is never read: typed as the plain database.)
      const writer = audit ? (db.with('audit', (d) => d.insertInto('auditEvent').values(auditRows([audit]))) as unknown as QueryCreator<DB>) : db;
      const saved = await writer
        .updateTable('registrationDraft')
        .set({
          [column[step]]: JSON.stringify(checked.value),
          ...(eg?.valid && row.egScope.length > 0 ? { egScope: [eg.finess] } : {}),
          updatedAt: clock.now(),
        })
        .where('id', '=', row.id)
        .where('submittedAt', 'is', null)
        .returningAll()
        .executeTakeFirst();
      if (!saved) {
        // Submitted meanwhile: the WITH wrote nothing either, the check done is still audited.
        if (audit) await recordAudit(db, audit);
        throw new DraftAlreadySubmittedError(null);
      }
      return { draft: await view(saved), duplicates: ('duplicates' in checked ? checked.duplicates : undefined) ?? [] };
    },

    /** A draft the caller may see and that is not submitted yet (checked before an upload's body is read). */
    async openRow(owner: Actor, scope: EgScope, id: string) {
      return open(await loadRow(db, owner, scope, id));
    },

    /** Stores the copy of the identity document of `row` (`openRow`'s; still open when written). */
    async attachIdentityDocument(owner: Actor, row: NonNullable<DraftRow>, file: UploadedFile | undefined) {
      if (!deps.files) throw new Error('No file store configured');
      if (!file) throwIfErrors([{ pointer: '/body/identityDocument', detail: 'Joignez la copie d’une pièce d’identité (PDF, JPEG ou PNG).' }]);
      const files = deps.files;
      const { saved, stored } = await db.transaction().execute(async (trx) => {
        const stored = await files.put(trx, { purpose: 'identity-document', contentType: file!.contentType, originalName: file!.filename, content: file!.content, createdBy: owner.id }, clock.now());
        const saved = await trx
          .updateTable('registrationDraft')
          .set({ identityDocumentId: stored.id, updatedAt: clock.now() })
          .where('id', '=', row.id)
          .where('submittedAt', 'is', null)
          .returningAll()
          .executeTakeFirst();
        // Submitted since it was checked (another tab): nothing stored.
        if (!saved) throw new DraftAlreadySubmittedError(null);
        return { saved, stored };
      });
      // The document just stored, as documentInfo would read it back.
      return toDraftView(saved, { originalName: stored.originalName, contentType: stored.contentType, sizeBytes: stored.sizeBytes });
    },

    /**
     * Submits the draft: every step is checked again and the register allocates the number.
     * Idempotent (the draft id is the idempotency key): a double click or a second tab gets the
     * same number. The draft's personal data are cleared in the registering transaction.
     */
    async submit(owner: Actor, scope: EgScope, id: string, input: { notDuplicateOf?: string[]; outOfScopeAcknowledged?: boolean }) {
      const row = await loadRow(db, owner, scope, id);
      if (row.submittedAt && row.rpps) return { rpps: row.rpps, draftId: row.id, registeredAt: new Date(row.submittedAt).toISOString() };
      const missing: FieldError[] = [];
      if (!row.etatCivil) missing.push({ pointer: '/body/etatCivil', detail: 'L’étape « État civil » n’est pas complétée.' });
      if (!row.identityDocumentId) missing.push({ pointer: '/body/identityDocument', detail: 'La copie de la pièce d’identité est obligatoire.' });
      if (!row.contact) missing.push({ pointer: '/body/contact', detail: 'L’étape « Coordonnées » n’est pas complétée.' });
      if (!row.situation) missing.push({ pointer: '/body/situation', detail: 'L’étape « Situation d’exercice » n’est pas complétée.' });
      if (!row.declarations) missing.push({ pointer: '/body/declarations', detail: 'Les deux déclarations sont obligatoires.' });
      if (missing.length > 0) throw new DraftIncompleteError(missing);
      // The time the registering transaction records as the submission (the receipt shows it).
      let recordedAt: Date | undefined;
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
          outOfScopeAcknowledged: input.outOfScopeAcknowledged,
        },
        {
          within: async (trx, r) => {
            recordedAt = clock.now();
            await trx
              .updateTable('registrationDraft')
              .set({ etatCivil: null, contact: null, situation: null, declarations: null, identityDocumentId: null, rpps: r.rpps, submittedAt: recordedAt, updatedAt: recordedAt })
              .where('id', '=', row.id)
              .execute();
          },
        },
      );
      // A twin submission (double click, two tabs) committed first: its recorded time.
      recordedAt ??= new Date((await loadRow(db, owner, scope, id)).submittedAt ?? clock.now());
      return { rpps: result.rpps, draftId: row.id, registeredAt: recordedAt.toISOString() };
    },

    async remove(owner: Actor, scope: EgScope, id: string) {
      const row = await loadRow(db, owner, scope, id);
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
