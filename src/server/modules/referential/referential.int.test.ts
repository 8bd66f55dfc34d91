import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/support/app.ts';
import { fixedClock } from '../../../../tests/support/db.ts';
import { openSoonAvailableProfessions, seedReferential } from './seed.ts';
import { createReferentialService } from './service.ts';
import { ValidationError } from '../../errors.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('nomenclatures', () => {
  it('serves the TRE_R85 professions with their source', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nomenclatures/profession' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.info.source).toContain('TRE_R85');
    expect(body.items.find((i: { code: string }) => i.code === '313').label).toBe('Aide-soignant');
  });

  it('keeps deprecated codes readable but not selectable after their end date (318, 323 since 2025-12-22)', async () => {
    const before = await t.app.inject({ method: 'GET', url: '/api/nomenclatures/profession?on=2025-12-21' });
    const after = await t.app.inject({ method: 'GET', url: '/api/nomenclatures/profession?on=2025-12-22' });
    const pick = (res: typeof before, code: string) => res.json().items.find((i: { code: string }) => i.code === code);
    expect(pick(before, '318').selectable).toBe(true);
    expect(pick(after, '318')).toMatchObject({ selectable: false, validTo: '2025-12-22' });
    expect(pick(after, '323').selectable).toBe(false);
    const selectable = await t.app.inject({ method: 'GET', url: '/api/nomenclatures/profession?selectableOnly=true' });
    const codes = selectable.json().items.map((i: { code: string }) => i.code);
    expect(codes).toContain('313');
    expect(codes).not.toContain('318');
  });

  it('offers only the five RPPS+ roles GENR08..GENR12 and only the salarié mode', async () => {
    const roles = await t.app.inject({ method: 'GET', url: '/api/nomenclatures/role?selectableOnly=true' });
    expect(roles.json().items.map((i: { code: string }) => i.code)).toEqual(['GENR08', 'GENR09', 'GENR10', 'GENR11', 'GENR12']);
    const modes = await t.app.inject({ method: 'GET', url: '/api/nomenclatures/mode-exercice?selectableOnly=true' });
    expect(modes.json().items.map((i: { code: string }) => i.code)).toEqual(['S']);
  });

  it('refuses a deprecated code for a new record with a field error', async () => {
    const service = createReferentialService({ db: t.database.db, clock: fixedClock('2026-11-23T10:00:00Z') });
    await expect(service.requireSelectable('profession', '313', '2026-11-23', '/body/profession')).resolves.toMatchObject({
      code: '313',
    });
    const error = await service.requireSelectable('profession', '323', '2026-11-23', '/body/profession').catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.errors[0].pointer).toBe('/body/profession');
    await expect(service.requireSelectable('profession', '999', '2026-11-23', '/body/profession')).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it('points a refused 318 (AVS) or 323 (AMP) to 328, Accompagnant éducatif et social (TRE_R85, since 2025-12-22)', async () => {
    const service = createReferentialService({ db: t.database.db, clock: fixedClock('2026-11-23T10:00:00Z') });
    for (const code of ['318', '323']) {
      const error = await service.requireSelectable('profession', code, '2026-11-23', '/body/profession').catch((e) => e);
      expect(error.errors[0].detail).toContain('n’est plus proposée depuis le 22/12/2025');
      expect(error.errors[0].detail).toContain('« Accompagnant éducatif et social » (328)');
    }
    await expect(service.requireSelectable('profession', '318', '2025-12-21', '/body/profession')).resolves.toMatchObject({ code: '318' });
  });

  it('offers the "bientôt disponible" professions (359, 361) only from PROFESSIONS_SOON_AVAILABLE_FROM', async () => {
    const service = createReferentialService({ db: t.database.db, clock: fixedClock('2026-11-23T10:00:00Z') });
    const offered = async (on: string) =>
      (await t.app.inject({ method: 'GET', url: `/api/nomenclatures/profession?selectableOnly=true&on=${on}` })).json().items.map((i: { code: string }) => i.code);
    try {
      // Unset (the default): readable, never offered.
      expect(await offered('2026-11-23')).not.toContain('359');
      const notYet = await service.requireSelectable('profession', '361', '2026-11-23', '/body/profession').catch((e) => e);
      expect(notYet.errors[0].detail).toContain('n’est pas encore disponible');
      await openSoonAvailableProfessions(t.database.db, '2027-01-01');
      expect(await offered('2026-12-31')).not.toContain('359');
      expect(await offered('2027-01-01')).toEqual(expect.arrayContaining(['359', '361']));
      const later = await service.requireSelectable('profession', '359', '2026-12-31', '/body/profession').catch((e) => e);
      expect(later.errors[0].detail).toContain('sera disponible à partir du 01/01/2027');
      await expect(service.requireSelectable('profession', '359', '2027-01-01', '/body/profession')).resolves.toMatchObject({ code: '359' });
    } finally {
      await openSoonAvailableProfessions(t.database.db, null);
    }
  });

  it('rejects an unknown nomenclature and a malformed date', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/nomenclatures/unknown' })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/api/nomenclatures/role?on=2025-13-45' })).statusCode).toBe(400);
  });

  it('lists countries with INSEE 99xxx codes and France selectable', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nomenclatures/country?selectableOnly=true' });
    const france = res.json().items.find((i: { code: string }) => i.code === '99100');
    expect(france.label).toBe('France');
    expect(res.json().items.every((i: { code: string }) => /^99\d{3}$/.test(i.code))).toBe(true);
  });

  it('re-seeding is idempotent', async () => {
    const before = await t.database.db.selectFrom('nomenclatureCode').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const report = await seedReferential(t.database.db);
    expect(report.loaded).toEqual([]);
    const after = await t.database.db.selectFrom('nomenclatureCode').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toEqual(before.n);
  });
});

describe('communes', () => {
  it('finds a commune accent- and case-insensitively with its INSEE code and department', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/communes?q=${encodeURIComponent('SAINT ETIENNE')}` });
    expect(res.statusCode).toBe(200);
    expect(res.json().items[0]).toMatchObject({ inseeCode: '42218', name: 'Saint-Étienne', departmentCode: '42', kind: 'current' });
  });

  it('includes former communes merged into a commune nouvelle', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/communes?q=arbignieu' });
    expect(res.json().items).toContainEqual(expect.objectContaining({ name: 'Arbignieu', kind: 'delegated' }));
  });

  it('names a saved INSEE code (issue 17: a restored draft shows "Toulouse (31)", not "INSEE 31555")', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/communes/31555?on=1990-05-04' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ inseeCode: '31555', name: 'Toulouse', departmentCode: '31' });
    expect((await t.app.inject({ method: 'GET', url: '/api/communes/2A004' })).json()).toMatchObject({ name: 'Ajaccio', departmentCode: '2A' });
    const unknown = await t.app.inject({ method: 'GET', url: '/api/communes/99999' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().type).toBe('urn:rpps-plus:problem:commune-not-found');
    expect((await t.app.inject({ method: 'GET', url: '/api/communes/toulouse' })).statusCode).toBe(400);
  });

  it('asks for at least two characters', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/communes?q=a' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].pointer).toBe('/query/q');
  });
});
