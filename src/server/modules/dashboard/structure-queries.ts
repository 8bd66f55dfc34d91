import { type SqlBool, sql } from 'kysely';
import { addDays } from '../../calendar.ts';
import type { Database } from '../../db/database.ts';
import type { EgScope } from '../register/types.ts';

/**
 * The SQL of the structure dashboard (service.ts): each figure over the EG of the viewer's scope in
 * the structure asked for.
 */

/** The structure and the EG of the scope in it (none: the structure does not exist for the viewer). */
export async function structureInScope(db: Database, scope: EgScope, finess: string) {
  const structure = await db.selectFrom('structure').select(['finess', 'name', 'kind', 'ejFiness']).where('finess', '=', finess).executeTakeFirst();
  if (!structure) return undefined;
  let q = db.selectFrom('structure').select('finess').where('kind', '=', 'EG');
  q = structure.kind === 'EJ' ? q.where('ejFiness', '=', finess) : q.where('finess', '=', finess);
  if (scope !== 'all') q = scope.length === 0 ? q.where((eb) => eb.val(false)) : q.where('finess', 'in', [...scope]);
  const egs = (await q.orderBy('finess').execute()).map((r) => r.finess);
  return egs.length === 0 ? undefined : { structure, egs };
}

const activeIn = (db: Database, egs: string[]) => db.selectFrom('situation').where('egFiness', 'in', egs).where('status', '=', 'active');

/** Active situations counted by role or profession, with the nomenclature's labels. */
export async function activeGrouped(db: Database, egs: string[], column: 'roleCode' | 'professionCode', kind: string) {
  const rows = await activeIn(db, egs).select([column, (eb) => eb.fn.countAll<string>().as('n')]).groupBy(column).orderBy(column).execute();
  const names = new Map((await db.selectFrom('nomenclatureCode').select(['code', 'label']).where('kind', '=', kind).execute()).map((r) => [r.code, r.label]));
  return rows.map((r) => {
    const code = (r as Record<string, unknown>)[column] as string;
    return { code, label: names.get(code) ?? code, count: Number(r.n) };
  });
}

/** Registrations (situations not deleted) per Paris month, from Paris midnight 365 days before `today`. */
export async function registrationsPerMonth(db: Database, egs: string[], today: string) {
  const months = await db
    .selectFrom('situation')
    .select([sql<string>`to_char(created_at at time zone 'Europe/Paris', 'YYYY-MM')`.as('month'), (eb) => eb.fn.countAll<string>().as('n')])
    .where('egFiness', 'in', egs)
    .where('status', '!=', 'deleted')
    .where(sql<SqlBool>`created_at >= ${addDays(today, -365)}::date::timestamp at time zone 'Europe/Paris'`)
    .groupBy('month')
    .orderBy('month')
    .execute();
  return months.map((m) => ({ month: m.month, count: Number(m.n) }));
}

/** When each pending pre-registration request of the EG was submitted. */
export async function pendingSubmissions(db: Database, egs: string[]) {
  const rows = await db.selectFrom('preregistration').select(['submittedAt']).where('status', '=', 'pending').where('egFiness', 'in', egs).execute();
  return rows.map((r) => r.submittedAt);
}

/** Active situations whose end date falls from `today` to `until`, soonest first. */
export function endingBetween(db: Database, egs: string[], today: string, until: string) {
  return activeIn(db, egs)
    .innerJoin('person', 'person.id', 'situation.personId')
    .select(['person.rpps', 'situation.exerciseLastName', 'situation.exerciseFirstName', 'situation.egFiness', 'situation.endDate'])
    .where('situation.endDate', 'is not', null)
    .where('situation.endDate', '>=', today)
    .where('situation.endDate', '<=', until)
    .orderBy('situation.endDate')
    .execute();
}

/** The persons with an active situation in the EG: how many, how many to verify, how many with an active e-CPS. */
export async function personFigures(db: Database, egs: string[]) {
  const persons = db
    .selectFrom('person')
    .where((eb) =>
      eb.exists(eb.selectFrom('situation').select('situation.id').whereRef('situation.personId', '=', 'person.id').where('situation.egFiness', 'in', egs).where('situation.status', '=', 'active')),
    );
  const count = async (q: typeof persons) => Number((await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  return {
    total: await count(persons),
    toVerify: await count(persons.where('identityStatus', 'in', ['to_verify', 'to_review'])),
    ecpsActive: await count(
      persons.where((eb) => eb.exists(eb.selectFrom('ecpsAccount').select('ecpsAccount.personId').whereRef('ecpsAccount.personId', '=', 'person.id').where('ecpsAccount.status', '=', 'active'))),
    ),
  };
}
