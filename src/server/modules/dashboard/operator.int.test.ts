import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/support/app.ts';
import { fixedClock } from '../../../../tests/support/db.ts';
import { anonymousSession, demo, sessionFor, type Session } from '../onboarding/testing.ts';
import { createOperatorAggregates } from './aggregates.ts';
import { egIn, seedPendingRequests, seedRegistrations, structurePlan } from './testing.ts';

/**
 * Issue 10, operator view: figures per region and department, and structures with stale pending
 * requests, equal the counts computed directly in SQL on seeded data; only an ANS operator sees them.
 */
const clock = fixedClock('2026-11-23T10:00:00Z');
const url = '/api/dashboard/operator';
let t: TestApp;
let operator: Session;
let eg33: string;

beforeAll(async () => {
  t = await createTestApp({ clock });
  const deps = { db: t.database.db, clock, config: t.database.config };
  eg33 = await egIn(deps.db, '33');
  const eg2A = await egIn(deps.db, '2A');
  const eg971 = await egIn(deps.db, '971');
  const { register, actor, ids } = await seedRegistrations(deps, [...structurePlan, [eg33, '326', 'GENR10'], [eg33, '313', 'GENR11'], [eg2A, '313', 'GENR11'], [eg971, '328', 'GENR09']]);
  // Ended: still a registration of the period, no longer an active professional.
  await register.endSituation(actor, 'all', ids[2]!, { endDate: '2026-11-20', reason: 'departure' });
  // Registered in June 2025: outside the default period (the last 365 days).
  await seedRegistrations({ ...deps, clock: fixedClock('2025-06-15T10:00:00Z') }, [[eg33, '313', 'GENR11'], [await egIn(deps.db, '59'), '313', 'GENR11']], 950);
  await seedPendingRequests(deps.db, clock, [
    { egFiness: demo.eg1, daysAgo: 2 },
    { egFiness: demo.eg1, daysAgo: 10 },
    { egFiness: eg33, daysAgo: 30 },
    { egFiness: demo.otherEjEg, daysAgo: 3 },
  ]);
  operator = await sessionFor(t.app, t.database.db, demo.idnps.operator);
  // The area figures come from the aggregates of the last refresh (the scheduled job's work).
  expect((await operator.get(url)).json()).toMatchObject({ asOf: null, totals: { activeProfessionals: 0 } });
  await createOperatorAggregates({ db: t.database.db, clock }).refresh();
});
afterAll(() => t?.close());

/** Registrations and active professionals per department, and per region, written independently in SQL. */
async function direct(from: string, to: string) {
  const db = t.database.db;
  const { rows: active } = await sql<{ k: string | null; n: string }>`
    select s.department_code as k, count(distinct si.person_id) as n from situation si join structure s on s.finess = si.eg_finess
    where si.status = 'active' group by 1`.execute(db);
  const { rows: registrations } = await sql<{ k: string | null; n: string }>`
    select s.department_code as k, count(*) as n from situation si join structure s on s.finess = si.eg_finess
    where si.status <> 'deleted' and si.created_at >= (${from}::date)::timestamp at time zone 'Europe/Paris'
      and si.created_at < (${to}::date + 1)::timestamp at time zone 'Europe/Paris' group by 1`.execute(db);
  const { rows: activeByRegion } = await sql<{ k: string | null; n: string }>`
    select d.extra->>'region' as k, count(distinct si.person_id) as n from situation si join structure s on s.finess = si.eg_finess
    left join nomenclature_code d on d.kind = 'department' and d.code = s.department_code
    where si.status = 'active' group by 1`.execute(db);
  const asMap = (rows: Array<{ k: string | null; n: string }>) => new Map(rows.map((r) => [r.k, Number(r.n)]));
  return { active: asMap(active), registrations: asMap(registrations), activeByRegion: asMap(activeByRegion) };
}

