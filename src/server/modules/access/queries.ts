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

/** A person's row (one per situation, or one with null situation columns). */
export type PersonSituation = Omit<SituationsRow, 'matrixHead' | 'keyValid'> & { rpps: string };
/** What a decision needs from the database: its persons' rows, the matrix head, its key still valid. */
export interface PersonsLookup {
  matrixHead: number | null;
  keyValid: boolean;
  rows: PersonSituation[];
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
 * The persons of several single decisions at once (grouped by `createBatcher`, decisions.ts), in a
 * statement of fixed text run as a server-side prepared statement: its planning (0.25 ms, five
 * times its execution) is done once per connection. `= any($1::bpchar[])` keeps the index on the
 * char(11) column (a `text[]` would cast the column and lose it); the keys named are checked the
 * same way as `keyValid` above and come back in `validKeys`.
 */
const groupedText = preparedStatement(
  `select h.matrix_head, h.valid_keys, p.rpps, p.identity_status, s.eg_finess, s.role_code, s.start_date, s.end_date, s.status
   from (select (select max(id) from access_matrix) as matrix_head,
                (select coalesce(array_agg(k.id::text), '{}') from api_key k
                  where k.id = any($1::uuid[]) and k.revoked_at is null and (k.expires_at is null or k.expires_at > $2)) as valid_keys) h
   left join (person p left join situation s on s.person_id = p.id and s.status <> 'deleted')
     on p.rpps = any($3::bpchar[])`,
);

type GroupedRow = Omit<SituationsRow, 'keyValid'> & { validKeys: string[] };

export async function situationsOfGroup(db: Database, rpps: readonly string[], apiKeyIds: readonly string[], now: Date): Promise<{ matrixHead: number | null; validKeys: Set<string>; rows: PersonSituation[] }> {
  const { rows } = await db.executeQuery(CompiledQuery.raw(groupedText, [apiKeyIds, now, rpps]) as CompiledQuery<GroupedRow>);
  return {
    matrixHead: rows[0]?.matrixHead ?? null,
    validKeys: new Set(rows[0]?.validKeys ?? []),
    rows: rows.filter((r): r is GroupedRow & PersonSituation => r.rpps !== null),
  };
}

/** The persons of one call (a batch: `in (…)` of its distinct numbers), with its key checked again. */
export async function situationsOfPersons(db: Database, rpps: readonly string[], options: { apiKeyId?: string | undefined; now: Date }): Promise<PersonsLookup> {
  const { rows } = await situationsQuery(rpps, options).execute(db);
  return { matrixHead: rows[0]?.matrixHead ?? null, keyValid: rows[0]?.keyValid ?? false, rows: rows.filter((r): r is typeof r & { rpps: string } => r.rpps !== null) };
}
