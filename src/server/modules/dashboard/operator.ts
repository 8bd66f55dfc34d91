import { sql } from 'kysely';
import type { Actor } from '../../auth/actor.ts';
import { ForbiddenError } from '../../auth/errors.ts';
import { can } from '../../auth/policy.ts';
import { addDays, todayOf } from '../../calendar.ts';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import { ValidationError } from '../../errors.ts';
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
  async function get(actor: Actor, query: OperatorQuery): Promise<OperatorDashboard> {
    if (!can(actor, 'dashboard.national')) throw new ForbiddenError('Ce tableau de bord est réservé aux opérateurs de l’ANS.');
    // The Paris date, like the days registrations are counted by (between midnight in Paris and
    // midnight UTC the UTC date is still yesterday, and today's registrations fell outside the period).
    const today = todayOf(clock);
    const to = query.to ?? today;
    const from = query.from ?? addDays(to, 1 - defaultPeriodDays);
    if (from > to) throw new ValidationError('La période est invalide.', [{ pointer: '/query/from', detail: 'La date de début doit précéder la date de fin.' }]);
    const staleDays = query.staleDays ?? defaultStaleDays;

    // One statement over the aggregates of the last refresh (aggregates.ts): the distinct counts
    // of each level as computed then; a department's registrations in the period are its running
    // total at the period's end minus the one before its start (two index lookups, whatever the
    // period); regions and France add up their departments (registrations are not distinct counts).
    const { rows } = await sql<{ level: number; department: string | null; region: string | null; active: number; registrations: number | null; departmentName: string | null; regionName: string | null; asOf: Date }>`
      select a.level, a.department_code as department, a.region_code as region, a.active,
             case when a.level = 0 then
               coalesce((select r.cumulative from dashboard_registration_day r
                         where r.department_key = coalesce(a.department_code, '') and r.day <= ${to}::date order by r.day desc limit 1), 0)
               - coalesce((select r.cumulative from dashboard_registration_day r
                         where r.department_key = coalesce(a.department_code, '') and r.day < ${from}::date order by r.day desc limit 1), 0)
             end as registrations,
             dn.label as department_name, rn.label as region_name,
             (select as_of from dashboard_refresh order by started_at desc limit 1) as as_of
      from dashboard_area_active a
      left join nomenclature_code dn on dn.kind = 'department' and dn.code = a.department_code
      left join nomenclature_code rn on rn.kind = 'region' and rn.code = a.region_code
      order by a.department_code nulls last, a.region_code nulls last`.execute(db);
    // No row at all: no refresh yet (a refresh always writes the France row, 0 on an empty register).
    const asOf = rows[0]?.asOf ?? null;

    // grouping() bits (department, region): 0 = a department, 2 = a region (departments rolled up), 3 = France.
    const byDepartment = rows
      .filter((r) => r.level === 0)
      .map((r) => ({ code: r.department, name: r.department ? (r.departmentName ?? r.department) : notSet, regionCode: r.region, activeProfessionals: Number(r.active), registrations: Number(r.registrations) }));
    const registrationsIn = (region: string | null | undefined) =>
      byDepartment.filter((d) => region === undefined || d.regionCode === region).reduce((n, d) => n + d.registrations, 0);
    const byRegion = rows
      .filter((r) => r.level === 2)
      .map((r) => ({ code: r.region, name: r.region ? (r.regionName ?? r.region) : notSet, activeProfessionals: Number(r.active), registrations: registrationsIn(r.region) }))
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
        registrations: registrationsIn(undefined),
        stalePending: staleStructures.reduce((n, s) => n + s.stale, 0),
      },
      byRegion,
      byDepartment,
      staleStructures,
    };
  }

  return { get };
}
