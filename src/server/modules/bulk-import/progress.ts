import type { Database } from '../../db/database.ts';
import type { Clock } from '../../context.ts';
import type { JobQueue } from '../../jobs/index.ts';
import type { Actor, EgScope } from '../register/types.ts';
import { csvField } from './columns.ts';
import { BulkImportNotFoundError } from './errors.ts';
import type { ImportMode, Progress, RowReport, RowStatus } from './model.ts';

/** Use cases: following an import (progress, who may see it, its report) and resuming unfinished ones. */
export function createImportFollowUp(deps: { db: Database; clock: Clock; jobs?: JobQueue }) {
  const { db, clock } = deps;

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

  return { progress, findVisible, rowsOf, resumeUnfinished };
}

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
