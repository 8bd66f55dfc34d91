import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../../tests/e2e/support/server.ts';
import { type ChildProcessDatabase, childProcessDatabase, repoRoot } from '../../../tests/support/cli.ts';
import { until } from '../../../tests/support/until.ts';
import { openDatabase } from './database.ts';

/**
 * `rpps backup` while the real server runs on the embedded database (it holds the only
 * connection and the directory lock: the server takes the copy on SIGUSR2), then `rpps restore`
 * into another directory: the same rows. PostgreSQL backups are pg_dump / pg_basebackup
 * (scripts/pg-restore-drill.sh).
 */
const embedded = Boolean(inject('templateDir'));
let child: ChildProcessDatabase;
let baseUrl: string;

beforeAll(async () => {
  if (!embedded) return;
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  // No job worker: the backup does not need one (and the server stops sooner).
  child = await childProcessDatabase('rpps-backup-', { PORT: String(port), DEMO_DATA: 'false', JOBS_WORKER: 'false' });
}, 60_000);
afterAll(async () => {
  await child?.close();
});

const counts = async (dataDir: string) => {
  const handle = await openDatabase({ databaseUrl: undefined, dataDir });
  try {
    const { rows } = await sql<{ structures: number; codes: number; migrations: number }>`
      select (select count(*) from structure)::int as structures,
             (select count(*) from nomenclature_code)::int as codes,
             (select count(*) from kysely_migration)::int as migrations`.execute(handle.db);
    return rows[0]!;
  } finally {
    await handle.close();
  }
};

describe.skipIf(!embedded)('embedded database backup and restore', () => {
  it('backs up while the server runs and serves, refuses a restore under it, restores once it is stopped', async () => {
    const server = spawn(process.execPath, ['src/server/main.ts'], { cwd: repoRoot, env: child.env, stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => server.on('exit', () => resolve()));
    try {
      await until(async () => ((await fetch(`${baseUrl}/health/ready`)).status === 200 ? true : undefined), { timeoutMs: 120_000, intervalMs: 200, ignoreErrors: true });
      const file = path.join(child.dir, 'rpps.backup.tar.gz');
      const backup = await child.rpps('backup', file);
      expect(backup.code, backup.stderr).toBe(0);
      expect(backup.stdout).toContain('taken by the running server');
      expect(fs.statSync(file).size).toBeGreaterThan(1000);
      expect((await fetch(`${baseUrl}/health/ready`)).status).toBe(200);

      const refused = await child.rpps('restore', file);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('A restore needs the server stopped');

      server.kill('SIGTERM');
      await exited;
      const dataDir = child.env.DATA_DIR!;
      const original = await counts(dataDir);
      expect(original.structures).toBeGreaterThan(0);

      const other = path.join(child.dir, 'restored');
      const restore = await (async () => {
        const saved = child.env.DATA_DIR;
        child.env.DATA_DIR = other;
        try {
          return await child.rpps('restore', file);
        } finally {
          child.env.DATA_DIR = saved;
        }
      })();
      expect(restore.code, restore.stderr).toBe(0);
      expect(await counts(other)).toEqual(original);
    } finally {
      server.kill('SIGKILL');
    }
  }, 300_000);
});
