import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/support/app.ts';
import * as migration from '../../db/migrations/20261205T0800_access_matrix_seed_labels.ts';
import { seedAccessMatrix } from './seed.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('GET /api/access-matrix', () => {
  it('serves the seed-004 matrix today, with LOINC codes and every role', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/access-matrix' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.version).toMatchObject({ effectiveFrom: '2025-04-01' });
    expect(body.roles.map((r: { code: string }) => r.code)).toEqual(['GENR08', 'GENR09', 'GENR10', 'GENR11', 'GENR12']);
    const consult = body.documentTypes.find((d: { key: string }) => d.key === 'cr_consult');
    expect(consult).toMatchObject({ code: '11488-4', system: 'http://loinc.org' });
    expect(body.grants.GENR08).toContain('cr_consult');
    expect(body.grants.GENR09).not.toContain('cr_consult');
  });

  it('uses the version in force on the date asked', async () => {
    const before = await t.app.inject({ method: 'GET', url: '/api/access-matrix?on=2024-06-01' });
    expect(before.json().version.effectiveFrom).toBe('2022-12-01');
    const none = await t.app.inject({ method: 'GET', url: '/api/access-matrix?on=2020-01-01' });
    expect(none.statusCode).toBe(404);
    expect(none.json().type).toBe('urn:rpps-plus:problem:access-matrix-not-found');
  });

  it('lists the versions and seeds them only once', async () => {
    await seedAccessMatrix(t.database.db);
    const res = await t.app.inject({ method: 'GET', url: '/api/access-matrix/versions' });
    expect(res.json().items.map((v: { effectiveFrom: string }) => v.effectiveFrom)).toEqual(['2022-12-01', '2025-04-01']);
  });
});

describe('the seeded versions of databases seeded before 5 December 2026', () => {
  it('get their French label and source from migration 20261205T0800, an operator\'s version untouched', async () => {
    const db = t.database.db;
    const seeded = await db.selectFrom('accessMatrix').select(['id', 'label', 'source']).where('publishedBy', '=', 'seed').orderBy('effectiveFrom').execute();
    expect(seeded.map((v) => v.label)).toEqual(['Matrice du guide RPPS+ (décembre 2022)', 'Matrice du webinaire ANS 2025']);
    // As an older seed wrote them.
    const oldSource = 'Data file: seed 000 and seed 004 role lists';
    await db.updateTable('accessMatrix').set({ label: 'Matrice du guide RPPS+ (seed 000)', source: oldSource }).where('id', '=', seeded[0]!.id).execute();
    await db.updateTable('accessMatrix').set({ label: 'Matrice du webinaire ANS 2025 (seed 004)', source: oldSource }).where('id', '=', seeded[1]!.id).execute();
    const operator = await db
      .insertInto('accessMatrix')
      .values({ label: 'Matrice du webinaire ANS 2025 (seed 004)', effectiveFrom: '2031-01-01', source: oldSource, publishedBy: 'operator' })
      .returning('id')
      .executeTakeFirstOrThrow();
    try {
      await migration.up(db);
      const after = await db.selectFrom('accessMatrix').select(['id', 'label', 'source']).where('id', 'in', [...seeded.map((v) => v.id), operator.id]).orderBy('effectiveFrom').execute();
      expect(after.map((v) => [v.label, v.source])).toEqual([...seeded.map((v) => [v.label, v.source]), ['Matrice du webinaire ANS 2025 (seed 004)', oldSource]]);
    } finally {
      await db.deleteFrom('accessMatrix').where('id', '=', operator.id).execute();
    }
  });
});

