import type { ColumnType, Kysely } from 'kysely';
import { recordAudit } from '../../audit.ts';
import type { Config } from '../../config.ts';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { DomainError, ValidationError } from '../../errors.ts';
import { checkFiness } from '../../identifiers.ts';
import type { JobQueue } from '../../jobs/index.ts';
import { bulkMail, type MailService } from '../../mail/service.ts';
import { candidateBirthDates, matchIdentity } from '../register/duplicates.ts';
import { identityKey, nameKey, normalizeName } from '../register/names.ts';
import { checkDeclarations } from '../register/validation.ts';
import { RequestAlreadyPendingError } from '../preregistration/errors.ts';
import { pendingRequestFor } from '../preregistration/queries.ts';
import { createRequestFromFile } from '../preregistration/service.ts';
import type { Declarations } from '../register/drafts.ts';
import { createRegisterService } from '../register/service.ts';
import type { Actor, EgScope, EtatCivil } from '../register/types.ts';
import { type ColumnKey, columnOf, csvField, impossibleDate, personOf, type RowInput, toInput } from './columns.ts';
import { type ParsedFile, readBulkFile } from './csv.ts';
import { BulkImportForbiddenError, BulkImportNotFoundError, BulkNothingToImportError, BulkOutOfScopeError } from './errors.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string | undefined, string>;

/**
 * What a valid row becomes. `register`: a registration (the gestionnaire ticked the form's two
 * declarations for the whole batch); `pending`: a pre-registration request in the gestionnaire's
 * queue, validated face to face later (guide ANS: état civil and contact collected face to face).
 */
export type ImportMode = 'register' | 'pending';

export type RowStatus = 'valid' | 'invalid' | 'pending' | 'imported' | 'failed';

export interface RowError {
  /** The French header of the column, '' when the error is about the whole row. */
  column: string;
  detail: string;
}

export interface RowReport {
  rowNumber: number;
  /** Birth name and first first name as the file gives them ('' when the row has none). */
  person?: string;
  status: RowStatus;
  errors: RowError[];
  rpps?: string | null;
  requestId?: string | null;
}

interface BulkImportTable {
  id: ColumnType<string, string | undefined, never>;
  ejFiness: string;
  actorId: string;
  actorKind: string;
  egScope: string[];
  fileName: string;
  status: 'committing' | 'done';
  mode: ColumnType<ImportMode, ImportMode | undefined, ImportMode>;
  declarations: Json<Declarations | null> | null;
  rowCount: number;
  invalidCount: number;
  startedAt: Timestamp;
  finishedAt: Timestamp | null;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
  updatedAt: Timestamp;
}

interface BulkImportRowTable {
  importId: string;
  rowNumber: number;
  person: string | null;
  status: 'pending' | 'invalid' | 'imported' | 'failed';
  input: Json<RowInput | null> | null;
  errors: Json<RowError[]>;
  rpps: string | null;
  requestId: string | null;
  processedAt: Timestamp | null;
}

declare module '../../db/schema.ts' {
  interface DB {
    bulkImport: BulkImportTable;
    bulkImportRow: BulkImportRowTable;
  }
}

export interface BulkImportDeps {
  db: Database;
  clock: Clock;
  config: Pick<Config, 'rppsRange' | 'bulkImport'> & Partial<Pick<Config, 'publicUrl'>>;
  jobs?: JobQueue;
  mail?: MailService;
}

export interface CheckReport {
  format: ParsedFile['format'];
  encoding: ParsedFile['encoding'];
  delimiter: ParsedFile['delimiter'];
  rows: number;
  valid: number;
  invalid: number;
  report: RowReport[];
}

export interface Progress {
  id: string;
  ejFiness: string;
  fileName: string;
  mode: ImportMode;
  status: 'committing' | 'done';
  rows: number;
  invalid: number;
  pending: number;
  imported: number;
  failed: number;
  startedAt: Date;
  finishedAt: Date | null;
  /** Seconds left at the rate observed so far; null before the first row or when done. */
  etaSeconds: number | null;
}

/** Both declarations of the form's step 4, ticked for a whole batch. */
export const allDeclarations: Declarations = Object.freeze({ accurateAndInformed: true, metInPerson: true });

const normalizedFiness = (raw: string) => {
  const checked = checkFiness(raw);
  return checked.valid ? checked.finess : raw;
};

const rowKey = (importId: string, rowNumber: number) => `bulk-import:${importId}:${rowNumber}`;

