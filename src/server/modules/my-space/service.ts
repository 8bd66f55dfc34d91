import type { Actor } from '../../auth/actor.ts';
import { registerEgScope, scopeOf } from '../../auth/policy.ts';
import { todayOf } from '../../calendar.ts';
import type { AppContext } from '../../context.ts';
import { countPending } from '../preregistration/queries.ts';
import type { RegisterApi } from '../register/api.ts';
import type { EtatCivilInput } from '../register/types.ts';
import { MySpaceForbiddenError } from './errors.ts';
import { countActiveProfessionals, entityTasks, latestImports, latestPreregistration, operatorCounts, professionalTasks } from './queries.ts';
import type { TasksView } from './schemas.ts';

/** How many of the latest drafts and imports "Mon espace" lists. */
const latest = 5;
/** A habilitation ending within this many days is announced to the RL. */
const endingSoonDays = 30;

const draftName = (etatCivil: EtatCivilInput | null) => {
  const last = etatCivil?.usageName || etatCivil?.birthName;
  const first = etatCivil?.firstNames?.[0];
  return last ? [first, last].filter(Boolean).join(' ') : null;
};

/**
 * "Mon espace" as a task list (issue 17): one call gathers, for the caller's roles, what waits for
 * him. Every count follows his CURRENT scope (roles read on this request): a gestionnaire of
 * structure B never counts A's drafts, imports, requests or professionals.
 */
export function createMySpaceService(ctx: Pick<AppContext, 'db' | 'clock'>, register: Pick<RegisterApi, 'latestDrafts'>) {
  const { db, clock } = ctx;

  async function registerTasks(actor: Actor): Promise<TasksView['register']> {
    const s = scopeOf(actor);
    // The operator's national queues are his back-office counts, not a structure's work.
    if (s.all || (s.registerEj.length === 0 && s.registerEg.length === 0)) return null;
    const egs = await registerEgScope(db, actor);
    if (egs === 'all') return null;
    const [pendingRequests, drafts, activeProfessionals, imports] = await Promise.all([
      countPending(db, s),
      register.latestDrafts(actor, latest),
      countActiveProfessionals(db, egs),
      latestImports(db, egs, latest),
    ]);
    return {
      pendingRequests,
      drafts: {
        total: drafts.total,
        latest: drafts.items.map((d) => ({ id: d.id, name: draftName(d.etatCivil), completedSteps: d.completedSteps.length, updatedAt: d.updatedAt })),
      },
      activeProfessionals,
      imports: {
        total: imports.total,
        latest: imports.rows.map((r) => ({
          id: r.id,
          fileName: r.fileName,
          mode: r.mode,
          status: r.status,
          rows: r.rowCount,
          imported: Number(r.imported ?? 0),
          rejected: Number(r.rejected ?? 0),
          createdAt: new Date(r.createdAt).toISOString(),
        })),
      },
    };
  }

  return {
    async tasks(actor: Actor): Promise<TasksView> {
      if (actor.kind !== 'person') throw new MySpaceForbiddenError();
      const s = scopeOf(actor);
      const today = todayOf(clock);
      const professional = actor.provider === 'psc' && actor.idnps && /^8\d{11}$/.test(actor.idnps) ? await professionalTasks(db, actor.idnps.slice(1), clock.now()) : null;
      const [register, structures, operator, request] = await Promise.all([
        registerTasks(actor),
        entityTasks(db, s.manageEj, today, endingSoonDays),
        s.all ? operatorCounts(db) : Promise.resolve(null),
        actor.provider === 'franceconnect' ? latestPreregistration(db, actor.accountId) : Promise.resolve(undefined),
      ]);
      return {
        register,
        structures: structures.map((e) => ({ ...e, legalRepresentative: s.rlEj.includes(e.finess) })),
        operator,
        professional,
        preregistration: actor.provider === 'franceconnect' ? { status: request?.status ?? null } : null,
      };
    },
  };
}
