import path from 'node:path';
import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { sql } from 'kysely';
import { type Config, ConfigError, loadConfig } from '../server/config.ts';
import { BackupError, backupEmbedded, restoreEmbedded } from '../server/db/backup.ts';
import type { DatabaseHandle } from '../server/db/database.ts';
import { DataDirLockedError } from '../server/db/lock.ts';
import { systemClock } from '../server/context.ts';
import { createDirectoryExtraction } from '../server/modules/directory/extraction.ts';
import { createDirectoryPublication } from '../server/modules/directory/publication.ts';
import { describeLocation, importFinessFile, UnknownFormatError } from '../server/modules/structures/import/index.ts';
import { openRuntimeDatabase } from '../server/runtime.ts';
import { addImportCommand } from './bulk-import.ts';

/** Problems the operator can fix print one line, without a stack trace (as src/server/main.ts). */
function fail(message: string): never {
  process.stderr.write(`rpps: ${message}\n`);
  process.exit(1);
}

function config(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
}

async function withDatabase<T>(run: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  const cfg = config();
  let handle: DatabaseHandle;
  try {
    handle = await openRuntimeDatabase(cfg);
  } catch (err) {
    if (err instanceof DataDirLockedError) fail(err.message);
    if (cfg.databaseUrl) fail(`cannot use the database at DATABASE_URL: ${(err as Error).message}`);
    throw err;
  }
  try {
    return await run(handle);
  } finally {
    await handle.close();
  }
}

/**
 * `npm run rpps` and bin/rpps run from the package directory (so DATA_DIR means the same as for
 * `npm start`); file arguments are relative to where the operator typed the command.
 */
const userPath = (file: string) => path.resolve(process.env.INIT_CWD ?? process.cwd(), file);

const program = new Command('rpps').description('RPPS+ command line').showHelpAfterError();

const db = program.command('db').description('Database administration');
db.command('migrate')
  .description('Apply pending migrations and load the reference data')
  .action(async () => {
    await withDatabase(async ({ db: database, backend }) => {
      // openRuntimeDatabase already migrated; list what the database now holds.
      const { rows } = await sql<{ name: string; timestamp: string }>`
        select name, timestamp from kysely_migration order by name`.execute(database);
      process.stdout.write(`Database (${backend}) is up to date; migrations applied:\n`);
      for (const row of rows) process.stdout.write(`  ${row.name}  (${row.timestamp})\n`);
    });
  });

const finess = program.command('finess').description('FINESS structures (EJ/EG)');
finess
  .command('import')
  .description('Import FINESS files: etalab extracts (cs1100507, cs1100501) or the JSON flow (gzip or plain)')
  .argument('<files...>', 'files to import, in order')
  .option('--skip-invalid', 'import the valid records of a file that has invalid ones (default: import nothing from it)')
  .action(async (files: string[], options: { skipInvalid?: boolean }) => {
    let failed = false;
    await withDatabase(async ({ db: database }) => {
      for (const file of files.map(userPath)) {
        const name = path.basename(file);
        const bar = new SingleBar({
          stream: process.stderr,
          format: `${name} [{bar}] {percentage}% | {value}/{total} kB | {records} records`,
          hideCursor: true,
          clearOnComplete: true,
        });
        let started = false;
        try {
          const report = await importFinessFile(database, file, {
            skipInvalid: options.skipInvalid,
            onProgress: (p) => {
              const kb = Math.ceil(p.bytesRead / 1024);
              if (!started) {
                started = true;
                bar.start(Math.ceil(p.totalBytes / 1024), kb, { records: p.read });
              } else bar.update(kb, { records: p.read });
            },
          });
          bar.stop();
          for (const e of report.errors) process.stderr.write(`${e.file}: ${describeLocation(e)}: ${e.reason}\n`);
          if (report.invalid > report.errors.length) {
            process.stderr.write(`${name}: … and ${report.invalid - report.errors.length} more invalid record(s)\n`);
          }
          if (!report.applied) {
            failed = true;
            process.stdout.write(
              `${name}: nothing imported: ${report.invalid} invalid of ${report.read} records ` +
                `(fix the file, or use --skip-invalid to import the valid ones)\n`,
            );
            continue;
          }
          process.stdout.write(
            `${name}: ${report.read} read, ${report.inserted} inserted, ${report.updated} updated, ` +
              `${report.unchanged} unchanged, ${report.invalid} invalid (${report.format}, ${report.source})\n`,
          );
        } catch (err) {
          bar.stop();
          const code = (err as NodeJS.ErrnoException).code;
          if (err instanceof UnknownFormatError || code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
            failed = true;
            process.stdout.write(`${name}: not imported: ${(err as Error).message}\n`);
            continue;
          }
          throw err;
        }
      }
    });
    if (failed) process.exitCode = 1;
  });

