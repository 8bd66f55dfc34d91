import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, fixedClock, type TestDatabase } from '../../../../tests/support/db.ts';
import { createRegisterService } from '../register/service.ts';
import { toInput } from './columns.ts';
import { allDeclarations, createBulkImportService } from './service.ts';
import { toCsv, validRow } from './testing.ts';

/**
 * Issue 18: a `register`-mode commit keeps the values its check normalized, and the batch checks
 * again only what may have changed since — yet a row whose contact or person was registered in the
 * meantime still fails alone with the form's message, and a row stored before (the file's values)
 * still goes through the whole check.
 */
const ej = '690800123';
const eg = '690800206';
const clock = fixedClock('2026-11-23T10:00:00Z');
const actor = { id: 'account:bulk-recheck', kind: 'gestionnaire' };
let t: TestDatabase;
let dir: string;

beforeAll(async () => {
  t = await createTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulk-recheck-'));
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the batch of a register-mode import', () => {
  it('re-checks contacts and duplicates of the checked values; a row of the older form is checked whole', async () => {
    const base = 91_000;
    const rows = Array.from({ length: 6 }, (_, i) => validRow(base + i, eg, { birthName: `Recheck${'ABCDEF'[i]}`, usageName: i === 0 ? 'Épouse' : '' }));
    const file = path.join(dir, 'equipe.csv');
    fs.writeFileSync(file, toCsv(rows));
    const s = createBulkImportService({ db: t.db, clock, config: t.config });
    const started = await s.commit(actor, 'all', ej, file, { fileName: 'equipe.csv', declarations: allDeclarations });

    // What the commit stored: the register's normalized values, marked checked.
    const stored = await t.db.selectFrom('bulkImportRow').select(['rowNumber', 'input']).where('importId', '=', started.id).orderBy('rowNumber').execute();
    expect(stored[0]!.input).toMatchObject({
      checked: true,
      etatCivil: { birthName: 'RECHECKA', usageName: 'EPOUSE', firstNames: [expect.stringMatching(/^PRENOM/), 'SECOND'] },
      contact: { mobile: `+3366${String(base).padStart(7, '0').slice(-8)}` },
      situation: { egFiness: eg, exerciseLastName: 'RecheckA' },
    });

    // Meanwhile, through the form: someone else takes line 3's mobile, and line 4's person is registered.
    const register = createRegisterService({ db: t.db, clock, config: t.config });
    await register.registerProfessional(actor, 'all', { ...toInput(validRow(base + 50, eg, { mobile: rows[1]!.mobile })), idempotencyKey: 'recheck:mobile' });
    await register.registerProfessional(actor, 'all', { ...toInput(rows[2]!), contact: { email: 'recheck.autre@exemple.fr', mobile: '06 99 99 99 91' }, idempotencyKey: 'recheck:person' });
    // Line 5 as an import committed before the values were kept: the file's values.
    await t.db.updateTable('bulkImportRow').set({ input: JSON.stringify(toInput(rows[3]!)) }).where('importId', '=', started.id).where('rowNumber', '=', 5).execute();

    while ((await s.processBatch(started.id)).pending > 0);
    const done = await s.rowsOf(started.id);
    expect(done.map((r) => [r.rowNumber, r.status])).toEqual([
      [2, 'imported'],
      [3, 'failed'],
      [4, 'failed'],
      [5, 'imported'],
      [6, 'imported'],
      [7, 'imported'],
    ]);
    expect(done[1]!.errors).toEqual([{ column: 'Téléphone mobile', detail: 'Ce numéro de téléphone mobile est déjà utilisé par une autre personne.' }]);
    expect(done[2]!.errors).toHaveLength(1);
    expect(done[2]!.errors[0]!.detail).toMatch(/déjà enregistrée/);

    // Registered with the normalized values, as the form would have.
    const persons = await t.db.selectFrom('person').select(['birthName', 'usageName', 'mobile']).where('birthName', 'in', ['RECHECKA', 'RECHECKD']).orderBy('birthName').execute();
    expect(persons).toEqual([
      { birthName: 'RECHECKA', usageName: 'EPOUSE', mobile: `+3366${String(base).padStart(7, '0').slice(-8)}` },
      { birthName: 'RECHECKD', usageName: null, mobile: `+3366${String(base + 3).padStart(7, '0').slice(-8)}` },
    ]);
  });
});
