import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { luhnKey } from '../../identifiers.ts';
import { RppsRangeExhaustedError } from './errors.ts';

export interface RppsRange {
  /** First 10-digit payload of the range (inclusive). */
  start: number;
  /** Last 10-digit payload of the range (inclusive). */
  end: number;
}

/** The 11-digit RPPS number of a 10-digit payload: the payload and its Luhn key. */
export function rppsFromPayload(payload: number): string {
  if (!Number.isInteger(payload) || payload < 0 || payload > 9_999_999_999) throw new RangeError(`Invalid RPPS payload ${payload}`);
  const digits = String(payload).padStart(10, '0');
  return digits + luhnKey(digits);
}

async function nextPayload(trx: Kysely<DB>): Promise<number> {
  const { rows } = await sql<{ v: string | number }>`SELECT nextval('rpps_payload_seq') AS v`.execute(trx);
  return Number(rows[0]!.v);
}

/**
 * Allocates the next RPPS number inside the caller's transaction. The sequence makes it unique
 * under any concurrency (no "max + 1"), and a sequence value is never handed out twice, even if
 * the transaction rolls back: a number is never reused. The ledger row makes the number taken
 * for ever, whatever happens to the person afterwards.
 */
export async function allocateRpps(trx: Kysely<DB>, range: RppsRange, at: Date): Promise<string> {
  let payload = await nextPayload(trx);
  if (payload < range.start) {
    // The configured range starts beyond the sequence (first start with a new range): move the
    // sequence once, under a lock so that two allocations cannot both take the first number.
    await sql`SELECT pg_advisory_xact_lock(hashtext('rpps_payload_seq'))`.execute(trx);
    payload = await nextPayload(trx);
    if (payload < range.start) {
      await sql`SELECT setval('rpps_payload_seq', ${range.start})`.execute(trx);
      payload = range.start;
    }
  }
  if (payload > range.end) throw new RppsRangeExhaustedError(range.end);
  const rpps = rppsFromPayload(payload);
  await trx.insertInto('rppsNumber').values({ rpps, allocatedAt: at }).execute();
  return rpps;
}

/**
 * Allocates `count` RPPS numbers in one sequence call (a bulk import's batch), with the same
 * guarantees as `allocateRpps`: unique under any concurrency, never handed out twice (the sequence
 * does not go back on rollback), each one recorded in the ledger in the caller's transaction.
 */
export async function allocateRppsBlock(trx: Kysely<DB>, range: RppsRange, at: Date, count: number): Promise<string[]> {
  if (count <= 0) return [];
  // The first one through the single path: it moves the sequence into a new range if needed.
  const first = await allocateRpps(trx, range, at);
  if (count === 1) return [first];
  const { rows } = await sql<{ v: string | number }>`SELECT nextval('rpps_payload_seq') AS v FROM generate_series(1, ${count - 1})`.execute(trx);
  const payloads = rows.map((r) => Number(r.v)).sort((a, b) => a - b);
  if (payloads[payloads.length - 1]! > range.end) throw new RppsRangeExhaustedError(range.end);
  const rest = payloads.map(rppsFromPayload);
  for (let i = 0; i < rest.length; i += 1000) {
    await trx.insertInto('rppsNumber').values(rest.slice(i, i + 1000).map((rpps) => ({ rpps, allocatedAt: at }))).execute();
  }
  return [first, ...rest];
}
