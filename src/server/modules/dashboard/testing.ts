import { upsertAccount } from '../../auth/accounts.ts';
import { todayOf } from '../../calendar.ts';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import type { Config } from '../../config.ts';
import { demo } from '../onboarding/testing.ts';
import { createRegisterService } from '../register/service.ts';
import { distinctRegistration } from '../register/testing.ts';

/** Test helpers of the dashboard (not a test file): seeded registrations and pending requests. */

const actor = { id: 'account:dashboard-test', kind: 'gestionnaire' };

/** [EG, profession, role] of each registration `seedRegistrations` makes. */
export const structurePlan = [
  [demo.eg1, '313', 'GENR11'],
  [demo.eg1, '313', 'GENR11'],
  [demo.eg1, '326', 'GENR10'],
  [demo.eg2, '313', 'GENR08'],
  [demo.eg2, '328', 'GENR11'],
  [demo.otherEjEg, '313', 'GENR11'],
] as const;

/**
 * Registers one professional per plan entry (numbered from `first`, so several calls make
 * distinct persons) through the register service, at the clock's time; returns the situation ids.
 */
export async function seedRegistrations(deps: { db: Database; clock: Clock; config: Config }, plan: ReadonlyArray<readonly [string, string, string]>, first = 900) {
  const register = createRegisterService(deps);
  const ids: string[] = [];
  for (const [i, [eg, profession, role]] of plan.entries()) {
    const r = distinctRegistration(first + i);
    // The example start date may be after an older clock: start on the clock's day then.
    const startDate = [r.situation.startDate, todayOf(deps.clock)].sort()[0]!;
    const res = await register.registerProfessional(actor, 'all', { ...r, situation: { ...r.situation, egFiness: eg, professionCode: profession, roleCode: role, startDate } });
    ids.push(res.situationId);
  }
  return { register, actor, ids };
}

/** The first open EG of a department in the demo FINESS data. */
export async function egIn(db: Database, departmentCode: string) {
  const row = await db.selectFrom('structure').select(['finess', 'ejFiness']).where('kind', '=', 'EG').where('departmentCode', '=', departmentCode).where('closedOn', 'is', null).orderBy('finess').executeTakeFirstOrThrow();
  return row.finess;
}

/**
 * Pending pre-registration requests (one FranceConnect account each), submitted `daysAgo` days
 * before the clock's now. The dashboards only read the status, the EG and the submission date.
 */
export async function seedPendingRequests(db: Database, clock: Clock, requests: ReadonlyArray<{ egFiness: string; daysAgo: number }>, first = 0) {
  for (const [i, r] of requests.entries()) {
    const at = new Date(clock.now().getTime() - r.daysAgo * 86_400_000);
    const account = await upsertAccount(db, { provider: 'franceconnect', subject: `dashboard-pending-${first + i}`, idnps: null, familyName: 'ATTENTE', givenName: 'Demande' }, at);
    const eg = await db.selectFrom('structure').select('ejFiness').where('finess', '=', r.egFiness).executeTakeFirstOrThrow();
    await db
      .insertInto('preregistration')
      .values({ accountId: account.id, status: 'pending', etatCivil: '{}', egFiness: r.egFiness, ejFiness: eg.ejFiness, submittedAt: at, createdAt: at, updatedAt: at })
      .execute();
  }
}
