import { sql } from 'kysely';
import { buildApp } from '../src/server/app.ts';
import { upsertAccount } from '../src/server/auth/accounts.ts';
import { addDays, todayOf } from '../src/server/calendar.ts';
import { systemClock } from '../src/server/context.ts';
import type { Database } from '../src/server/db/database.ts';
import { pscSubject } from '../src/server/dev-idp/identities.ts';
import { createOperatorAggregates } from '../src/server/modules/dashboard/aggregates.ts';
import { seedPersons } from './person-population.ts';
import { listenLocally, measure, openScratchBenchDatabase, percentile, printTable, startHelloWorld } from './support.ts';

/**
 * Operator dashboard at national scale (issue 18): `GET /api/dashboard/operator` reads the
 * aggregates of the last `dashboard.refresh`. Seeds BENCH_DASHBOARD_SIZE persons (default
 * BENCH_DIRECTORY_SIZE, else 3,000,000 on PostgreSQL and 100,000 on PGlite) with 1.3 situations
 * each on the demo FINESS EG, set-based; then times a refresh, the former per-request recount
 * (the statement the page ran before, as the same-run "before"), and the page under load beside
 * a hello-world. Goal: p95 < 200 ms.
 */
const goalP95Ms = 200;
const operatorIdnps = '810002222338'; // the demo ANS operator

/**
 * Situations of the seeded persons, set-based: 30 % have two, 8 % of those ended, over the last 3
 * years. Start dates are the Paris day of the creation time, as the register records them.
 */
