import { recordAudit } from '../../audit.ts';
import { ValidationError } from '../../errors.ts';
import { checkFiness } from '../../identifiers.ts';
import { bulkMail } from '../../mail/service.ts';
import type { Declarations } from '../register/drafts.ts';
import { createRegisterService } from '../register/service.ts';
import type { Actor, EgScope } from '../register/types.ts';
import { checkDeclarations } from '../register/validation.ts';
import { checkRows, egScopeIn } from './check.ts';
import { toInput } from './columns.ts';
import { readBulkFile } from './csv.ts';
import { BulkNothingToImportError, BulkOutOfScopeError } from './errors.ts';
import type { BulkImportDeps, CheckReport, ImportMode, Progress } from './model.ts';
import { createBatchProcessing } from './process-batch.ts';
import { createImportFollowUp } from './progress.ts';

export { maxDatesPerName } from './check.ts';
export { allDeclarations, type BulkImportDeps, type CheckReport, type ImportMode, type Progress, type RowError, type RowReport, type RowStatus } from './model.ts';
export { reportCsv } from './progress.ts';

/**
 * Bulk import of staff (issue 10). Every row goes through the register's own rules (`check*` of
 * register/validation.ts, the duplicate search and decision of the register), set-based per batch
 * (check.ts, register-batch.ts); the use cases: dry run and commit here, batches in
 * process-batch.ts, progress and report in progress.ts.
 */
export function createBulkImportService(deps: BulkImportDeps) {
  const { db, clock, config } = deps;
  // Its mails (one per registered row) queue behind the transactional ones (docs/jobs-and-mail.md).
  const mail = deps.mail && bulkMail(deps.mail);
  const register = createRegisterService({ ...deps, mail });
  const { processBatch } = createBatchProcessing({ ...deps, mail, register });
  const { progress, findVisible, rowsOf, resumeUnfinished } = createImportFollowUp(deps);

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
    const egs = await egScopeIn(db, scope, ejFiness, options.byKey);
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
    const checked = await checkRows(deps, scope, ejFiness, egs, parsed, (done) => options.onProgress?.({ phase: 'check', done, total: parsed.rows.length }));
    await options.identityChecks?.after({ identities: parsed.rows.length, inScopeMatches: checked.matches.inScope, outOfScopeMatches: checked.matches.outOfScope });
    return { egs, checked };
  }

  /** Dry run: reads and checks every row, writes nothing. */
  async function dryRun(scope: EgScope, ejFiness: string, file: string, options: FileOptions = {}): Promise<CheckReport> {
    const { checked } = await check(scope, ejFiness, file, options);
    const { inputs: _inputs, values: _values, outOfScope: _outOfScope, matches: _matches, ...report } = checked;
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
        // `register` mode: the checked values, which its batch does not check again (model.ts).
        input: r.status !== 'valid' ? null : JSON.stringify(mode === 'register' ? { ...checked.values.get(r.rowNumber)!, checked: true } : checked.inputs.get(r.rowNumber)),
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

  return { dryRun, commit, processBatch, progress, findVisible, rowsOf, resumeUnfinished, egScopeIn: (scope: EgScope, ejFiness: string, byKey?: boolean) => egScopeIn(db, scope, ejFiness, byKey) };
}
export type BulkImportService = ReturnType<typeof createBulkImportService>;
