import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildProcessDatabase, childProcessDatabase, repoRoot } from '../../../../tests/support/cli.ts';
import { toCsv, toXlsx, validRow } from './testing.ts';

// test:clock: not date-sensitive (SIGKILL and --resume of the CLI; no date logic of its own).
/** `rpps import` (issue 10): dry run with its report, commit with a progress bar, SIGKILL then --resume, in both modes. */
const ej = '690800123';

let child: ChildProcessDatabase;
let dir: string;
beforeAll(async () => {
  // Small batches, so that a kill a few hundred milliseconds into the commit lands midway.
  child = await childProcessDatabase('rpps-bulk-cli-', { BULK_IMPORT_BATCH_SIZE: '3' });
  dir = child.dir;
}, 60_000);
afterAll(async () => {
  await child?.close();
});

/**
 * What a committed row left behind, read directly once the CLI has released the database: the
 * idempotency keys used (registrations, or requests in `pending` mode), how many distinct
 * outcomes, and the rows marked imported.
 */
async function counts(importId: string, mode: 'register' | 'pending') {
  return child.withDb(async (db) => {
    const rows = await db.selectFrom('bulkImportRow').select('status').where('importId', '=', importId).execute();
    const imported = rows.filter((r) => r.status === 'imported').length;
    if (mode === 'pending') {
      const requests = await db.selectFrom('preregistration').select(['id', 'status', 'source']).where('idempotencyKey', 'like', `bulk-import:${importId}:%`).execute();
      const persons = requests.filter((r) => r.status === 'pending' && r.source === 'bulk-import').length;
      return { keys: requests.length, distinct: new Set(requests.map((r) => r.id)).size, persons, imported };
    }
    const keys = await db.selectFrom('registrationSubmission').select('rpps').where('idempotencyKey', 'like', `bulk-import:${importId}:%`).execute();
    const persons = await db.selectFrom('person').select('rpps').where('rpps', 'in', keys.length ? keys.map((k) => k.rpps!) : ['-']).execute();
    return { keys: keys.length, distinct: new Set(keys.map((k) => k.rpps)).size, persons: persons.length, imported };
  });
}

describe('rpps import', () => {
  it('dry run: report file, exit 1 when rows are invalid, nothing imported', async () => {
    const file = path.join(dir, 'essai.csv');
    fs.writeFileSync(file, toCsv([validRow(1), validRow(2, '690800206', { email: 'faux' })]));
    const res = await child.rpps('import', file, '--ej', ej, '--dry-run');
    expect(res.code, res.stderr).toBe(1);
    expect(res.stdout).toContain('2 lignes, 1 valides, 1 en erreur');
    expect(res.stderr).toContain('ligne 3 (Adresse électronique)');
    expect(fs.readFileSync(`${file}.rapport.csv`, 'utf8')).toMatch(/\r\n3;Import\w+ Prenom\w+;erreur;Adresse électronique;/);
  }, 60_000);

  it('dry run of an XLSX file: the same report as the CSV', async () => {
    const rows = [validRow(3), validRow(4, '690800206', { email: 'faux' })];
    const xlsx = path.join(dir, 'essai.xlsx');
    fs.writeFileSync(xlsx, await toXlsx(rows));
    const res = await child.rpps('import', xlsx, '--ej', ej, '--dry-run');
    expect(res.code, res.stderr).toBe(1);
    expect(res.stdout).toContain('2 lignes, 1 valides, 1 en erreur (xlsx)');
    expect(fs.readFileSync(`${xlsx}.rapport.csv`, 'utf8')).toMatch(/\r\n3;Import\w+ Prenom\w+;erreur;Adresse électronique;/);
  }, 60_000);

  describe.each([
    { mode: 'register' as const, flags: ['--declarations'], done: 'enregistrées', label: 'importée', base: 100 },
    { mode: 'pending' as const, flags: [], done: 'demandes créées', label: 'demande créée', base: 600 },
  ])('$mode mode', ({ mode, flags, done, label, base }) => {
    it('killed (SIGKILL) during a commit, --resume finishes it: every row imported once', async () => {
      const size = 400;
      const file = path.join(dir, `equipe-${mode}.csv`);
      fs.writeFileSync(file, toCsv(Array.from({ length: size }, (_, i) => validRow(base + i, i % 2 ? '690800206' : '690800388'))));
      const proc = spawn(process.execPath, ['src/cli/index.ts', 'import', file, '--ej', ej, ...flags], { cwd: repoRoot, env: child.env, detached: true });
      let out = '';
      proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
      const deadline = Date.now() + 180_000;
      while (!/import ([0-9a-f-]{36})/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const id = /import ([0-9a-f-]{36})/.exec(out)?.[1];
      expect(id, out).toBeDefined();
      // Some batches done, not all: kill the whole process group without warning.
      await new Promise((r) => setTimeout(r, mode === 'pending' ? 100 : 300));
      process.kill(-proc.pid!, 'SIGKILL');
      await exited;
      // npx exits first; the CLI's own process may take a moment to be reaped and release the lock.
      let midway: Awaited<ReturnType<typeof counts>> | undefined;
      for (let i = 0; i < 100 && !midway; i++) {
        midway = await counts(id!, mode).catch(async (err: Error) => {
          if (err.name !== 'DataDirLockedError') throw err;
          await new Promise((r) => setTimeout(r, 100));
          return undefined;
        });
      }
      if (!midway) throw new Error('the killed CLI still holds the database');
      expect(midway.keys).toBe(midway.imported);
      expect(midway.imported).toBeLessThan(size);

      // The resume at the default batch size (the small batches only place the kill midway): the
      // rows left are done in one batch instead of about 130.
      const killedEnv = child.env;
      child.env = { ...killedEnv };
      delete child.env.BULK_IMPORT_BATCH_SIZE;
      const resumed = await child.rpps('import', '--resume', id!, '--report', path.join(dir, `reprise-${mode}.csv`)).finally(() => (child.env = killedEnv));
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stdout).toContain(`${size} ${done}, 0 en échec`);
      expect(fs.readFileSync(path.join(dir, `reprise-${mode}.csv`), 'utf8').match(new RegExp(`;${label};`, 'g'))).toHaveLength(size);
      expect(await counts(id!, mode)).toEqual({ keys: size, distinct: size, persons: size, imported: size });
    }, 360_000);
  });
});
