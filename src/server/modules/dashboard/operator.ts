import { sql } from 'kysely';
import type { Actor } from '../../auth/actor.ts';
import { ForbiddenError } from '../../auth/errors.ts';
import { can } from '../../auth/policy.ts';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import { ValidationError } from '../../errors.ts';
import { addDays, todayOf } from '../register/validation.ts';
import { createOperatorAggregates } from './aggregates.ts';
import { ageInDays } from './service.ts';

export interface AreaFigures {
  /** INSEE code; null: structures whose FINESS record gives no department (or no region for it). */
  code: string | null;
  name: string;
  activeProfessionals: number;
  registrations: number;
}

export interface StaleStructure {
  egFiness: string;
  name: string;
  ejFiness: string | null;
  ejName: string | null;
  departmentCode: string | null;
  pending: number;
  stale: number;
  oldestDays: number;
}

export interface OperatorDashboard {
  /** When the area figures were computed (the scheduled refresh); null before the first one. The stale requests are live. */
  asOf: string | null;
  period: { from: string; to: string };
  staleDays: number;
  totals: { activeProfessionals: number; registrations: number; stalePending: number };
  byRegion: AreaFigures[];
  byDepartment: Array<AreaFigures & { regionCode: string | null }>;
  staleStructures: StaleStructure[];
}

export interface OperatorQuery {
  from?: string | undefined;
  to?: string | undefined;
  staleDays?: number | undefined;
}

/** Default period: the last 365 days, today included. */
export const defaultPeriodDays = 365;

const notSet = 'Non renseigné';

/**
 * The ANS operator's view across every structure (issue 10): registrations and active
 * professionals per region and department (the EG's FINESS department, grouped by the COG
 * region), and the EG whose pre-registration requests wait longer than `staleDays`.
 */
export function createOperatorDashboardService({ db, clock, defaultStaleDays }: { db: Database; clock: Clock; defaultStaleDays: number }) {
  const aggregates = createOperatorAggregates({ db, clock });
  async function get(actor: Actor, query: OperatorQuery): Promise<OperatorDashboard> {
    if (!can(actor, 'dashboard.national')) throw new ForbiddenError('Ce tableau de bord est réservé aux opérateurs de l’ANS.');
    const today = todayOf(clock);
    const to = query.to ?? today;
    const from = query.from ?? addDays(to, 1 - defaultPeriodDays);
    if (from > to) throw new ValidationError('La période est invalide.', [{ pointer: '/query/from', detail: 'La date de début doit précéder la date de fin.' }]);
    const staleDays = query.staleDays ?? defaultStaleDays;

    // From the aggregates of the last refresh (aggregates.ts): the distinct counts per level as
    // computed then, and the period's registrations summed over the per-day rows, rolled up the
    // same three ways (department, region, France). A department appears if it has either.
    const { rows } = await sql<{ department: string | null; region: string | null; level: number; active: string; registrations: string }>`
      with period as (
        select department_code, region_code, grouping(department_code, region_code) as level, sum(registrations) as registrations
        from dashboard_registration_day
        where day between ${from}::date and ${to}::date
        group by grouping sets ((department_code, region_code), (region_code), ())
      )
      select coalesce(a.department_code, p.department_code) as department, coalesce(a.region_code, p.region_code) as region,
             coalesce(a.level, p.level) as level, coalesce(a.active, 0) as active, coalesce(p.registrations, 0) as registrations
      from dashboard_area_active a
      full join period p on p.level = a.level and p.department_code is not distinct from a.department_code and p.region_code is not distinct from a.region_code
      order by 1 nulls last, 2 nulls last`.execute(db);
    const asOf = await aggregates.asOf();

    const names = new Map(
      (await db.selectFrom('nomenclatureCode').select(['kind', 'code', 'label']).where('kind', 'in', ['region', 'department']).execute()).map((r) => [`${r.kind}:${r.code}`, r.label]),
    );
    const figures = (r: (typeof rows)[number]) => ({ activeProfessionals: Number(r.active), registrations: Number(r.registrations) });
    // grouping() bits (department, region): 0 = a department, 2 = a region (departments rolled up), 3 = France.
    const byDepartment = rows
      .filter((r) => r.level === 0)
      .map((r) => ({ code: r.department, name: r.department ? (names.get(`department:${r.department}`) ?? r.department) : notSet, regionCode: r.region, ...figures(r) }));
    const byRegion = rows
      .filter((r) => r.level === 2)
      .map((r) => ({ code: r.region, name: r.region ? (names.get(`region:${r.region}`) ?? r.region) : notSet, ...figures(r) }))
      .sort((a, b) => (a.code === null ? 1 : b.code === null ? -1 : a.name.localeCompare(b.name, 'fr')));
    const france = rows.find((r) => r.level === 3);

    const now = clock.now();
    const cutoff = new Date(now.getTime() - staleDays * 86_400_000);
    const stale = await db
      .selectFrom('preregistration as p')
      .innerJoin('structure as eg', 'eg.finess', 'p.egFiness')
      .leftJoin('structure as ej', 'ej.finess', 'eg.ejFiness')
      .select([
        'eg.finess',
        'eg.name',
        'eg.ejFiness',
        'ej.name as ejName',
        'eg.departmentCode',
        (eb) => eb.fn.countAll<string>().as('pending'),
        sql<string>`count(*) filter (where p.submitted_at <= ${cutoff})`.as('stale'),
        (eb) => eb.fn.min('p.submittedAt').as('oldest'),
      ])
      .where('p.status', '=', 'pending')
      .groupBy(['eg.finess', 'eg.name', 'eg.ejFiness', 'ej.name', 'eg.departmentCode'])
      .having(sql<boolean>`count(*) filter (where p.submitted_at <= ${cutoff}) > 0`)
      .orderBy('oldest')
      .orderBy('eg.finess')
      .execute();
    const staleStructures = stale.map((r) => ({
      egFiness: r.finess,
      name: r.name,
      ejFiness: r.ejFiness,
      ejName: r.ejName,
      departmentCode: r.departmentCode,
      pending: Number(r.pending),
      stale: Number(r.stale),
      oldestDays: ageInDays(now, r.oldest),
    }));

    return {
      asOf: asOf?.toISOString() ?? null,
      period: { from, to },
      staleDays,
      totals: {
        activeProfessionals: france ? Number(france.active) : 0,
        registrations: france ? Number(france.registrations) : 0,
        stalePending: staleStructures.reduce((n, s) => n + s.stale, 0),
      },
      byRegion,
      byDepartment,
      staleStructures,
    };
  }

  return { get };
}