const directory = program.command('directory').description('Public directory (Annuaire Santé read model)');
directory
  .command('rebuild')
  .description('Recompute every public entry from the register (idempotent; changes go to the change feed)')
  .action(async () => {
    await withDatabase(async ({ db: database }) => {
      const started = Date.now();
      const report = await createDirectoryPublication({ db: database, clock: systemClock }).rebuild({
        onProgress: (done) => process.stderr.write(`\r${done} professionals`),
      });
      process.stderr.write('\n');
      process.stdout.write(`Directory rebuilt: ${report.persons} professionals read, ${report.changes} public entries changed (${Date.now() - started} ms)\n`);
    });
  });

directory
  .command('extract')
  .description('Generate a PS_LibreAcces extraction file now (full by default; --delta: changes since the previous delta)')
  .option('--delta', 'daily delta instead of the full file')
  .action(async (options: { delta?: boolean }) => {
    const cfg = config();
    await withDatabase(async ({ db: database }) => {
      const started = Date.now();
      const extraction = createDirectoryExtraction({ db: database, clock: systemClock, keep: cfg.extraction.keep });
      const result = await extraction.generate(options.delta ? 'delta' : 'full', {
        onProgress: (lines) => process.stderr.write(`\r${lines} lines`),
      });
      process.stderr.write('\n');
      if (result.status === 'running') fail('another extraction is running (on this or another instance); try again later');
      const e = result.extraction;
      const verb = result.status === 'existing' ? 'Already generated this minute' : 'Generated';
      process.stdout.write(
        `${verb}: ${e.fileName} (${e.kind}, ${e.lineCount} lines, ${e.withdrawnCount} withdrawn, ${e.sizeBytes} bytes, id ${e.id}) in ${Date.now() - started} ms\n`,
      );
    });
  });

addImportCommand(program, { config, withDatabase, userPath });

const postgresBackups = 'with DATABASE_URL, back up and restore the PostgreSQL server with pg_dump or pg_basebackup (docs/operations.md#backups)';

program
  .command('backup')
  .description('Consistent copy of the embedded database (DATA_DIR) into FILE, while the server runs or not')
  .argument('<file>', 'backup file to write (gzipped tar)')
  .action(async (file: string) => {
    const cfg = config();
    if (cfg.databaseUrl) fail(postgresBackups);
    try {
      const { bytes, via } = await backupEmbedded(cfg.dataDir, userPath(file));
      process.stdout.write(`backup written: ${userPath(file)} (${bytes} bytes, ${via === 'server' ? 'taken by the running server' : 'server not running'})\n`);
    } catch (err) {
      if (err instanceof BackupError) fail(err.message);
      throw err;
    }
  });

program
  .command('restore')
  .description('Replace the embedded database (DATA_DIR) with a backup; the server must be stopped')
  .argument('<file>', 'backup file written by `rpps backup`')
  .action(async (file: string) => {
    const cfg = config();
    if (cfg.databaseUrl) fail(postgresBackups);
    try {
      const stamp = systemClock.now().toISOString().replace(/[:.]/g, '-');
      const { keptAside } = await restoreEmbedded(cfg.dataDir, userPath(file), stamp);
      process.stdout.write(`restored ${userPath(file)} into ${cfg.dataDir}${keptAside ? ` (previous database kept in ${keptAside})` : ''}\n`);
    } catch (err) {
      if (err instanceof BackupError) fail(err.message);
      throw err;
    }
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`rpps: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
