import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { duplicateCandidateColumns, duplicateCandidateCondition, type DuplicateProbe } from './queries.ts';

/**
 * The duplicate candidates of many identities in one query (a bulk import's batch): for each
 * probe, the candidates `findDuplicateCandidates` would return for it alone — same columns, same
 * condition, same limit — as one lateral subquery per probe over the probes sent as JSON. Returns
 * the candidates of probe `i` under key `i` (absent: none).
 */
export async function findDuplicateCandidatesOfMany(db: Kysely<DB>, probes: readonly DuplicateProbe[]) {
  const byProbe = new Map<number, Awaited<ReturnType<typeof query>>>();
  if (probes.length === 0) return byProbe;
  const rows = await query(db, probes);
  for (const { probe, ...row } of rows) byProbe.set(probe, [...(byProbe.get(probe) ?? []), { probe, ...row }]);
  return byProbe;
}

function query(db: Kysely<DB>, probes: readonly DuplicateProbe[]) {
  const json = JSON.stringify(
    probes.map((p, i) => ({
      i,
      birth_date: p.birthDate,
      slip_dates: p.slipDates.length > 0 ? p.slipDates : [p.birthDate],
      family_keys: p.familyKeys,
      family_text: p.familyText,
      first_name_keys: p.firstNameKeys,
    })),
  );
  return db
    .selectFrom(
      sql<{ i: number }>`(SELECT * FROM jsonb_to_recordset(${json}::jsonb)
        AS x(i int, birth_date date, slip_dates date[], family_keys text[], family_text text, first_name_keys text[]))`.as('p'),
    )
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('person')
          .select(duplicateCandidateColumns)
          .where(
            duplicateCandidateCondition({
              birthDate: sql`p.birth_date`,
              slipDates: sql`p.slip_dates`,
              familyKeys: sql`p.family_keys`,
              familyText: sql`p.family_text`,
              firstNameKeys: sql`p.first_name_keys`,
            }),
          )
          .limit(200)
          .as('c'),
      (join) => join.onTrue(),
    )
    .select(['p.i as probe', 'c.id', 'c.rpps', 'c.sexe', 'c.birthName', 'c.usageName', 'c.firstNames', 'c.birthDate', 'c.birthCountryCode', 'c.birthCommuneCode', 'c.exerciseName', 'c.egs'])
    .execute();
}
