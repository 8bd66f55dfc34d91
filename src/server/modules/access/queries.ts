import { CompiledQuery, sql } from 'kysely';
import { preparedStatement } from '../../db/prepared.ts';
import type { Database } from '../../db/database.ts';
import type { SituationStatus } from '../../db/schema.ts';

export function findMatrixInForce(db: Database, on: string) {
  return db
    .selectFrom('accessMatrix')
    .selectAll()
    .where('effectiveFrom', '<=', on)
    .orderBy('effectiveFrom', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function listMatrixVersions(db: Database) {
  return db.selectFrom('accessMatrix').selectAll().orderBy('effectiveFrom').execute();
}

export function listMatrixEntries(db: Database, matrixId: number) {
  return db
    .selectFrom('accessMatrixEntry')
    .select(['roleCode', 'documentType'])
    .where('matrixId', '=', matrixId)
    .execute();
}

/**
 * The situations (deleted ones excluded) of every person named, in one query; a person without
 * situation comes back once with null situation columns, an unknown number not at all. The first
 * row (always present: `rpps` null when nobody was found) carries `matrixHead`, the newest matrix
 * version id — versions are only ever added, so a cached list with the same head is current — and,
 * given `apiKeyId`, `keyValid`: whether that key is still unrevoked and unexpired at `now`, so the
 * caller's key is checked again in the same round trip (its authentication may come from memory).
 * `in (…)` on the char(11) column, not `= any($1::text[])`: the cast would forbid the index.
 */
interface SituationsRow {
  matrixHead: number | null;
  keyValid: boolean;
  rpps: string | null;
  identityStatus: string | null;
  egFiness: string | null;
  roleCode: string | null;
  startDate: string | null;
  endDate: string | null;
  status: SituationStatus | null;
}

function situationsQuery(rpps: readonly string[], options: { apiKeyId?: string | undefined; now: Date }) {
  const keyValid = options.apiKeyId
    ? sql<boolean>`exists (select 1 from api_key k where k.id = ${options.apiKeyId} and k.revoked_at is null and (k.expires_at is null or k.expires_at > ${options.now}))`
    : sql<boolean>`true`;
  return sql<SituationsRow>`
    select h.matrix_head, h.key_valid, p.rpps, p.identity_status, s.eg_finess, s.role_code, s.start_date, s.end_date, s.status
    from (select (select max(id) from access_matrix) as matrix_head, ${keyValid} as key_valid) h
    left join (person p left join situation s on s.person_id = p.id and s.status <> 'deleted')
      on ${rpps.length > 0 ? sql`p.rpps in (${sql.join(rpps)})` : sql`false`}`;
}

/**
 * The statement of a single decision (one person), compiled once per process and run as a
 * server-side prepared statement: its planning (0.25 ms, five times its execution) is done once
 * per connection instead of once per decision (docs/performance.md "Access decisions").
 */
const singleStatements = new Map<boolean, string>();
function singleStatement(db: Database, withKey: boolean): string {
  let text = singleStatements.get(withKey);
  if (!text) {
    const sample = situationsQuery(['00000000000'], withKey ? { apiKeyId: '00000000-0000-0000-0000-000000000000', now: new Date(0) } : { now: new Date(0) }).compile(db);
    if (sample.parameters.length !== (withKey ? 3 : 1)) throw new Error('access decisions: unexpected parameters of the single statement');
    text = preparedStatement(sample.sql);
    singleStatements.set(withKey, text);
  }
  return text;
}

export async function situationsOfPersons(db: Database, rpps: readonly string[], options: { apiKeyId?: string | undefined; now: Date }) {
  const { rows } =
    rpps.length === 1
      ? await db.executeQuery(
          CompiledQuery.raw(singleStatement(db, Boolean(options.apiKeyId)), options.apiKeyId ? [options.apiKeyId, options.now, rpps[0]] : [rpps[0]]) as CompiledQuery<SituationsRow>,
        )
      : await situationsQuery(rpps, options).execute(db);
  return { matrixHead: rows[0]?.matrixHead ?? null, keyValid: rows[0]?.keyValid ?? false, rows: rows.filter((r): r is typeof r & { rpps: string } => r.rpps !== null) };
}
