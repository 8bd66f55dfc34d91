import { type SelectQueryBuilder, sql } from 'kysely';
import type { Database } from './database.ts';

/**
 * Counting the matches of a search without paying for all of them (issue 8: a 3-letter name prefix
 * matches 5–15 % of 3 million professionals; an exact count visits every matching row).
 * `query` is the search's FROM/WHERE, without selections, order or limit.
 */
type Matches<D, T extends keyof D> = SelectQueryBuilder<D, T, object>;

/** Exact count of the matches. */
export async function countAll<D, T extends keyof D>(db: Database, query: Matches<D, T>): Promise<number> {
  const r = await sql<{ n: string | number }>`select count(*) as n from (${query.select(sql.lit(1).as('one'))}) m`.execute(db);
  return Number(r.rows[0]!.n);
}

/**
 * Counts the matches up to `cap`: `{ count, more: false }` is exact; `more: true` means more than
 * `cap` match (`count` is then `cap`). Stops reading rows after `cap + 1`.
 */
export async function countUpTo<D, T extends keyof D>(db: Database, query: Matches<D, T>, cap: number): Promise<{ count: number; more: boolean }> {
  const r = await sql<{ n: string | number }>`select count(*) as n from (${query.select(sql.lit(1).as('one')).limit(cap + 1)}) m`.execute(db);
  const n = Number(r.rows[0]!.n);
  return n > cap ? { count: cap, more: true } : { count: n, more: false };
}

/** The planner's estimate of the number of matches (`EXPLAIN (FORMAT JSON)`, "Plan Rows"): no row is read. */
export async function plannerEstimate<D, T extends keyof D>(db: Database, query: Matches<D, T>): Promise<number> {
  const r = await sql<Record<string, unknown>>`explain (format json) ${query.select(sql.lit(1).as('one'))}`.execute(db);
  const raw = Object.values(r.rows[0] ?? {})[0];
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan?: { 'Plan Rows'?: number } }[];
  return Math.round(plan[0]?.Plan?.['Plan Rows'] ?? 0);
}
