import { addDays, todayOf } from '../../calendar.ts';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import { DomainError } from '../../errors.ts';
import type { EgScope } from '../register/types.ts';
import { activeGrouped, endingBetween, pendingSubmissions, personFigures, registrationsPerMonth, structureInScope } from './structure-queries.ts';

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
  async function get(scope: EgScope, finess: string): Promise<Dashboard> {
    const found = await structureInScope(db, scope, finess);
    if (!found) throw new DashboardNotFoundError();
    const { structure, egs } = found;
    const today = todayOf(clock);
    const now = clock.now();
    const ages = (await pendingSubmissions(db, egs)).map((submittedAt) => ageInDays(now, submittedAt));
    const bucket = (lo: number, hi: number) => ages.filter((a) => a >= lo && a < hi).length;
    const ending = await endingBetween(db, egs, today, addDays(today, endingSoonDays));
    const persons = await personFigures(db, egs);
    return {
      finess: structure.finess,
      name: structure.name,
      kind: structure.kind,
      egFiness: egs,
      activeByRole: await activeGrouped(db, egs, 'roleCode', 'role'),
      activeByProfession: await activeGrouped(db, egs, 'professionCode', 'profession'),
      registrationsPerMonth: await registrationsPerMonth(db, egs, today),
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
      identitiesToVerify: persons.toVerify,
      ecps: { persons: persons.total, active: persons.ecpsActive, rate: persons.total ? persons.ecpsActive / persons.total : null },
    };
  }

  return { get };
}
