import type { Actor } from '../../auth/actor.ts';
import { scopeOf } from '../../auth/policy.ts';
import { deny, type OnboardingContext } from './context.ts';
import { FileNotFoundError } from './errors.ts';
import { historyOf, scopedContracts } from './queries.ts';

/**
 * Contracts as the actor may read them (scope in the SQL, 404 outside it).
 */
export function contractReadUseCases(context: OnboardingContext) {
  const { db, files, readableContract } = context;

  return {
    async listContracts(actor: Actor, filter: { status?: string }) {
      if (actor.kind !== 'person') deny();
      let q = scopedContracts(db, scopeOf(actor));
      if (filter.status) q = q.where('contract.status', '=', filter.status as never);
      return q.orderBy('contract.submittedAt', 'asc').orderBy('contract.createdAt', 'asc').limit(500).execute();
    },

    async getContract(actor: Actor, id: string) {
      const row = await readableContract(db, actor, id);
      const history = await historyOf(db, 'contract', id);
      return { ...row, history };
    },

    async contractFile(actor: Actor, id: string) {
      const row = await readableContract(db, actor, id);
      if (!row.signedFileId) throw new FileNotFoundError();
      const file = await files.get(db, row.signedFileId);
      if (!file) throw new FileNotFoundError();
      return file;
    },
  };
}
