import type { Actor as AuthActor } from '../../auth/actor.ts';
import { registerEgScope, scopeOf } from '../../auth/policy.ts';
import type { AppContext } from '../../context.ts';
import type { UploadedFile } from '../../files/upload.ts';
import { createRegisterDrafts, type DraftStep } from './drafts.ts';
import { RegisterForbiddenError } from './errors.ts';
import { type FileStore, postgresFileStore } from '../../files/store.ts';
import { cogIdentityVerifier, createIdentityService } from './identity.ts';
import { createIdentityDocuments } from './identity-document.ts';
import { searchEgInScope } from './queries.ts';
import { createRegisterService, type EndReason, type IdentityProbe, type ProfessionalSearch } from './service.ts';
import type { Actor, EgScope, SituationInput } from './types.ts';
import { todayOf } from './validation.ts';

/**
 * The register as a signed-in person uses it: each use case resolves who acts and his EG scope
 * from the authorization policy (src/server/auth/policy.ts, `registerEgScope`), then calls the
 * register service. One method per route; the services below never see a session.
 */
export function createRegisterApi(ctx: Pick<AppContext, 'db' | 'clock' | 'config' | 'mail' | 'jobs'> & { files?: FileStore }) {
  const register = createRegisterService(ctx);
  const drafts = createRegisterDrafts({ ...ctx, register });
  const identity = createIdentityService({ ...ctx, verifier: cogIdentityVerifier(ctx.db) });
  const documents = createIdentityDocuments({ db: ctx.db, clock: ctx.clock, files: ctx.files ?? postgresFileStore, retentionDays: ctx.config.identityDocumentRetentionDays });

  /** The audit identity of a person (account id: no personal data in the audit trail). */
  function who(actor: AuthActor): Actor {
    if (actor.kind !== 'person') throw new RegisterForbiddenError();
    return { id: `account:${actor.accountId}`, kind: scopeOf(actor).all ? 'operator' : 'gestionnaire' };
  }

  /** Who acts and where: 403 for someone who may register nowhere. */
  async function gestionnaire(actor: AuthActor): Promise<{ me: Actor; scope: EgScope }> {
    const me = who(actor);
    const scope = await registerEgScope(ctx.db, actor);
    if (scope !== 'all' && scope.length === 0) throw new RegisterForbiddenError();
    return { me, scope };
  }

  const operator = (actor: AuthActor) => actor.kind === 'person' && scopeOf(actor).all;

  return {
    register,
    drafts,
    identity,

    async createDraft(actor: AuthActor) {
      const { me } = await gestionnaire(actor);
      return drafts.create(me);
    },
    async listDrafts(actor: AuthActor) {
      const { me } = await gestionnaire(actor);
      return drafts.listOpen(me);
    },
    async getDraft(actor: AuthActor, id: string) {
      const { me } = await gestionnaire(actor);
      return drafts.get(me, id);
    },
    async saveDraftStep(actor: AuthActor, id: string, step: DraftStep, data: unknown) {
      const { me, scope } = await gestionnaire(actor);
      return drafts.saveStep(me, scope, id, step, data);
    },
    async attachIdentityDocument(actor: AuthActor, id: string, file: UploadedFile | undefined) {
      const { me } = await gestionnaire(actor);
      return drafts.attachIdentityDocument(me, id, file);
    },
    async submitDraft(actor: AuthActor, id: string, input: { notDuplicateOf?: string[] }) {
      const { me, scope } = await gestionnaire(actor);
      return drafts.submit(me, scope, id, input);
    },
    async deleteDraft(actor: AuthActor, id: string) {
      const { me } = await gestionnaire(actor);
      return drafts.remove(me, id);
    },

    /** EG the actor may register into, for the situation step. */
    async establishments(actor: AuthActor, q: string, limit: number) {
      const { scope } = await gestionnaire(actor);
      return searchEgInScope(ctx.db, scope, q, todayOf(ctx.clock), limit);
    },

    async identify(actor: AuthActor, probe: IdentityProbe) {
      await gestionnaire(actor);
      return register.identifyProfessional(probe);
    },
    async addSituation(actor: AuthActor, input: { identity: IdentityProbe; situation: Partial<SituationInput> }) {
      const { me, scope } = await gestionnaire(actor);
      // Missing keys are the same as empty fields for the register's rules.
      return register.addSituation(me, scope, { identity: input.identity, situation: input.situation as SituationInput });
    },
    async search(actor: AuthActor, query: ProfessionalSearch) {
      const { me, scope } = await gestionnaire(actor);
      return register.searchProfessionals(me, scope, query);
    },
    async getPerson(actor: AuthActor, rpps: string) {
      const { me, scope } = await gestionnaire(actor);
      return register.getPerson(me, scope, rpps);
    },
    async updateSituation(actor: AuthActor, id: string, patch: { roleCode?: string; egFiness?: string; startDate?: string }) {
      const { me, scope } = await gestionnaire(actor);
      return register.updateSituation(me, scope, id, patch);
    },
    async endSituation(actor: AuthActor, id: string, input: { endDate: string; reason: EndReason }) {
      const { me, scope } = await gestionnaire(actor);
      return register.endSituation(me, scope, id, input);
    },
    async scheduleEnd(actor: AuthActor, id: string, input: { endDate: string; reason: EndReason }) {
      const { me, scope } = await gestionnaire(actor);
      return register.scheduleEnd(me, scope, id, input);
    },
    async deleteSituation(actor: AuthActor, id: string) {
      const { me, scope } = await gestionnaire(actor);
      return register.deleteSituation(me, scope, id);
    },

    async identitiesToReview(actor: AuthActor, page: number) {
      return identity.listToReview(operator(actor), page);
    },
    /** The ANS reviewer opens the copy of the identity document (audited). */
    async identityDocument(actor: AuthActor, rpps: string) {
      return documents.view(actor.kind === 'person' ? who(actor) : { id: 'anonymous', kind: 'anonymous' }, operator(actor), rpps);
    },
    async decideIdentity(actor: AuthActor, rpps: string, input: { decision: string; reason?: string | null }) {
      return identity.decide(actor.kind === 'person' ? who(actor) : { id: 'anonymous', kind: 'anonymous' }, operator(actor), rpps, input);
    },
  };
}
export type RegisterApi = ReturnType<typeof createRegisterApi>;
