import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { candidateBirthDates, matchIdentity } from '../register/duplicates.ts';
import type { IdentityTraits } from '../register/names.ts';
import type { EtatCivilInput } from '../register/types.ts';
import { requestIdentity } from './queries.ts';

/**
 * `pendingRequestFor` for many identities in one query (a bulk import's batch): for each identity,
 * the EJ's oldest pending request of the same person (same rule: `matchIdentity` on the request's
 * état civil, born the same day or one slip away), or undefined.
 */
export async function pendingRequestsForMany(db: Kysely<DB>, ejFiness: string, identities: readonly IdentityTraits[]) {
  if (identities.length === 0) return [];
  const dates = [...new Set(identities.flatMap((i) => candidateBirthDates(i.birthDate)))];
  const rows = await db
    .selectFrom('preregistration')
    .select(['id', 'etatCivil', sql<string>`etat_civil->>'birthDate'`.as('birthDate'), sql<string>`to_char(submitted_at at time zone 'Europe/Paris', 'DD/MM/YYYY')`.as('submittedOn')])
    .where('status', '=', 'pending')
    .where('ejFiness', '=', ejFiness)
    .where(sql<string>`etat_civil->>'birthDate'`, '=', sql<string>`ANY(${dates}::text[])`)
    .orderBy('submittedAt')
    .execute();
  if (rows.length === 0) return identities.map(() => undefined);
  // Rows by birth date, each with its rank in submission order (the oldest request is named).
  const byDate = new Map<string, Array<{ rank: number; row: (typeof rows)[number] }>>();
  rows.forEach((row, rank) => byDate.set(row.birthDate, [...(byDate.get(row.birthDate) ?? []), { rank, row }]));
  return identities.map((identity) => {
    const near = candidateBirthDates(identity.birthDate).flatMap((d) => byDate.get(d) ?? []);
    near.sort((a, b) => a.rank - b.rank);
    return near.find(({ row }) => {
      const other = requestIdentity(row.etatCivil as EtatCivilInput);
      return other !== null && matchIdentity(identity, other) !== null;
    })?.row;
  });
}
