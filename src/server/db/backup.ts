import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { DatabaseHandle } from './database.ts';
import { pgliteExtensions } from './database.ts';
import { lockDataDir } from './lock.ts';

/**
 * Backups of the embedded database (docs/operations.md#backups). PGlite is one connection inside
 * the server process, and the data directory is locked by it: another process cannot read it.
 * So `rpps backup` asks the running server: it drops a request file in DATA_DIR/backup-requests
 * and sends SIGUSR2 to the pid of the lock file; the server takes the copy itself between two
 * transactions and answers with a result file. Without a running server the CLI opens the
 * directory itself. Only someone who can write DATA_DIR and signal the server can ask.
 */

export const requestDir = (dataDir: string) => path.join(dataDir, 'backup-requests');

export interface BackupResult {
  ok: boolean;
  bytes?: number;
  error?: string;
}

/**
 * A gzipped tar of the data directory taken while holding the pool's only connection: no
 * transaction is open during the copy (pg-boss goes through the same connection).
 */
export async function writeBackup(handle: Pick<DatabaseHandle, 'db' | 'pglite'>, file: string): Promise<number> {
  const pglite = handle.pglite;
  if (!pglite) throw new Error('backups of a PostgreSQL server are taken with pg_dump or pg_basebackup (docs/operations.md)');
  const blob = await handle.db.connection().execute(() => pglite.dumpDataDir('gzip'));
  const bytes = Buffer.from(await blob.arrayBuffer());
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, bytes, { mode: 0o600 });
  fs.renameSync(tmp, file);
  return bytes.length;
}

/** Server side: serves every pending request (called on SIGUSR2). */
export async function serveBackupRequests(dataDir: string, handle: Pick<DatabaseHandle, 'db' | 'pglite'>): Promise<void> {
  const dir = requestDir(dataDir);
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.request.json'));
  } catch {
    return;
  }
  for (const name of names) {
    const id = name.slice(0, -'.request.json'.length);
    let result: BackupResult;
    try {
      const { target } = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as { target: string };
      result = { ok: true, bytes: await writeBackup(handle, target) };
    } catch (err) {
      result = { ok: false, error: (err as Error).message };
    }
    fs.rmSync(path.join(dir, name), { force: true });
    fs.writeFileSync(path.join(dir, `${id}.done.json`), JSON.stringify(result));
  }
}

export class BackupError extends Error {
  override name = 'BackupError';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function serverPid(dataDir: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(path.join(dataDir, 'rpps-plus.lock'), 'utf8'), 10);
    return Number.isInteger(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** CLI side: a consistent copy of DATA_DIR's database into `target`, server running or not. */
export async function backupEmbedded(dataDir: string, target: string, timeoutMs = 10 * 60_000): Promise<{ bytes: number; via: 'server' | 'direct' }> {
  let release: (() => void) | undefined;
  try {
    release = lockDataDir(dataDir);
  } catch {
    release = undefined;
  }
  if (release) {
    // Nobody uses the directory: open it ourselves (no migration: the copy is what is there).
    try {
      const dir = path.join(dataDir, 'pglite');
      if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) throw new BackupError(`no embedded database in ${dataDir}`);
      const pglite = await PGlite.create(dir, { extensions: pgliteExtensions });
      try {
        const blob = await pglite.dumpDataDir('gzip');
        const bytes = Buffer.from(await blob.arrayBuffer());
        const tmp = `${target}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, bytes, { mode: 0o600 });
        fs.renameSync(tmp, target);
        return { bytes: bytes.length, via: 'direct' };
      } finally {
        await pglite.close();
      }
    } finally {
      release();
    }
  }
  const pid = serverPid(dataDir);
  if (pid === undefined) throw new BackupError(`cannot find the server using ${dataDir}`);
  const dir = requestDir(dataDir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const id = randomUUID();
  fs.writeFileSync(path.join(dir, `${id}.request.json`), JSON.stringify({ target }), { mode: 0o600 });
  process.kill(pid, 'SIGUSR2');
  const done = path.join(dir, `${id}.done.json`);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (fs.existsSync(done)) {
      const result = JSON.parse(fs.readFileSync(done, 'utf8')) as BackupResult;
      fs.rmSync(done, { force: true });
      if (!result.ok) throw new BackupError(`the server (pid ${pid}) could not take the backup: ${result.error}`);
      return { bytes: result.bytes ?? 0, via: 'server' };
    }
    await sleep(200);
  }
  fs.rmSync(path.join(dir, `${id}.request.json`), { force: true });
  throw new BackupError(`no answer from the server (pid ${pid}) within ${Math.round(timeoutMs / 1000)} s`);
}

/**
 * Replaces DATA_DIR's database with a backup. The server must be stopped (the lock says so); the
 * current database is kept aside as pglite.before-restore-<time> until the operator removes it.
 */
export async function restoreEmbedded(dataDir: string, source: string, stamp: string): Promise<{ keptAside: string | undefined }> {
  if (!fs.existsSync(source)) throw new BackupError(`no backup file ${source}`);
  let release: () => void;
  try {
    release = lockDataDir(dataDir);
  } catch (err) {
    throw new BackupError(`${(err as Error).message} A restore needs the server stopped.`);
  }
  try {
    const dir = path.join(dataDir, 'pglite');
    const aside = fs.existsSync(dir) ? `${dir}.before-restore-${stamp}` : undefined;
    if (aside) fs.renameSync(dir, aside);
    try {
      const pglite = await PGlite.create(dir, { extensions: pgliteExtensions, loadDataDir: new Blob([fs.readFileSync(source)]) });
      await pglite.query('select 1');
      await pglite.close();
    } catch (err) {
      fs.rmSync(dir, { recursive: true, force: true });
      if (aside) fs.renameSync(aside, dir);
      throw new BackupError(`the file is not a usable backup (${(err as Error).message}); the database was left as it was`);
    }
    return { keptAside: aside };
  } finally {
    release();
  }
}