export async function seedSituations(db: Database, persons: number) {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from structure where kind = 'EG'`.execute(db);
  const egs = rows[0]!.n;
  const batch = 100_000;
  for (let from = 0; from < persons; from += batch) {
    const to = Math.min(persons, from + batch) - 1;
    await sql`
      WITH eg AS (SELECT finess, row_number() OVER (ORDER BY finess) - 1 AS n FROM structure WHERE kind = 'EG'),
      p AS (
        SELECT p.id, p.birth_name, p.first_names[1] AS first_name, i
        FROM generate_series(${from}::bigint, ${to}::bigint) AS i
        JOIN person p ON p.rpps = lpad((8000000000 + i)::text, 11, '0')
      ),
      s AS (
        SELECT p.*, k, (hashint8(i * 3 + k) & 2147483647) % ${egs} AS eg_n,
               k = 2 AND (hashint8(i * 13) & 2147483647) % 100 < 8 AS ended,
               now() - make_interval(secs => (hashint8(i * 7 + k) & 2147483647) % (3 * 365 * 86400)) AS created
        FROM p CROSS JOIN LATERAL generate_series(1, CASE WHEN (hashint8(i + 31) & 2147483647) % 100 < 30 THEN 2 ELSE 1 END) AS k
      )
      INSERT INTO situation (person_id, eg_finess, profession_code, role_code, mode_code, exercise_last_name, exercise_first_name, search_text,
                             start_date, end_date, status, created_by, created_at, updated_at)
      SELECT s.id, eg.finess, '313', 'GENR11', 'S', s.birth_name, s.first_name, lower(s.birth_name || ' ' || s.first_name),
             (s.created AT TIME ZONE 'Europe/Paris')::date, CASE WHEN s.ended THEN (s.created AT TIME ZONE 'Europe/Paris')::date + 30 END, CASE WHEN s.ended THEN 'ended' ELSE 'active' END,
             'bench', s.created, s.created
      FROM s JOIN eg ON eg.n = s.eg_n
      ON CONFLICT DO NOTHING`.execute(db);
  }
  await sql`ANALYZE situation`.execute(db);
  await sql`ANALYZE person`.execute(db);
}

/** The statement the page ran on every request before the aggregates (main, operator.ts). */
async function liveRecount(db: Database, from: string, to: string) {
  await sql`
    select s.department_code as department, dep.extra->>'region' as region,
           grouping(s.department_code, dep.extra->>'region') as level,
           count(distinct si.person_id) filter (where si.status = 'active') as active,
           count(*) filter (where (si.created_at at time zone 'Europe/Paris')::date between ${from}::date and ${to}::date) as registrations
    from situation si
    join structure s on s.finess = si.eg_finess
    left join nomenclature_code dep on dep.kind = 'department' and dep.code = s.department_code
    where si.status <> 'deleted'
    group by grouping sets ((s.department_code, dep.extra->>'region'), (dep.extra->>'region'), ())`.execute(db);
}

export async function run() {
  const bench = await openScratchBenchDatabase();
  const { db, backend } = bench.handle;
  const size = Number(process.env.BENCH_DASHBOARD_SIZE ?? process.env.BENCH_DIRECTORY_SIZE ?? (backend === 'postgres' ? 3_000_000 : 100_000));
  const hello = await startHelloWorld();
  const app = await buildApp({ config: bench.config, db, clock: systemClock }, { logger: false });
  try {
    let t0 = performance.now();
    await seedPersons(db, size);
    await seedSituations(db, size);
    const { rows: counted } = await sql<{ n: number }>`select count(*)::int as n from situation`.execute(db);
    process.stdout.write(`${backend}: ${size.toLocaleString('en')} persons, ${counted[0]!.n.toLocaleString('en')} situations seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);

    const aggregates = createOperatorAggregates({ db, clock: systemClock });
    t0 = performance.now();
    const refreshed = await aggregates.refresh();
    const refreshMs = performance.now() - t0;

    // Paris days, as the page counts them (src/server/calendar.ts): the period the page defaults to.
    const today = todayOf(systemClock);
    const yearAgo = addDays(today, -364);
    const live: number[] = [];
    for (let i = 0; i < 3; i++) {
      t0 = performance.now();
      await liveRecount(db, yearAgo, today);
      live.push(performance.now() - t0);
    }
    live.sort((a, b) => a - b);

    const base = await listenLocally(app);
    const account = await upsertAccount(db, { provider: 'psc', subject: pscSubject(operatorIdnps), idnps: operatorIdnps, familyName: 'BENCH', givenName: 'Opérateur' }, systemClock.now());
    const session = await app.auth.sessions.create({ accountId: account.id, provider: 'psc', idToken: null, identity: {} });
    const cookie = `${app.auth.cookies.session}=${session.token}`;
    const check = await fetch(`${base}/api/dashboard/operator`, { headers: { cookie } });
    if (check.status !== 200) throw new Error(`the operator dashboard answered ${check.status}`);
    const body = (await check.json()) as { asOf: string; totals: { activeProfessionals: number } };

    const helloWorld = await measure('hello world (bare Fastify)', hello.url);
    // Periods vary, so each request sums another range of days.
    let n = 0;
    const page = await measure(`GET /api/dashboard/operator (${backend})`, `${base}/api/dashboard/operator`, undefined, {
      headers: { cookie },
      nextPath: () => `/api/dashboard/operator?from=${addDays(today, -(365 + (n++ % 300)))}`,
    });
    // The floor of any signed-in request on this machine: session + roles, one query, no work.
    const session_ = await measure(`GET /api/session signed in (${backend})`, `${base}/api/session`, undefined, { headers: { cookie } });
    printTable(helloWorld, [session_, page]);
    const ok = page.p95 < goalP95Ms && page.errors === 0;
    process.stdout.write(
      `${`operator dashboard p95, ${size.toLocaleString('en')} persons`.padEnd(44)} ${page.p95.toFixed(1).padStart(9)} ms  goal < ${goalP95Ms} ms ${ok ? 'MET' : 'NOT MET'}; ` +
        `baseline: the former per-request recount ${percentile(live, 50).toFixed(0)} ms (median of 3); ratio ${(percentile(live, 50) / page.p50).toFixed(0)}× faster at p50\n` +
        `${'refresh (dashboard.refresh job)'.padEnd(44)} ${refreshMs.toFixed(0).padStart(9)} ms  (${refreshed.status}; every 10 min; figures as of ${body.asOf}, ${body.totals.activeProfessionals.toLocaleString('en')} active)\n`,
    );
  } finally {
    await app.close();
    await hello.close();
    await bench.close();
  }
}