/** More birth dates than this for one birth name + first name in a file: none of its rows is looked up. */
export const maxDatesPerName = 3;
const probeName = (e: { birthName?: string | null; firstNames?: Array<string | null | undefined> | null }) => `${nameKey(normalizeName(e.birthName ?? ''))}|${nameKey(normalizeName(e.firstNames?.[0] ?? ''))}`;

/**
 * Names that a file gives with more than `maxDatesPerName` birth dates: "one dry run of 365 rows
 * with the same name and each day of a year" (issue 15) is an oracle on a person's birth date,
 * not a list of staff. Their rows are reported invalid without any lookup in the register.
 */
function serialProbes(parsed: ParsedFile): Set<string> {
  const dates = new Map<string, Set<string>>();
  for (const { raw } of parsed.rows) {
    const ec = toInput(raw).etatCivil;
    if (!ec.birthName || !ec.birthDate) continue;
    const key = probeName(ec);
    dates.set(key, (dates.get(key) ?? new Set()).add(ec.birthDate));
  }
  return new Set([...dates].filter(([, d]) => d.size > maxDatesPerName).map(([k]) => k));
}

/**
 * Bulk import of staff (issue 10). Every row goes through the register's own rules
 * (`check*` of register/validation.ts, duplicate search of the register service) and a committed
 * row is registered by `registerProfessional` itself, with an idempotency key per file and row.
 */
