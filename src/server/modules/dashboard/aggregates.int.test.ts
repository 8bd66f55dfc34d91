import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, fixedClock, type TestDatabase } from '../../../../tests/support/db.ts';
import { until } from '../../../../tests/support/until.ts';
import { createJobRuntime, silentLogger } from '../../jobs/index.ts';
import { allDeclarations, createBulkImportService } from '../bulk-import/service.ts';
import { toCsv, validRow } from '../bulk-import/testing.ts';
import { demo } from '../onboarding/testing.ts';
import { createOperatorAggregates } from './aggregates.ts';
import { dashboardRefreshJob } from './jobs.ts';
import { egIn, seedRegistrations, structurePlan } from './testing.ts';

/**
 * Issue 18, operator dashboard aggregates: after registrations, situation ends and a bulk import,
 * a refresh gives exactly a full recount; a tick refreshes once even with two workers.
 */
const clock = fixedClock('2026-11-23T10:00:00Z');
let t: TestDatabase;
let dir: string;

beforeAll(async () => {
  t = await createTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dash-agg-'));
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

type Row = Record<string, unknown>;
const sorted = (rows: Row[]) => rows.map((r) => JSON.stringify(r)).sort();

/** The aggregates as stored, and the same figures recounted from the register, written independently. */
async function storedAndRecount() {
  const db = t.db;
  const stored = {
    departments: (await sql<Row>`select department_code as d, region_code as r, active as n from dashboard_area_active where level = 0`.execute(db)).rows,
    regions: (await sql<Row>`select region_code as r, active as n from dashboard_area_active where level = 2`.execute(db)).rows,
    france: (await sql<Row>`select active as n from dashboard_area_active where level = 3`.execute(db)).rows,
    days: (await sql<Row>`select day::text as day, nullif(department_key, '') as d, registrations as n from dashboard_registration_day`.execute(db)).rows,
  };
  const base = sql`from situation si join structure s on s.finess = si.eg_finess
    left join nomenclature_code dep on dep.kind = 'department' and dep.code = s.department_code where si.status <> 'deleted'`;
  const recount = {
    departments: (await sql<Row>`select s.department_code as d, dep.extra->>'region' as r, (count(distinct si.person_id) filter (where si.status = 'active'))::int as n ${base} group by 1, 2`.execute(db)).rows,
    regions: (await sql<Row>`select dep.extra->>'region' as r, (count(distinct si.person_id) filter (where si.status = 'active'))::int as n ${base} group by 1`.execute(db)).rows,
    france: (await sql<Row>`select (count(distinct si.person_id) filter (where si.status = 'active'))::int as n ${base}`.execute(db)).rows,
    days: (await sql<Row>`select to_char(si.created_at at time zone 'Europe/Paris', 'YYYY-MM-DD') as day, s.department_code as d, count(*)::int as n ${base} group by 1, 2`.execute(db)).rows,
  };
  return { stored, recount };
}

async function expectEqualToRecount() {
  const { stored, recount } = await storedAndRecount();
  for (const k of ['departments', 'regions', 'france', 'days'] as const) expect(sorted(stored[k]), k).toEqual(sorted(recount[k]));
  // The running totals: each row's is the sum of its department's days up to it.
  const { rows: wrong } = await sql`select 1 from dashboard_registration_day r
    where r.cumulative <> (select sum(x.registrations) from dashboard_registration_day x where x.department_key = r.department_key and x.day <= r.day)`.execute(t.db);
  expect(wrong).toEqual([]);
  return recount;
}

describe('operator dashboard aggregates', () => {
  it('equal a full recount after registrations, situation ends and a bulk import', async () => {
    const aggregates = createOperatorAggregates({ db: t.db, clock });
    const deps = { db: t.db, clock, config: t.config };
    const eg33 = await egIn(t.db, '33');
    const { register, actor, ids } = await seedRegistrations(deps, [...structurePlan, [eg33, '313', 'GENR11']]);
    expect(await aggregates.refresh()).toMatchObject({ status: 'refreshed', asOf: clock.now() });
    const first = await expectEqualToRecount();
    expect(first.france).toEqual([{ n: structurePlan.length + 1 }]);

    // A situation ends; someone registers in last year's June; a file of 4 staff is imported.
    await register.endSituation(actor, 'all', ids[0]!, { endDate: '2026-11-20', reason: 'departure' });
    await seedRegistrations({ ...deps, clock: fixedClock('2025-06-15T10:00:00Z') }, [[await egIn(t.db, '59'), '313', 'GENR11']], 950);
    const bulk = createBulkImportService({ db: t.db, clock, config: t.config });
    const file = path.join(dir, 'staff.csv');
    fs.writeFileSync(file, toCsv([validRow(9700, demo.eg1), validRow(9701, demo.eg2), validRow(9702, demo.eg1), validRow(9703, demo.eg2)]));
    const imported = await bulk.commit({ id: 'account:dash-test', kind: 'gestionnaire' }, 'all', demo.ej, file, { fileName: 'staff.csv', declarations: allDeclarations });
    while ((await bulk.processBatch(imported.id)).pending > 0);

    // Until the next refresh the figures are those of the last one (its "as of" time says so).
    const stale = await storedAndRecount();
    expect(stale.stored.france).toEqual(first.france);
    expect(stale.recount.france).not.toEqual(first.france);

    await aggregates.refresh();
    const second = await expectEqualToRecount();
    // One ended (−1), one registered in 2025 and four imported (+5).
    expect(second.france).toEqual([{ n: structurePlan.length + 1 - 1 + 5 }]);
    expect(second.days).toContainEqual({ day: '2025-06-15', d: '59', n: 1 });
  });

  it('two refreshes asked at the same instant (two workers, the same tick): one computes, the other finds it done', async () => {
    const aggregates = createOperatorAggregates({ db: t.db, clock });
    const count = async () => Number((await t.db.selectFrom('dashboardRefresh').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const { now } = (await sql<{ now: Date }>`select clock_timestamp() as now`.execute(t.db)).rows[0]!;
    const results = await Promise.all([aggregates.refresh(now), aggregates.refresh(now)]);
    expect(results.map((r) => r.status).sort()).toEqual(['already_fresh', 'refreshed']);
    expect(await count()).toBe(before + 1);
    await expectEqualToRecount();
  });

  it('the pg-boss schedule sends one job per tick with two worker instances, and it refreshes once', { timeout: 150_000 }, async () => {
    const { started } = (await sql<{ started: Date }>`select clock_timestamp() as started`.execute(t.db)).rows[0]!;
    // Every minute instead of every 10, and cron checks every second, to see a tick within the test.
    const runtimes = [1, 2].map((i) =>
      createJobRuntime({
        database: t,
        databaseUrl: t.config.databaseUrl,
        worker: true,
        instanceName: `dashboard-worker-${i}`,
        pollingIntervalSeconds: 0.5,
        scheduleCheckSeconds: 1,
        jobs: [dashboardRefreshJob({ db: t.db, clock }, { cron: '* * * * *' })],
      }),
    );
    try {
      for (const r of runtimes) await r.start({ log: silentLogger });
      const refreshed = () => t.db.selectFrom('dashboardRefresh').select('startedAt').where('startedAt', '>', started).execute();
      await until(async () => ((await refreshed()).length > 0 ? true : undefined), { timeoutMs: 120_000, what: 'a scheduled refresh' });
      // Both instances check the schedule every second: give the other one time to send its own.
      await new Promise((r) => setTimeout(r, 5_000));
      const ticked = (await runtimes[0]!.boss.findJobs('dashboard.refresh')).filter((j) => j.createdOn > started);
      await until(async () => ((await runtimes[0]!.boss.findJobs('dashboard.refresh')).filter((j) => j.createdOn > started).every((j) => j.state === 'completed') ? true : undefined), { what: 'the jobs settled' });
      // One job per tick (a tick still due at start-up and the next one may both fall in the wait),
      // and one refresh per job.
      const ticks = new Set(ticked.map((j) => Math.floor(j.createdOn.getTime() / 60_000)));
      expect(ticked.length).toBeGreaterThan(0);
      expect(ticked.length).toBe(ticks.size);
      expect(await refreshed()).toHaveLength(ticked.length);
    } finally {
      for (const r of runtimes) await r.stop();
    }
  });
});
