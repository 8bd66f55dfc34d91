import { type SqlBool, sql } from 'kysely';
import { addDays, todayOf } from '../../calendar.ts';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import { DomainError } from '../../errors.ts';
import type { EgScope } from '../register/types.ts';

export class DashboardNotFoundError extends DomainError {
  constructor() {
    super('dashboard-not-found', 404, 'Aucun établissement de votre périmètre ne porte ce numéro FINESS.');
  }
}

/** Whole days a request has been waiting (a request never submitted has waited 0 days). */
export const ageInDays = (now: Date, since: Date | string | null) => (since === null ? 0 : Math.floor((now.getTime() - new Date(since).getTime()) / 86_400_000));

/** Situations ending within this many days are "ending soon" (scheduled ends, interim, subcontracts). */
export const endingSoonDays = 30;

export interface Dashboard {
  finess: string;
  name: string;
  kind: 'EJ' | 'EG';
  egFiness: string[];
  activeByRole: Array<{ code: string; label: string; count: number }>;
  activeByProfession: Array<{ code: string; label: string; count: number }>;
  registrationsPerMonth: Array<{ month: string; count: number }>;
  pendingRequests: { count: number; oldestDays: number | null; byAge: Array<{ bucket: string; count: number }> };
  endingSoon: Array<{ rpps: string; exerciseLastName: string; exerciseFirstName: string; egFiness: string; endDate: string }>;
  identitiesToVerify: number;
  ecps: { persons: number; active: number; rate: number | null };
}

/**
 * The picture of a structure for its gestionnaires (issue 10): an EJ (every EG of the viewer's scope
 * in it) or one EG. Every figure is computed in SQL over the scope's EG.
 */
export function createDashboardService({ db, clock }: { db: Database; clock: Clock }) {
  async function scopeOf(scope: EgScope, finess: string) {
    const structure = await db.selectFrom('structure').select(['finess', 'name', 'kind', 'ejFiness']).where('finess', '=', finess).executeTakeFirst();
    if (!structure) throw new DashboardNotFoundError();
    let q = db.selectFrom('structure').select('finess').where('kind', '=', 'EG');
    q = structure.kind === 'EJ' ? q.where('ejFiness', '=', finess) : q.where('finess', '=', finess);
    if (scope !== 'all') q = scope.length === 0 ? q.where((eb) => eb.val(false)) : q.where('finess', 'in', [...scope]);
    const egs = (await q.orderBy('finess').execute()).map((r) => r.finess);
    if (egs.length === 0) throw new DashboardNotFoundError();
    return { structure, egs };
  }

  async function labels(kind: string) {
    const rows = await db.selectFrom('nomenclatureCode').select(['code', 'label']).where('kind', '=', kind).execute();
    return new Map(rows.map((r) => [r.code, r.label]));
  }

  async function get(scope: EgScope, finess: string): Promise<Dashboard> {
    const { structure, egs } = await scopeOf(scope, finess);
    const today = todayOf(clock);
    const active = db.selectFrom('situation').where('egFiness', 'in', egs).where('status', '=', 'active');
    const grouped = async (column: 'roleCode' | 'professionCode', kind: string) => {
      const rows = await active.select([column, (eb) => eb.fn.countAll<string>().as('n')]).groupBy(column).orderBy(column).execute();
      const names = await labels(kind);
      return rows.map((r) => {
        const code = (r as Record<string, unknown>)[column] as string;
        return { code, label: names.get(code) ?? code, count: Number(r.n) };
      });
    };
    const months = await db
      .selectFrom('situation')
      .select([sql<string>`to_char(created_at at time zone 'Europe/Paris', 'YYYY-MM')`.as('month'), (eb) => eb.fn.countAll<string>().as('n')])
      .where('egFiness', 'in', egs)
      .where('status', '!=', 'deleted')
      // From Paris midnight 365 days ago: the months are Paris months too.
      .where(sql<SqlBool>`created_at >= ${addDays(today, -365)}::date::timestamp at time zone 'Europe/Paris'`)
      .groupBy('month')
      .orderBy('month')
      .execute();
    const pending = await db
      .selectFrom('preregistration')
      .select(['submittedAt'])
      .where('status', '=', 'pending')
      .where('egFiness', 'in', egs)
      .execute();
    const now = clock.now();
    const ages = pending.map((p) => ageInDays(now, p.submittedAt));
    const bucket = (lo: number, hi: number) => ages.filter((a) => a >= lo && a < hi).length;
    const ending = await active
      .innerJoin('person', 'person.id', 'situation.personId')
      .select(['person.rpps', 'situation.exerciseLastName', 'situation.exerciseFirstName', 'situation.egFiness', 'situation.endDate'])
      .where('situation.endDate', 'is not', null)
      .where('situation.endDate', '>=', today)
      .where('situation.endDate', '<=', addDays(today, endingSoonDays))
      .orderBy('situation.endDate')
      .execute();
    const persons = db.selectFrom('person').where((eb) => eb.exists(eb.selectFrom('situation').select('situation.id').whereRef('situation.personId', '=', 'person.id').where('situation.egFiness', 'in', egs).where('situation.status', '=', 'active')));
    const toVerify = await persons.select((eb) => eb.fn.countAll<string>().as('n')).where('identityStatus', 'in', ['to_verify', 'to_review']).executeTakeFirstOrThrow();
    const total = await persons.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const ecpsActive = await persons
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where((eb) => eb.exists(eb.selectFrom('ecpsAccount').select('ecpsAccount.personId').whereRef('ecpsAccount.personId', '=', 'person.id').where('ecpsAccount.status', '=', 'active')))
      .executeTakeFirstOrThrow();
    const personCount = Number(total.n);
    return {
      finess: structure.finess,
      name: structure.name,
      kind: structure.kind,
      egFiness: egs,
      activeByRole: await grouped('roleCode', 'role'),
      activeByProfession: await grouped('professionCode', 'profession'),
      registrationsPerMonth: months.map((m) => ({ month: m.month, count: Number(m.n) })),
      pendingRequests: {
        count: ages.length,
        oldestDays: ages.length ? Math.max(...ages) : null,
        byAge: [
          { bucket: 'moins de 7 jours', count: bucket(0, 7) },
          { bucket: '7 à 30 jours', count: bucket(7, 31) },
          { bucket: 'plus de 30 jours', count: bucket(31, Number.POSITIVE_INFINITY) },
        ],
      },
      endingSoon: ending.map((e) => ({ rpps: e.rpps, exerciseLastName: e.exerciseLastName, exerciseFirstName: e.exerciseFirstName, egFiness: e.egFiness, endDate: e.endDate! })),
      identitiesToVerify: Number(toVerify.n),
      ecps: { persons: personCount, active: Number(ecpsActive.n), rate: personCount ? Number(ecpsActive.n) / personCount : null },
    };
  }

  return { get };
}