export function createBulkImportService(deps: BulkImportDeps) {
  const { db, clock, config } = deps;
  // Its mails (one per registered row) queue behind the transactional ones (docs/jobs-and-mail.md).
  const register = createRegisterService({ ...deps, mail: deps.mail && bulkMail(deps.mail) });
  const { validation } = register;

  /** The EG of the EJ the actor may register in (the policy's scope, narrowed to this EJ in SQL). */
  async function egScopeIn(scope: EgScope, ejFiness: string, byKey = false): Promise<string[]> {
    let q = db.selectFrom('structure').select('finess').where('kind', '=', 'EG').where('ejFiness', '=', ejFiness);
    if (scope !== 'all') q = scope.length === 0 ? q.where((eb) => eb.val(false)) : q.where('finess', 'in', [...scope]);
    const egs = (await q.orderBy('finess').execute()).map((r) => r.finess);
    if (egs.length === 0) throw new BulkImportForbiddenError(scope === 'all' ? 'no-eg' : byKey ? 'key' : 'person');
    return egs;
  }

  async function checkRows(scope: EgScope, ejFiness: string, egs: string[], parsed: ParsedFile, onRow?: (done: number) => void): Promise<CheckReport & { inputs: Map<number, RowInput>; outOfScope: number[]; matches: { inScope: number; outOfScope: number } }> {
    const matches = { inScope: 0, outOfScope: 0 };
    const report: RowReport[] = [];
    const inputs = new Map<number, RowInput>();
    const outOfScope: number[] = [];
    const byIdentity = new Map<string, number>();
    const byBirthDate = new Map<string, Array<{ rowNumber: number; etatCivil: EtatCivil }>>();
    const emails = new Map<string, number>();
    const mobiles = new Map<string, number>();

    const serial = serialProbes(parsed);
    for (const { rowNumber, raw } of parsed.rows) {
      const input = toInput(raw);
      const errors: RowError[] = [];
      const add = (pointer: string, detail: string) => errors.push({ column: columnOf(pointer), detail });

      const eg = input.situation.egFiness ? checkFiness(input.situation.egFiness) : undefined;
      const foreign = eg?.valid === true && !egs.includes(eg.finess);
      if (foreign) {
        outOfScope.push(rowNumber);
        add('/situation/egFiness', `L’établissement ${eg.finess} ne fait pas partie de votre périmètre pour cette entité juridique.`);
      }
      const ec = await validation.checkEtatCivil(input.etatCivil, '/etatCivil');
      const ct = await validation.checkContact(input.contact, '/contact');
      const st = await validation.checkSituation(input.situation, '/situation', {
        birthDate: ec.value?.birthDate,
        defaultLastName: input.etatCivil.birthName,
        defaultFirstName: input.etatCivil.firstNames?.[0],
      });
      // 31/02/1990 is said to be impossible, in place of the register's "format attendu".
      const impossible = new Map<string, string>();
      for (const k of ['birthDate', 'startDate'] as const satisfies readonly ColumnKey[]) {
        const detail = impossibleDate(raw[k]);
        if (detail) impossible.set(k === 'birthDate' ? '/etatCivil/birthDate' : '/situation/startDate', detail);
      }
      for (const [pointer, detail] of impossible) add(pointer, detail);
      for (const e of [...ec.errors, ...ct.errors, ...st.errors]) {
        if (!(foreign && e.pointer === '/situation/egFiness') && !impossible.has(e.pointer)) add(e.pointer, e.detail);
      }

      if (ct.value) {
        // Contact data are personal: never shared by two people (guide ANS), in the file too.
        const sameEmail = emails.get(ct.value.email);
        if (sameEmail) add('/contact/email', `Adresse électronique déjà utilisée à la ligne ${sameEmail} du fichier.`);
        else emails.set(ct.value.email, rowNumber);
        const sameMobile = mobiles.get(ct.value.mobile);
        if (sameMobile) add('/contact/mobile', `Numéro de mobile déjà utilisé à la ligne ${sameMobile} du fichier.`);
        else mobiles.set(ct.value.mobile, rowNumber);
      }

      if (ec.value && serial.has(probeName(ec.value))) {
        // The same name with many birth dates: a probe of the register, not a staff list (issue 15).
        add('', `Plusieurs lignes du fichier (plus de ${maxDatesPerName}) portent les mêmes nom de naissance et prénom avec des dates de naissance différentes : elles ne sont pas comparées au répertoire. Corrigez le fichier ou enregistrez ces personnes une à une.`);
      } else if (ec.value) {
        const e = ec.value;
        const key = identityKey(e);
        const exactRow = byIdentity.get(key);
        const likelyRow = exactRow ?? candidateBirthDates(e.birthDate)
          .flatMap((d) => byBirthDate.get(d) ?? [])
          .find((other) => matchIdentity(e, other.etatCivil) !== null)?.rowNumber;
        if (likelyRow) add('', `Doublon : même personne (ou très ressemblante) qu’à la ligne ${likelyRow} du fichier.`);
        else {
          byIdentity.set(key, rowNumber);
          byBirthDate.set(e.birthDate, [...(byBirthDate.get(e.birthDate) ?? []), { rowNumber, etatCivil: e }]);
          // Out of the caller's scope a match is named by nothing (issue 15): no number, no name.
          const found = await register.checkDuplicates(input.etatCivil, scope);
          const known = (list: typeof found.exact) => list.flatMap((c) => (c.inScope && c.rpps ? [c.rpps] : []));
          for (const c of [...found.exact, ...found.likely]) matches[c.inScope ? 'inScope' : 'outOfScope'] += 1;
          if (known(found.exact).length > 0) {
            add('', `Cette personne est déjà enregistrée au RPPS (n° ${known(found.exact).join(', ')}) : ajoutez-lui une situation d’exercice au lieu de l’enregistrer à nouveau.`);
          } else if (found.exact.length > 0) {
            add('', 'Cette personne est déjà enregistrée au RPPS par une autre structure : si vous connaissez son numéro RPPS, ajoutez-lui une situation d’exercice.');
          } else if (known(found.likely).length > 0) {
            add('', `Doublon probable avec une personne déjà enregistrée (RPPS ${known(found.likely).join(', ')}) : vérifiez-le avec le formulaire d’enregistrement.`);
          } else if (found.likely.length > 0) {
            add('', 'Une identité proche est déjà enregistrée : enregistrez cette personne avec le formulaire (l’ANS vérifiera) ou, si vous connaissez son numéro RPPS, ajoutez-lui une situation d’exercice.');
          }
          // Already in this EJ's queue: validating that request registers the person.
          const pending = await pendingRequestFor(db, ejFiness, e);
          if (pending) add('', new RequestAlreadyPendingError(pending.submittedOn).detail);
        }
      }

      report.push({ rowNumber, person: personOf(raw), status: errors.length === 0 ? 'valid' : 'invalid', errors });
      if (errors.length === 0) inputs.set(rowNumber, input);
      onRow?.(report.length);
    }
    const valid = inputs.size;
    return { format: parsed.format, encoding: parsed.encoding, delimiter: parsed.delimiter, rows: report.length, valid, invalid: report.length - valid, report, inputs, outOfScope, matches };
  }

  interface FileOptions {
    /** The uploaded name: a name claiming .xlsx must hold a workbook. */
    fileName?: string;
    /** Rows read, then rows checked: for progress bars. */
    onProgress?: (p: { phase: 'read' | 'check'; done: number; total: number }) => void;
    /** The caller is an API key: a refusal of the EJ is worded for it. */
    byKey?: boolean;
    /** Identity checks (issue 15): `before` may refuse the file's rows before any lookup; `after` audits. */
    identityChecks?: {
      before(rows: number): Promise<void>;
      after(outcome: { identities: number; inScopeMatches: number; outOfScopeMatches: number }): Promise<void>;
    };
    /** Refuse the whole file at once when a row names an EG outside the scope (commit). */
    refuseOutOfScope?: boolean;
  }

  async function check(scope: EgScope, ejFiness: string, file: string, options: FileOptions = {}) {
    const egs = await egScopeIn(scope, ejFiness, options.byKey);
    const parsed = await readBulkFile(file, config.bulkImport, { fileName: options.fileName, onRow: (done) => options.onProgress?.({ phase: 'read', done, total: 0 }) });
    if (options.refuseOutOfScope) {
      // A commit naming an EG outside the scope is refused before any identity is looked up.
      const outside = parsed.rows.flatMap(({ rowNumber, raw }) => {
        const eg = checkFiness(toInput(raw).situation.egFiness ?? '');
        return eg.valid && !egs.includes(eg.finess) ? [rowNumber] : [];
      });
      if (outside.length > 0) throw new BulkOutOfScopeError(outside.map((n) => ({ pointer: `/rows/${n}/egFiness`, detail: `Ligne ${n} : établissement hors de votre périmètre.` })));
    }
    await options.identityChecks?.before(parsed.rows.length);
    const checked = await checkRows(scope, ejFiness, egs, parsed, (done) => options.onProgress?.({ phase: 'check', done, total: parsed.rows.length }));
    await options.identityChecks?.after({ identities: parsed.rows.length, inScopeMatches: checked.matches.inScope, outOfScopeMatches: checked.matches.outOfScope });
    return { egs, checked };
  }

  /** Dry run: reads and checks every row, writes nothing. */
  async function dryRun(scope: EgScope, ejFiness: string, file: string, options: FileOptions = {}): Promise<CheckReport> {
    const { checked } = await check(scope, ejFiness, file, options);
    const { inputs: _inputs, outOfScope: _outOfScope, matches: _matches, ...report } = checked;
    return report;
  }

  /**
   * Commit: checks the file again (it may have changed since the dry run), refuses it entirely if a
   * row names an EG outside the scope, then records every row and queues the first batch, all in
   * one transaction. Invalid rows are recorded with their errors and skipped.
   */
  async function commit(actor: Actor, scope: EgScope, ejFiness: string, file: string, options: FileOptions & { fileName: string; declarations: Declarations | null }): Promise<Progress> {
    // Declarations given: the form's own rule (both ticked), else nothing is read or written.
    const mode: ImportMode = options.declarations ? 'register' : 'pending';
    if (options.declarations) {
      const missing = checkDeclarations(options.declarations, '/body/declarations');
      if (missing.length > 0) throw new ValidationError('Cochez les deux déclarations pour l’ensemble du fichier, ou aucune pour créer des demandes à valider.', missing);
    }
    const { egs, checked } = await check(scope, ejFiness, file, { ...options, refuseOutOfScope: true });
    if (checked.outOfScope.length > 0) {
      throw new BulkOutOfScopeError(checked.outOfScope.map((n) => ({ pointer: `/rows/${n}/egFiness`, detail: `Ligne ${n} : établissement hors de votre périmètre.` })));
    }
    if (checked.valid === 0) throw new BulkNothingToImportError();
    const now = clock.now();
    const id = await db.transaction().execute(async (trx) => {
      const created = await trx
        .insertInto('bulkImport')
        .values({
          ejFiness,
          actorId: actor.id,
          actorKind: actor.kind,
          egScope: egs,
          fileName: options.fileName.slice(0, 200),
          status: 'committing',
          mode,
          declarations: options.declarations ? JSON.stringify(options.declarations) : null,
          rowCount: checked.rows,
          invalidCount: checked.invalid,
          startedAt: now,
          createdAt: now,
          updatedAt: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const rows = checked.report.map((r) => ({
        importId: created.id,
        rowNumber: r.rowNumber,
        person: r.person ?? null,
        status: r.status === 'valid' ? ('pending' as const) : ('invalid' as const),
        input: r.status === 'valid' ? JSON.stringify(checked.inputs.get(r.rowNumber)) : null,
        errors: JSON.stringify(r.errors),
      }));
      for (let i = 0; i < rows.length; i += 1000) await trx.insertInto('bulkImportRow').values(rows.slice(i, i + 1000)).execute();
      await recordAudit(trx, {
        at: now,
        actor,
        action: 'bulk-import.committed',
        entityType: 'bulk-import',
        entityId: created.id,
        after: { ejFiness, mode, declarations: options.declarations ? { ...options.declarations } : null, rows: checked.rows, valid: checked.valid, invalid: checked.invalid },
      });
      if (deps.jobs) await deps.jobs.enqueue(trx, 'bulk-import.batch', { importId: created.id });
      return created.id;
    });
    return progress(id);
  }

  async function markImported(executor: Kysely<DB>, importId: string, rowNumber: number, done: { rpps: string } | { requestId: string }) {
    await executor
      .updateTable('bulkImportRow')
      .set({ status: 'imported', ...done, input: null, processedAt: clock.now() })
      .where('importId', '=', importId)
      .where('rowNumber', '=', rowNumber)
      .where('status', '=', 'pending')
      .execute();
  }

  /**
   * Registers the next `batchSize` pending rows. Each row commits with its registration (same
   * transaction, `within`), and its idempotency key (file + row) makes a row processed twice —
   * after a crash, or by two workers — register one person. Returns the rows still pending.
   */
  async function processBatch(importId: string, options: { limit?: number; onRow?: (rowNumber: number) => void } = {}): Promise<{ processed: number; pending: number }> {
    const imp = await db.selectFrom('bulkImport').selectAll().where('id', '=', importId).executeTakeFirst();
    if (!imp || imp.status === 'done') return { processed: 0, pending: 0 };
    const actor: Actor = { id: imp.actorId, kind: imp.actorKind };
    const rows = await db
      .selectFrom('bulkImportRow')
      .select(['rowNumber', 'input'])
      .where('importId', '=', importId)
      .where('status', '=', 'pending')
      .orderBy('rowNumber')
      .limit(options.limit ?? config.bulkImport.batchSize)
      .execute();
    for (const row of rows) {
      const input = row.input as RowInput;
      const key = rowKey(importId, row.rowNumber);
      try {
        if (imp.mode === 'pending') {
          // The request and the row's mark commit together: a crash leaves the row done or to do.
          await db.transaction().execute(async (trx) => {
            const requestId = await createRequestFromFile(trx, clock.now(), actor, {
              idempotencyKey: key,
              ejFiness: imp.ejFiness,
              // The queue is scoped on this column: the normalized number, as the check read it.
              egFiness: normalizedFiness(input.situation.egFiness!),
              etatCivil: input.etatCivil,
              contact: input.contact,
              situation: input.situation,
            });
            await markImported(trx, importId, row.rowNumber, { requestId });
          });
        } else {
          const result = await register.registerProfessional(
            actor,
            imp.egScope,
            { ...input, idempotencyKey: key },
            { within: (trx, r) => markImported(trx, importId, row.rowNumber, { rpps: r.rpps }) },
          );
          // Already registered by an earlier attempt (the key answered without a new transaction).
          await markImported(db, importId, row.rowNumber, { rpps: result.rpps });
        }
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        // The register changed since the check (a duplicate registered meanwhile): the row fails alone.
        const errors: RowError[] = err.errors.length > 0 ? err.errors.map((e) => ({ column: columnOf(e.pointer.replace(/^\/body/, '')), detail: e.detail })) : [{ column: '', detail: err.detail }];
        await db
          .updateTable('bulkImportRow')
          .set({ status: 'failed', input: null, errors: JSON.stringify(errors), processedAt: clock.now() })
          .where('importId', '=', importId)
          .where('rowNumber', '=', row.rowNumber)
          .where('status', '=', 'pending')
          .execute();
      }
      options.onRow?.(row.rowNumber);
    }
    const pending = await countPending(importId);
    if (pending === 0) {
      await db.updateTable('bulkImport').set({ status: 'done', finishedAt: clock.now(), updatedAt: clock.now() }).where('id', '=', importId).where('status', '=', 'committing').execute();
    } else {
      await db.updateTable('bulkImport').set({ updatedAt: clock.now() }).where('id', '=', importId).execute();
    }
    return { processed: rows.length, pending };
  }

  async function countPending(importId: string) {
    const r = await db
      .selectFrom('bulkImportRow')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('importId', '=', importId)
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async function progress(importId: string): Promise<Progress> {
    const imp = await db.selectFrom('bulkImport').selectAll().where('id', '=', importId).executeTakeFirst();
    if (!imp) throw new BulkImportNotFoundError();
    const counts = await db
      .selectFrom('bulkImportRow')
      .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
      .where('importId', '=', importId)
      .groupBy('status')
      .execute();
    const n = (s: string) => Number(counts.find((c) => c.status === s)?.n ?? 0);
    const pending = n('pending');
    const processed = n('imported') + n('failed');
    const elapsed = (clock.now().getTime() - new Date(imp.startedAt).getTime()) / 1000;
    const etaSeconds = imp.status === 'done' || processed === 0 || elapsed <= 0 ? null : Math.round((pending * elapsed) / processed);
    return {
      id: imp.id,
      ejFiness: imp.ejFiness,
      fileName: imp.fileName,
      mode: imp.mode,
      status: imp.status,
      rows: imp.rowCount,
      invalid: n('invalid'),
      pending,
      imported: n('imported'),
      failed: n('failed'),
      startedAt: imp.startedAt,
      finishedAt: imp.finishedAt,
      etaSeconds,
    };
  }

  /**
   * Who may follow an import (its progress and its report, RPPS numbers included): anyone whose
   * CURRENT scope covers every EG the import could write into (its recorded `egScope`), its author
   * included — being the author gives nothing (issue 15): a gestionnaire whose habilitation is
   * revoked no longer follows his imports, and the structure's other gestionnaires do. An
   * EG-scoped gestionnaire follows the imports made within his EG, never one that also reaches
   * other EG (404, as for an unknown id): its report names people he may not see.
   */
  async function findVisible(_actor: Actor, scope: EgScope, importId: string) {
    if (!/^[0-9a-f-]{36}$/i.test(importId)) throw new BulkImportNotFoundError();
    const imp = await db.selectFrom('bulkImport').select(['id', 'actorId', 'egScope']).where('id', '=', importId).executeTakeFirst();
    if (!imp || !(scope === 'all' || (imp.egScope.length > 0 && imp.egScope.every((eg) => scope.includes(eg))))) throw new BulkImportNotFoundError();
    return imp;
  }

  /** The committed file's report: every row with its status, RPPS number and errors. */
  async function rowsOf(importId: string): Promise<RowReport[]> {
    const rows = await db.selectFrom('bulkImportRow').select(['rowNumber', 'person', 'status', 'errors', 'rpps', 'requestId']).where('importId', '=', importId).orderBy('rowNumber').execute();
    return rows.map((r) => ({ rowNumber: r.rowNumber, person: r.person ?? '', status: r.status, errors: r.errors, rpps: r.rpps, requestId: r.requestId }));
  }

  /** Imports left unfinished (a crash, a restart): their next batch is queued again. */
  async function resumeUnfinished(): Promise<string[]> {
    const open = await db.selectFrom('bulkImport').select('id').where('status', '=', 'committing').execute();
    if (deps.jobs && open.length > 0) {
      await db.transaction().execute(async (trx) => {
        for (const o of open) await deps.jobs!.enqueue(trx, 'bulk-import.batch', { importId: o.id });
      });
    }
    return open.map((o) => o.id);
  }

  return { dryRun, commit, processBatch, progress, findVisible, rowsOf, resumeUnfinished, egScopeIn };
}
export type BulkImportService = ReturnType<typeof createBulkImportService>;

const statusLabels: Record<RowStatus, string> = {
  valid: 'valide',
  invalid: 'erreur',
  pending: 'en attente',
  imported: 'importée',
  failed: 'échec',
};

/** The per-row report as CSV (`;`, UTF-8 with BOM for spreadsheets): one line per field error. */
export function reportCsv(rows: RowReport[], mode: ImportMode = 'register'): string {
  const lines = ['Ligne;Personne;Statut;Colonne;Message;Numéro RPPS'];
  for (const r of rows) {
    const base = [String(r.rowNumber), r.person ?? '', mode === 'pending' && r.status === 'imported' ? 'demande créée' : statusLabels[r.status]];
    if (r.errors.length === 0) lines.push([...base, '', '', r.rpps ?? ''].map(csvField).join(';'));
    for (const e of r.errors) lines.push([...base, e.column, e.detail, r.rpps ?? ''].map(csvField).join(';'));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
