import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { openDatabase } from '../../src/server/db/database.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

const run = promisify(execFile);
/** The repository root: child processes run the pinned Node on the TypeScript sources from there. */
export const repoRoot = path.resolve(import.meta.dirname, '../..');

/**
 * Node's on-disk compile cache, shared by every child process of the test run (CLI, server):
 * each child loads the same few hundred modules; with the cache, a start costs about 0.35 s of
 * CPU less (type stripping and compiling done once). Entries are keyed by the file's content
 * and Node's version, so a stale entry is never used.
 */
export const childCompileCache = path.join(os.tmpdir(), 'rpps-test-compile-cache');

export interface ChildProcessDatabase {
  /** A temporary directory for the test's files; the child's PGlite data lives in `dir/data`. */
  dir: string;
  /** The child's environment (pinned Node on PATH, test settings, its own database, the shared compile cache). */
  env: NodeJS.ProcessEnv;
  /** Runs `rpps …` (src/cli/index.ts) to its end: exit code and output, never throws on exit ≠ 0. */
  rpps(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Queries the child's database once the child has released it (PGlite: opened just for `query`). */
  withDb<T>(query: (db: TestDatabase['db']) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * A database for a child process (the CLI, or the server killed and restarted): on PGlite a copy
 * of the template directory (the child needs it to itself: lock), on PostgreSQL a fresh copy of
 * the template database shared through DATABASE_URL.
 */
export async function childProcessDatabase(prefix: string, extraEnv: Record<string, string> = {}): Promise<ChildProcessDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const dataDir = path.join(dir, 'data');
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, NODE_COMPILE_CACHE: childCompileCache, ...extraEnv };
  let t: TestDatabase | undefined;
  const templateDir = inject('templateDir');
  if (templateDir) {
    fs.cpSync(templateDir, dataDir, { recursive: true });
    delete env.DATABASE_URL;
  } else {
    t = await createTestDatabase();
    env.DATABASE_URL = t.config.databaseUrl;
  }
  const self: ChildProcessDatabase = {
    dir,
    env,
    async rpps(...args) {
      try {
        const { stdout, stderr } = await run(process.execPath, ['src/cli/index.ts', ...args], { cwd: repoRoot, env: self.env });
        return { code: 0, stdout, stderr };
      } catch (err) {
        const e = err as { code: number; stdout: string; stderr: string };
        return { code: e.code, stdout: e.stdout, stderr: e.stderr };
      }
    },
    async withDb(query) {
      if (t) return query(t.db);
      const handle = await openDatabase({ databaseUrl: undefined, dataDir });
      try {
        return await query(handle.db);
      } finally {
        await handle.close();
      }
    },
    async close() {
      await t?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return self;
}
