import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/db.ts';
import { openDatabase } from '../../db/database.ts';
import { toCsv, validRow } from './testing.ts';

/** `rpps import` (issue 10): dry run with its report, commit with a progress bar, SIGKILL then --resume. */
const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../../..');
const ej = '690800123';

let t: TestDatabase | undefined;
let dir: string;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpps-bulk-cli-'));
  // eslint-disable-next-line no-restricted-properties -- the child CLI inherits PATH (pinned Node) and the test settings
  env = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: path.join(dir, 'data'), BULK_IMPORT_BATCH_SIZE: '3' };
  const templateDir = inject('templateDir');
  if (templateDir) {
    fs.cpSync(templateDir, path.join(dir, 'data'), { recursive: true });
    delete env.DATABASE_URL;
  } else {
    t = await createTestDatabase();
    env.DATABASE_URL = t.config.databaseUrl;
  }
}, 60_000);
afterAll(async () => {
  await t?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function rpps(...args: string[]) {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'src/cli/index.ts', ...args], { cwd: root, env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Counts read directly once the CLI has released the database. */
async function counts(importId: string) {
  const handle = t ?? (await openDatabase({ databaseUrl: undefined, dataDir: path.join(dir, 'data') }));
  try {
    const keys = await handle.db.selectFrom('registrationSubmission').select('rpps').where('idempotencyKey', 'like', `bulk-import:${importId}:%`).execute();
    const rows = await handle.db.selectFrom('bulkImportRow').select(['status', 'rpps']).where('importId', '=', importId).execute();
    const persons = await handle.db.selectFrom('person').select('rpps').where('rpps', 'in', keys.length ? keys.map((k) => k.rpps!) : ['-']).execute();
    return { keys: keys.length, distinct: new Set(keys.map((k) => k.rpps)).size, persons: persons.length, imported: rows.filter((r) => r.status === 'imported').length };
  } finally {
    if (!t) await handle.close();
  }
}

describe('rpps import', () => {
  it('dry run: report file, exit 1 when rows are invalid, nothing imported', async () => {
    const file = path.join(dir, 'essai.csv');
    fs.writeFileSync(file, toCsv([validRow(1), validRow(2, '690800206', { email: 'faux' })]));
    const res = await rpps('import', file, '--ej', ej, '--dry-run');
    expect(res.code, res.stderr).toBe(1);
    expect(res.stdout).toContain('2 lignes, 1 valides, 1 en erreur');
    expect(res.stderr).toContain('ligne 3 (Adresse électronique)');
    expect(fs.readFileSync(`${file}.rapport.csv`, 'utf8')).toContain('3;erreur;Adresse électronique;');
  }, 60_000);

  it('killed (SIGKILL) during a commit, --resume finishes it: every row registered once', async () => {
    const file = path.join(dir, 'equipe.csv');
    fs.writeFileSync(file, toCsv(Array.from({ length: 400 }, (_, i) => validRow(100 + i, i % 2 ? '690800206' : '690800388'))));
    const child = spawn('npx', ['tsx', 'src/cli/index.ts', 'import', file, '--ej', ej, '--declarations'], { cwd: root, env, detached: true });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const deadline = Date.now() + 60_000;
    while (!/import ([0-9a-f-]{36})/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const id = /import ([0-9a-f-]{36})/.exec(out)?.[1];
    expect(id, out).toBeDefined();
    // Some batches done, not all: kill the whole process group without warning.
    await new Promise((r) => setTimeout(r, 300));
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
    // npx exits first; the CLI's own process may take a moment to be reaped and release the lock.
    let midway: Awaited<ReturnType<typeof counts>> | undefined;
    for (let i = 0; i < 100 && !midway; i++) {
      midway = await counts(id!).catch(async (err: Error) => {
        if (err.name !== 'DataDirLockedError') throw err;
        await new Promise((r) => setTimeout(r, 100));
        return undefined;
      });
    }
    if (!midway) throw new Error('the killed CLI still holds the database');
    expect(midway.keys).toBe(midway.imported);
    expect(midway.imported).toBeLessThan(400);

    const resumed = await rpps('import', '--resume', id!, '--report', path.join(dir, 'reprise.csv'));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('400 enregistrées, 0 en échec');
    expect(fs.readFileSync(path.join(dir, 'reprise.csv'), 'utf8').match(/;importée;/g)).toHaveLength(400);
    expect(await counts(id!)).toEqual({ keys: 400, distinct: 400, persons: 400, imported: 400 });
  }, 120_000);
});
