import fs from 'node:fs';
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { Config } from '../server/config.ts';
import { systemClock } from '../server/context.ts';
import type { DatabaseHandle } from '../server/db/database.ts';
import { DomainError } from '../server/errors.ts';
import { createBackground } from '../server/jobs/background.ts';
import { silentLogger } from '../server/jobs/index.ts';
import { allDeclarations, createBulkImportService, reportCsv, type RowReport } from '../server/modules/bulk-import/service.ts';

/** The CLI acts as the platform operator: the EJ's every EG is in scope; the audit trail says `cli`. */
const cliActor = { id: 'cli:rpps-import', kind: 'operator' };

function printErrors(report: RowReport[], limit = 20) {
  const bad = report.filter((r) => r.errors.length > 0);
  for (const r of bad.slice(0, limit)) {
    for (const e of r.errors) process.stderr.write(`ligne ${r.rowNumber}${e.column ? ` (${e.column})` : ''} : ${e.detail}\n`);
  }
  if (bad.length > limit) process.stderr.write(`… et ${bad.length - limit} autre(s) ligne(s) en erreur (voir le rapport)\n`);
}

/**
 * `rpps import FILE --ej FINESS [--dry-run] [--declarations] [--report FILE]`, and `--resume ID`
 * to finish a commit interrupted by a crash. Batches run in this process, with a progress bar; the
 * registration e-mails and identity checks are queued for the server's workers.
 */
export function addImportCommand(
  program: Command,
  deps: { config: () => Config; withDatabase: <T>(run: (handle: DatabaseHandle) => Promise<T>) => Promise<T>; userPath: (f: string) => string },
) {
  program
    .command('import')
    .description('Bulk import of staff from a CSV or XLSX file (templates: GET /api/bulk-imports/template.csv or .xlsx); dry run first')
    .argument('[file]', 'CSV (UTF-8 or Windows-1252, ; or ,) or XLSX file')
    .option('--ej <finess>', 'FINESS of the entité juridique the staff belongs to')
    .option('--dry-run', 'check every row and write the report; import nothing')
    .option('--declarations', 'both declarations of the form ticked for the whole file (data accurate, professionals informed and met in person): each row is registered; without it each row becomes a pending request in the gestionnaires’ queue')
    .option('--report <file>', 'where to write the per-row report (default: FILE.rapport.csv)')
    .option('--resume <id>', 'finish a committed import interrupted by a crash')
    .action(async (file: string | undefined, options: { ej?: string; dryRun?: boolean; declarations?: boolean; report?: string; resume?: string }) => {
      const config = deps.config();
      await deps.withDatabase(async (handle) => {
        const background = createBackground({ ...config, jobsWorker: false }, handle, systemClock);
        await background.start(silentLogger);
        try {
          const service = createBulkImportService({ db: handle.db, clock: systemClock, config, jobs: background.jobs, mail: background.mail });
          let id = options.resume;
          if (!id) {
            if (!file || !options.ej) throw new CliUsageError('give FILE and --ej FINESS (or --resume ID)');
            const source = deps.userPath(file);
            const bar = new SingleBar({ stream: process.stderr, format: `vérification [{bar}] {value}/{total} lignes`, hideCursor: true, clearOnComplete: true });
            let started = false;
            const onProgress = (p: { phase: 'read' | 'check'; done: number; total: number }) => {
              if (p.phase !== 'check') return;
              if (!started) {
                started = true;
                bar.start(p.total, p.done);
              } else bar.update(p.done);
            };
            try {
              if (options.dryRun) {
                const report = await service.dryRun('all', options.ej, source, { fileName: path.basename(source), onProgress });
                bar.stop();
                const out = options.report ? deps.userPath(options.report) : `${source}.rapport.csv`;
                fs.writeFileSync(out, reportCsv(report.report));
                printErrors(report.report);
                const read = report.format === 'xlsx' ? 'xlsx' : `${report.encoding}, « ${report.delimiter} »`;
                process.stdout.write(`${path.basename(source)}: ${report.rows} lignes, ${report.valid} valides, ${report.invalid} en erreur (${read}) ; rapport : ${out}\n`);
                if (report.invalid > 0) process.exitCode = 1;
                return;
              }
              const declarations = options.declarations === true ? allDeclarations : null;
              const committed = await service.commit(cliActor, 'all', options.ej, source, { fileName: path.basename(source), declarations, onProgress });
              bar.stop();
              id = committed.id;
              const becomes = committed.mode === 'pending' ? 'deviendront des demandes à valider (sans --declarations)' : 'à enregistrer';
              process.stdout.write(`import ${id} : ${committed.rows} lignes, ${committed.invalid} en erreur ignorées, ${committed.pending} ${becomes}\n`);
            } catch (err) {
              bar.stop();
              throw err;
            }
          }
          const first = await service.progress(id);
          const outcome = first.mode === 'pending' ? 'demandes créées' : 'enregistrées';
          const bar = new SingleBar({ stream: process.stderr, format: `import [{bar}] {value}/{total} | {imported} ${outcome}, {failed} en échec | reste {eta_formatted}`, hideCursor: true });
          const total = first.rows - first.invalid;
          bar.start(total, first.imported + first.failed, { imported: first.imported, failed: first.failed });
          for (;;) {
            const { pending } = await service.processBatch(id);
            const p = await service.progress(id);
            bar.update(p.imported + p.failed, { imported: p.imported, failed: p.failed });
            if (pending === 0) break;
          }
          bar.stop();
          const done = await service.progress(id);
          const out = deps.userPath(options.report ?? `${file ?? `import-${id}`}.rapport.csv`);
          fs.writeFileSync(out, reportCsv(await service.rowsOf(id), done.mode));
          process.stdout.write(`import ${id} : ${done.imported} ${outcome}, ${done.failed} en échec, ${done.invalid} en erreur ; rapport : ${out}\n`);
          if (done.failed > 0 || done.invalid > 0) process.exitCode = 1;
        } catch (err) {
          if (err instanceof DomainError) {
            process.stderr.write(`rpps import: ${err.detail}\n`);
            for (const e of err.errors) process.stderr.write(`  ${e.pointer}: ${e.detail}\n`);
            process.exitCode = 1;
            return;
          }
          throw err;
        } finally {
          await background.stop();
        }
      });
    });
}

export class CliUsageError extends DomainError {
  constructor(detail: string) {
    super('cli-usage', 400, detail);
  }
}
