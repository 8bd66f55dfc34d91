import { sql } from 'kysely';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';

/** How long refreshes are kept in `dashboard_refresh` (their history: when, how long). */
const keepRefreshesDays = 30;

export type RefreshResult = { status: 'refreshed'; asOf: Date; durationMs: number } | { status: 'already_fresh'; asOf: Date };

/**
 * The operator dashboard's aggregates (issue 18): recomputed from the register by one statement,
 * read by the page. See the migration `dash_operator_aggregates` for the tables.
 *
 * A refresh is serialized by a transaction-level advisory lock. `requestedAt` (database time: a
 * job's creation) makes it idempotent: a refresh that started after that instant already counted
 * every change committed before it, so a second job for the same tick — two workers, a retry,
 * the start-up job meeting the schedule — finds the work done and writes nothing.
 */
export function createOperatorAggregates({ db, clock }: { db: Database; clock: Clock }) {
  async function refresh(requestedAt?: Date): Promise<RefreshResult> {
    return db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext('dashboard.refresh'))`.execute(trx);
      const last = await trx.selectFrom('dashboardRefresh').select(['asOf', 'startedAt']).orderBy('startedAt', 'desc').limit(1).executeTakeFirst();
      if (last && requestedAt && last.startedAt >= requestedAt) return { status: 'already_fresh', asOf: last.asOf };

      const asOf = clock.now();
      const t0 = performance.now();
      // clock_timestamp(), not now(): the transaction may have waited for the lock; the statement
      // below takes its snapshot after this instant.
      const { startedAt } = (await sql<{ startedAt: Date }>`SELECT clock_timestamp() AS started_at`.execute(trx)).rows[0]!;
      // Readers keep seeing the previous figures until the commit (DELETE, not TRUNCATE).
      await sql`DELETE FROM dashboard_area_active`.execute(trx);
      await sql`DELETE FROM dashboard_registration_day`.execute(trx);
      // One statement, so one snapshot for both tables. A person active in two departments counts
      // once in each and once in the total (GROUPING SETS: a distinct count cannot be summed).
      // Departments with situations but no active one keep a row (0), as the live query did.
      await sql`
        WITH per_situation AS (
          SELECT si.person_id, si.status, si.created_at, s.department_code, dep.extra->>'region' AS region_code
          FROM situation si
          JOIN structure s ON s.finess = si.eg_finess
          LEFT JOIN nomenclature_code dep ON dep.kind = 'department' AND dep.code = s.department_code
          WHERE si.status <> 'deleted'
        ),
        active AS (
          INSERT INTO dashboard_area_active (level, department_code, region_code, active)
          SELECT grouping(department_code, region_code), department_code, region_code,
                 count(DISTINCT person_id) FILTER (WHERE status = 'active')
          FROM per_situation
          GROUP BY GROUPING SETS ((department_code, region_code), (region_code), ())
        ),
        per_day AS (
          SELECT coalesce(department_code, '') AS department_key, (created_at AT TIME ZONE 'Europe/Paris')::date AS day, count(*) AS n
          FROM per_situation
          GROUP BY 1, 2
        ),
        days AS (
          INSERT INTO dashboard_registration_day (department_key, day, registrations, cumulative)
          SELECT department_key, day, n, sum(n) OVER (PARTITION BY department_key ORDER BY day)
          FROM per_day
        )
        SELECT 1`.execute(trx);
      // Fresh statistics for the page's index lookups (a planner that still sees the emptied
      // tables would scan them); a few thousand rows, milliseconds.
      await sql`ANALYZE dashboard_area_active, dashboard_registration_day`.execute(trx);
      const durationMs = Math.round(performance.now() - t0);
      await trx.insertInto('dashboardRefresh').values({ asOf, startedAt, durationMs }).execute();
      await trx.deleteFrom('dashboardRefresh').where('startedAt', '<', new Date(startedAt.getTime() - keepRefreshesDays * 86_400_000)).execute();
      return { status: 'refreshed', asOf, durationMs };
    });
  }

  /** The time the figures were computed at (clock time), or null before the first refresh. */
  async function asOf(): Promise<Date | null> {
    const last = await db.selectFrom('dashboardRefresh').select('asOf').orderBy('startedAt', 'desc').limit(1).executeTakeFirst();
    return last?.asOf ?? null;
  }

  return { refresh, asOf };
}
export type OperatorAggregates = ReturnType<typeof createOperatorAggregates>;
