import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, fixedClock, type TestDatabase } from '../../../../tests/support/db.ts';
import { createRegisterService } from '../register/service.ts';
import { allDeclarations, createBulkImportService } from './service.ts';
import { type Row, toCsv, validRow } from './testing.ts';

// test:clock: not date-sensitive (a 2,000-row import at scale; its dates are covered by bulk-import.int.test.ts).
/**
 * Issue 10, acceptance 1: a generated file (BULK_ACCEPTANCE_ROWS rows, 10,000 for the acceptance
 * run; the suite uses 2,000 so CI stays well under its time budget on the embedded database) with
 * errors seeded at known rows — wrong dates, bad e-mails, duplicates within the file and against
 * the register. The dry run reports exactly those rows; the commit imports the rest; counts match.
 */
// eslint-disable-next-line no-restricted-properties -- test size knob, not application configuration
const size = Number(process.env.BULK_ACCEPTANCE_ROWS ?? 2_000);
const clock = fixedClock('2026-11-23T10:00:00Z');
const actor = { id: 'account:acceptance', kind: 'gestionnaire' };
let t: TestDatabase;
let dir: string;

beforeAll(async () => {
  t = await createTestDatabase({ BULK_IMPORT_MAX_ROWS: String(size), BULK_IMPORT_BATCH_SIZE: '500' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulk-acceptance-'));
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it(`${size} rows: the dry run names exactly the seeded rows; the commit imports the rest`, async () => {
  const register = createRegisterService({ db: t.db, clock, config: t.config });
  const rows: Row[] = [];
  const expected = new Set<number>();
  for (let i = 0; i < size; i++) {
    let row = validRow(20_000 + i, i % 2 ? '690800206' : '690800388');
    const kind = i % 100;
    if (kind === 10) row = { ...row, birthDate: '1990-13-45' };
    else if (kind === 30) row = { ...row, email: `sans-arobase${i}.exemple.fr` };
    else if (kind === 50) row = { ...validRow(20_000 + i - 1), email: `doublon${i}@exemple.fr`, mobile: `0677${String(i).padStart(6, '0')}` };
    else if (kind === 70) {
      // Already in the register (registered through the form's service), other contact data.
      const ec = validRow(20_000 + i);
      await register.registerProfessional(actor, 'all', {
        etatCivil: { civilite: ec.civilite, sexe: ec.sexe, birthName: ec.birthName, firstNames: ec.firstNames!.split(', '), birthDate: ec.birthDate, birthCountryCode: '99100', birthCommuneCode: '69123' },
        contact: { email: `registre${i}@exemple.fr`, mobile: `0688${String(i).padStart(6, '0')}` },
        situation: { egFiness: '690800206', professionCode: '313', roleCode: 'GENR11', modeCode: 'S', startDate: '2026-11-01' },
      });
    }
    if ([10, 30, 50, 70].includes(kind)) expected.add(i + 2);
    rows.push(row);
  }
  const file = path.join(dir, 'equipe.csv');
  fs.writeFileSync(file, toCsv(rows));
  const service = createBulkImportService({ db: t.db, clock, config: t.config });
  const persons = async () => Number((await t.db.selectFrom('person').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const before = await persons();

  const report = await service.dryRun('all', '690800123', file);
  expect(await persons()).toBe(before);
  const invalid = report.report.filter((r) => r.status === 'invalid').map((r) => r.rowNumber);
  expect(invalid).toEqual([...expected]);
  expect(report).toMatchObject({ rows: size, invalid: expected.size, valid: size - expected.size });

  const started = await service.commit(actor, 'all', '690800123', file, { fileName: 'equipe.csv', declarations: allDeclarations });
  while ((await service.processBatch(started.id)).pending > 0);
  const done = await service.progress(started.id);
  expect(done).toMatchObject({ status: 'done', rows: size, invalid: expected.size, imported: size - expected.size, failed: 0 });
  expect((await persons()) - before).toBe(size - expected.size);
}, 1_200_000);
