import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/support/app.ts';
import { fixedClock } from '../../../../tests/support/db.ts';
import { demo, sessionFor } from '../onboarding/testing.ts';
import { createDashboardService } from './service.ts';
import { seedPendingRequests, seedRegistrations, structurePlan } from './testing.ts';

/** Issue 10, acceptance 5: dashboard figures equal the counts computed directly in SQL on seeded data. */
const clock = fixedClock('2026-11-23T10:00:00Z');
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ clock });
  const { register, actor, ids } = await seedRegistrations({ db: t.database.db, clock, config: t.database.config }, structurePlan);
  await register.scheduleEnd(actor, 'all', ids[1]!, { endDate: '2026-12-10', reason: 'interim-end' });
  await register.scheduleEnd(actor, 'all', ids[4]!, { endDate: '2027-06-30', reason: 'departure' });
  await register.endSituation(actor, 'all', ids[2]!, { endDate: '2026-11-20', reason: 'departure' });
  await seedPendingRequests(t.database.db, clock, [
    { egFiness: demo.eg1, daysAgo: 2 },
    { egFiness: demo.eg1, daysAgo: 7 },
    { egFiness: demo.eg2, daysAgo: 45 },
    { egFiness: demo.otherEjEg, daysAgo: 60 },
  ]);
  await t.database.db.updateTable('person').set({ identityStatus: 'verified' }).where('id', 'in', t.database.db.selectFrom('situation').select('personId').where('id', '=', ids[0]!)).execute();
});
afterAll(() => t?.close());

/** The same figures, straight from SQL. */
async function direct(egs: string[]) {
  const { rows: byRole } = await sql<{ code: string; n: string }>`
    select role_code as code, count(*) as n from situation where status = 'active' and eg_finess in (${sql.join(egs)}) group by role_code order by role_code`.execute(t.database.db);
  const { rows: byProfession } = await sql<{ code: string; n: string }>`
    select profession_code as code, count(*) as n from situation where status = 'active' and eg_finess in (${sql.join(egs)}) group by profession_code order by profession_code`.execute(t.database.db);
  const { rows: ending } = await sql<{ n: string }>`
    select count(*) as n from situation where status = 'active' and eg_finess in (${sql.join(egs)}) and end_date between '2026-11-23' and '2026-12-23'`.execute(t.database.db);
  const { rows: toVerify } = await sql<{ n: string }>`
    select count(*) as n from person p where identity_status in ('to_verify', 'to_review')
    and exists (select 1 from situation s where s.person_id = p.id and s.status = 'active' and s.eg_finess in (${sql.join(egs)}))`.execute(t.database.db);
  const { rows: pending } = await sql<{ n: string; oldest: string | null }>`
    select count(*) as n, floor(extract(epoch from (${clock.now()}::timestamptz - min(submitted_at))) / 86400)::int as oldest
    from preregistration where status = 'pending' and eg_finess in (${sql.join(egs)})`.execute(t.database.db);
  return {
    pending: { count: Number(pending[0]!.n), oldestDays: pending[0]!.oldest === null ? null : Number(pending[0]!.oldest) },
    byRole: byRole.map((r) => [r.code, Number(r.n)]),
    byProfession: byProfession.map((r) => [r.code, Number(r.n)]),
    ending: Number(ending[0]!.n),
    toVerify: Number(toVerify[0]!.n),
  };
}

describe('structure dashboard', () => {
  it('EJ (every EG of the scope) and one EG: the figures equal the SQL counts', async () => {
    const service = createDashboardService({ db: t.database.db, clock });
    const ejEgs = (await t.database.db.selectFrom('structure').select('finess').where('kind', '=', 'EG').where('ejFiness', '=', demo.ej).orderBy('finess').execute()).map((r) => r.finess);
    for (const [finess, egs] of [[demo.ej, ejEgs], [demo.eg1, [demo.eg1]]] as const) {
      const d = await service.get('all', finess);
      const expected = await direct([...egs]);
      expect(d.egFiness).toEqual(egs);
      expect(d.activeByRole.map((r) => [r.code, r.count])).toEqual(expected.byRole);
      expect(d.activeByProfession.map((r) => [r.code, r.count])).toEqual(expected.byProfession);
      expect(d.endingSoon).toHaveLength(expected.ending);
      expect(d.identitiesToVerify).toBe(expected.toVerify);
      expect({ count: d.pendingRequests.count, oldestDays: d.pendingRequests.oldestDays }).toEqual(expected.pending);
    }
    const ej = await service.get('all', demo.ej);
    // Seeded: 4 active in the EJ (one ended), GENR11 ×2 (eg1 313, eg2 328) + GENR08; one end within 30 days.
    expect(ej.activeByRole.map((r) => [r.code, r.count])).toEqual([['GENR08', 1], ['GENR11', 3]]);
    expect(ej.endingSoon.map((e) => e.endDate)).toEqual(['2026-12-10']);
    expect(ej.identitiesToVerify).toBe(3);
    expect(ej.registrationsPerMonth).toEqual([{ month: expect.stringMatching(/^\d{4}-\d{2}$/), count: 5 }]);
    expect(ej.pendingRequests.byAge.map((b) => b.count)).toEqual([1, 1, 1]);
    expect(ej.ecps).toEqual({ persons: 4, active: 0, rate: 0 });
  });

  it('an EG-scoped gestionnaire sees his EG only; another EJ does not exist for him', async () => {
    const gEg = await sessionFor(t.app, t.database.db, demo.idnps.gestionnaireEg);
    const res = await gEg.get(`/api/dashboard/structures/${demo.ej}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().egFiness).toEqual([demo.eg1]);
    expect((await gEg.get(`/api/dashboard/structures/${demo.otherEj}`)).statusCode).toBe(404);
  });

  it('counts the registrations of the last 365 days from Paris midnight, in Paris months', async () => {
    // Today is 2026-11-23 in Paris; 365 days back, 2025-11-23 starts at 2025-11-22T23:00Z (UTC+1).
    const service = createDashboardService({ db: t.database.db, clock });
    const ids = (await t.database.db.selectFrom('situation').select('id').where('egFiness', '=', demo.eg1).orderBy('id').limit(2).execute()).map((r) => r.id);
    const before = (await service.get('all', demo.ej)).registrationsPerMonth;
    const set = (id: string, at: string) => t.database.db.updateTable('situation').set({ createdAt: new Date(at) }).where('id', '=', id).execute();
    await set(ids[0]!, '2025-11-22T23:30:00Z'); // 00:30 in Paris on 23 November 2025: in the window
    await set(ids[1]!, '2025-11-22T22:30:00Z'); // 23:30 in Paris on 22 November 2025: out of it
    const after = (await service.get('all', demo.ej)).registrationsPerMonth;
    expect(after[0]).toEqual({ month: '2025-11', count: 1 });
    expect(after.reduce((n, m) => n + m.count, 0)).toBe(before.reduce((n, m) => n + m.count, 0) - 1);
  });
});