describe('operator dashboard', () => {
  it('per department and region: the figures equal the SQL counts, over the default period', async () => {
    const res = await operator.get(url);
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    expect(d.period).toEqual({ from: '2025-11-24', to: '2026-11-23' });
    expect(d.asOf).toBe('2026-11-23T10:00:00.000Z');
    expect(d.staleDays).toBe(7);
    const expected = await direct(d.period.from, d.period.to);
    for (const dep of d.byDepartment) {
      expect(dep.activeProfessionals, dep.code).toBe(expected.active.get(dep.code) ?? 0);
      expect(dep.registrations, dep.code).toBe(expected.registrations.get(dep.code) ?? 0);
    }
    const departments = new Set(d.byDepartment.map((x: { code: string }) => x.code));
    for (const k of [...expected.active.keys(), ...expected.registrations.keys()]) expect(departments).toContain(k);
    for (const r of d.byRegion) expect(r.activeProfessionals, r.code).toBe(expected.activeByRegion.get(r.code) ?? 0);

    // Seeded: Rhône 6 registered (1 ended), Gironde 2 this year + 1 last year, Corse-du-Sud, Guadeloupe, Nord last year only.
    const dep = (code: string) => d.byDepartment.find((x: { code: string }) => x.code === code);
    expect(dep('69')).toMatchObject({ name: 'Rhône', regionCode: '84', activeProfessionals: 5, registrations: 6 });
    expect(dep('33')).toMatchObject({ name: 'Gironde', regionCode: '75', activeProfessionals: 3, registrations: 2 });
    expect(dep('2A')).toMatchObject({ regionCode: '94', activeProfessionals: 1, registrations: 1 });
    expect(dep('971')).toMatchObject({ name: 'Guadeloupe', regionCode: '01', activeProfessionals: 1, registrations: 1 });
    expect(dep('59')).toMatchObject({ activeProfessionals: 1, registrations: 0 });
    expect(d.byRegion.find((r: { code: string }) => r.code === '84')).toMatchObject({ name: 'Auvergne-Rhône-Alpes', activeProfessionals: 5, registrations: 6 });
    const sum = (k: 'activeProfessionals' | 'registrations') => d.byRegion.reduce((n: number, r: Record<string, number>) => n + r[k]!, 0);
    expect(d.totals).toMatchObject({ activeProfessionals: sum('activeProfessionals'), registrations: sum('registrations') });
  });

  it('a chosen period counts the registrations made in it (Europe/Paris dates, bounds included)', async () => {
    const d = (await operator.get(`${url}?from=2025-06-15&to=2025-06-15`)).json();
    expect(d.totals.registrations).toBe(2);
    expect(d.byDepartment.find((x: { code: string }) => x.code === '33').registrations).toBe(1);
    expect((await operator.get(`${url}?from=2025-06-16&to=2026-11-22`)).json().totals.registrations).toBe(0);
    const bad = await operator.get(`${url}?from=2026-11-23&to=2026-01-01`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].pointer).toBe('/query/from');
    expect((await operator.get(`${url}?staleDays=0`)).statusCode).toBe(400);
    expect((await operator.get(`${url}?from=2026-13-01`)).statusCode).toBe(400);
  });

  it('structures with stale pending requests: threshold from the query, oldest age and counts as in SQL', async () => {
    const d = (await operator.get(url)).json();
    expect(d.staleStructures.map((s: Record<string, unknown>) => [s.egFiness, s.pending, s.stale, s.oldestDays])).toEqual([
      [eg33, 1, 1, 30],
      [demo.eg1, 2, 1, 10],
    ]);
    expect(d.staleStructures[1]).toMatchObject({ ejFiness: demo.ej, departmentCode: '69' });
    expect(d.totals.stalePending).toBe(2);
    const { rows } = await sql<{ eg: string; n: string }>`
      select eg_finess as eg, count(*) as n from preregistration where status = 'pending' and submitted_at <= ${new Date('2026-11-21T10:00:00Z')} group by 1 order by 1`.execute(t.database.db);
    const two = (await operator.get(`${url}?staleDays=2`)).json();
    expect(two.staleStructures.map((s: { egFiness: string; stale: number }) => [s.egFiness, s.stale]).sort()).toEqual(rows.map((r) => [r.eg, Number(r.n)]));
    expect(two.staleStructures.map((s: { egFiness: string }) => s.egFiness)).toEqual([eg33, demo.eg1, demo.otherEjEg]);
  });

  it('only an ANS operator: every other person 403, a machine client 403, anonymous 401', async () => {
    const others = [demo.idnps.rl, demo.idnps.mandataire, demo.idnps.gestionnaireEj, demo.idnps.gestionnaireEg, demo.idnps.professional];
    for (const idnps of others) {
      const res = await (await sessionFor(t.app, t.database.db, idnps)).get(url);
      expect(res.statusCode, idnps).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).not.toContain('Rhône');
    }
    expect((await anonymousSession(t.app).get(url)).statusCode).toBe(401);
    const key = (await t.app.auth.apiKeys.create({ name: 'SI', scopes: ['registrations:bulk', 'directory:read'], ejFiness: '690800123' })).key;
    expect((await t.app.inject({ url, headers: { authorization: `Bearer ${key}` } })).statusCode).toBe(403);
  });
});
