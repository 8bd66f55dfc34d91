import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';

/**
 * Turns PostgreSQL's JIT compilation off for the rest of the transaction `trx` (`SET LOCAL`: the
 * connection gets its setting back at commit or rollback). A set's duplicate query (one lateral
 * subquery per row, register/duplicate-batch.ts) is estimated above `jit_above_cost` as soon as
 * the register holds some thousands of persons, so every set paid the compilation of ~40
 * functions (1.3–2.1 s on the shared machine, EXPLAIN ANALYZE in performance.md) for a query that
 * runs in 30–100 ms. The bulk import's statements are many small index lookups: JIT never pays.
 */
export async function withoutJit(trx: Kysely<DB>): Promise<void> {
  await sql`SET LOCAL jit = off`.execute(trx);
}

/** `work` in a transaction of its own without JIT (a read of the check, on its own connection). */
export function readWithoutJit<T>(db: Kysely<DB>, work: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await withoutJit(trx);
    return work(trx);
  });
}
