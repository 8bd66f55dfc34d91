import type { Actor } from '../../auth/actor.ts';
import { ejOfScope, type Scope, scopeOf } from '../../auth/policy.ts';
import { deny, type OnboardingContext } from './context.ts';

/**
 * "Mon espace": what the signed-in person can do.
 */
export function homeUseCases(context: OnboardingContext) {
  const { db } = context;

  return {
    /** What the signed-in person can do, for "Mon espace". */
    async home(actor: Actor) {
      if (actor.kind !== 'person') deny();
      const s: Scope = scopeOf(actor);
      const ejs = ejOfScope(s);
      const names = ejs.length
        ? await db.selectFrom('structure').select(['finess', 'name', 'kind', 'ejFiness']).where((eb) => eb.or([eb('finess', 'in', ejs), ...(s.registerEj.length ? [eb('ejFiness', 'in', s.registerEj)] : [])])).execute()
        : [];
      const egNames = s.registerEg.length ? await db.selectFrom('structure').select(['finess', 'name']).where('finess', 'in', s.registerEg.map((e) => e.egFiness)).execute() : [];
      const nameOf = (f: string) => names.find((n) => n.finess === f)?.name ?? egNames.find((n) => n.finess === f)?.name ?? null;
      const entities = ejs.map((ej) => ({
        ejFiness: ej,
        name: nameOf(ej),
        legalRepresentative: s.rlEj.includes(ej),
        manageHabilitations: s.manageEj.includes(ej),
        registerScope: s.registerEj.includes(ej)
          ? { kind: 'ej' as const, establishments: names.filter((n) => n.kind === 'EG' && n.ejFiness === ej).map((n) => ({ finess: n.finess, name: n.name })) }
          : { kind: 'eg' as const, establishments: s.registerEg.filter((e) => (e.ejFiness === ej && !s.manageEj.includes(e.egFiness)) || e.egFiness === ej).map((e) => ({ finess: e.egFiness, name: nameOf(e.egFiness) })) },
      }));
      const pendingContracts = s.all ? Number((await db.selectFrom('contract').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'submitted').executeTakeFirstOrThrow()).n) : null;
      const myRequests = await db
        .selectFrom('contract')
        .leftJoin('structure', 'structure.finess', 'contract.ejFiness')
        .select(['contract.id', 'contract.ejFiness', 'contract.status', 'structure.name as ejName', 'contract.decisionReason'])
        .where('contract.requestedBy', '=', actor.accountId)
        .orderBy('contract.createdAt', 'desc')
        .execute();
      return { operator: s.all, pendingContracts, entities, myRequests };
    },
  };
}
