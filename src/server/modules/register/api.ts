import type { Actor as AuthActor } from '../../auth/actor.ts';
import { registerEgScope, scopeOf } from '../../auth/policy.ts';
import { todayOf } from '../../calendar.ts';
import type { AppContext } from '../../context.ts';
import type { UploadedFile } from '../../files/upload.ts';
import { createRegisterDrafts, type DraftIdentityChecks, type DraftRow, type DraftStep } from './drafts.ts';
import { checkFiness } from '../../identifiers.ts';
import { type FileStore, postgresFileStore } from '../../files/store.ts';
import { EgOutOfScopeError, PersonNotFoundError, RegisterForbiddenError } from './errors.ts';
import { createIdentityChecks } from './identity-checks.ts';
import { createSituationReports } from './situation-reports.ts';
import { cogIdentityVerifier, createIdentityService } from './identity.ts';
import { createIdentityDocuments } from './identity-document.ts';
import { searchEgInScope } from './queries.ts';
import { createRegisterService, type EndReason, type IdentityProbe, type ProfessionalSearch } from './service.ts';
import type { Actor, EgScope, SituationInput } from './types.ts';

/** A draft checked for an upload (who uploads, and the draft as it was read). */
export interface DraftUpload {
  me: Actor;
  row: DraftRow;
}

/**
 * The register as a signed-in person uses it: each use case resolves who acts and his EG scope
 * from the authorization policy (src/server/auth/policy.ts, `registerEgScope`), then calls the
 * register service. One method per route; the services below never see a session.
 */
export function createRegisterApi(ctx: Pick<AppContext, 'db' | 'clock' | 'config' | 'mail' | 'jobs'> & { files?: FileStore }) {
  // A submission (409 with candidates) is not counted again: every identity it can search for
  // first went through step 1 (PUT …/etat-civil), which was counted and audited.
  const register = createRegisterService(ctx);
  const drafts = createRegisterDrafts({ ...ctx, register });
  const identity = createIdentityService({ ...ctx, verifier: cogIdentityVerifier(ctx.db) });
  const checks = createIdentityChecks(ctx);
  const reports = createSituationReports(ctx);

  /** Step 1's duplicate search, counted and audited for the caller (issue 15). */
  const draftChecks = (me: Actor): DraftIdentityChecks => ({
    beforeDuplicateSearch: () => checks.consume(me, 'etat-civil-step', 1),
    afterDuplicateSearch: (found) => checks.record(me, 'etat-civil-step', matches(1, found)),
    auditOf: (found) => checks.entryOf(me, 'etat-civil-step', matches(1, found)),
  });
  const matches = (identities: number, found: Array<{ inScope: boolean }>) => ({
    identities,
    inScopeMatches: found.filter((c) => c.inScope).length,
    outOfScopeMatches: found.filter((c) => !c.inScope).length,
  });

  /** An identification (identify, add a situation): counted, audited, and a failure run locks it. */
  async function identification<T>(me: Actor, kind: 'identify' | 'add-situation', run: () => Promise<T>): Promise<T> {
    await checks.consume(me, kind, 1);
    try {
      const result = await run();
      await checks.record(me, kind, { identities: 1, matched: true });
      return result;
    } catch (err) {
      if (err instanceof PersonNotFoundError) await checks.record(me, kind, { identities: 1, matched: false });
      throw err;
    }
  }
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

    async createDraft(actor: AuthActor, input: { ejFiness?: string | null } = {}) {
      const { me, scope } = await gestionnaire(actor);
      return drafts.create(me, scope, input);
    },
    async listDrafts(actor: AuthActor) {
      const { me, scope } = await gestionnaire(actor);
      return drafts.listOpen(me, scope);
    },
    /** The open drafts of the caller's structures: how many, and the latest `limit` ("Mon espace"). */
    async latestDrafts(actor: AuthActor, limit: number) {
      const { me, scope } = await gestionnaire(actor);
      const [total, items] = await Promise.all([drafts.countOpen(me, scope), drafts.listOpen(me, scope)]);
      return { total, items: items.slice(0, limit) };
    },
    async getDraft(actor: AuthActor, id: string) {
      const { me, scope } = await gestionnaire(actor);
      return drafts.get(me, scope, id);
    },
    async saveDraftStep(actor: AuthActor, id: string, step: DraftStep, data: unknown) {
      const { me, scope } = await gestionnaire(actor);
      return createRegisterDrafts({ ...ctx, register, checks: draftChecks(me) }).saveStep(me, scope, id, step, data);
    },
    /** The draft an identity document is uploaded to, checked (visible, open) before the body is read. */
    async openDraftForUpload(actor: AuthActor, id: string): Promise<DraftUpload> {
      const { me, scope } = await gestionnaire(actor);
      return { me, row: await drafts.openRow(me, scope, id) };
    },
    async attachIdentityDocument(upload: DraftUpload, file: UploadedFile | undefined) {
      return drafts.attachIdentityDocument(upload.me, upload.row, file);
    },
    async submitDraft(actor: AuthActor, id: string, input: { notDuplicateOf?: string[]; outOfScopeAcknowledged?: boolean }) {
      const { me, scope } = await gestionnaire(actor);
      return drafts.submit(me, scope, id, input);
    },
    async deleteDraft(actor: AuthActor, id: string) {
      const { me, scope } = await gestionnaire(actor);
      return drafts.remove(me, scope, id);
    },

    /** EG the actor may register into, for the situation step. */
    async establishments(actor: AuthActor, q: string, limit: number) {
      const { scope } = await gestionnaire(actor);
      return searchEgInScope(ctx.db, scope, q, todayOf(ctx.clock), limit);
    },

    async identify(actor: AuthActor, probe: IdentityProbe) {
      const { me } = await gestionnaire(actor);
      return identification(me, 'identify', () => register.identifyProfessional(probe));
    },
    async addSituation(actor: AuthActor, input: { identity: IdentityProbe; situation: Partial<SituationInput> }) {
      const { me, scope } = await gestionnaire(actor);
      // An EG outside the scope is refused before any identity is looked up (nothing counted).
      const eg = input.situation.egFiness ? checkFiness(input.situation.egFiness) : undefined;
      if (eg?.valid && scope !== 'all' && !scope.includes(eg.finess)) throw new EgOutOfScopeError('/body/situation/egFiness');
      // Missing keys are the same as empty fields for the register's rules.
      return identification(me, 'add-situation', () => register.addSituation(me, scope, { identity: input.identity, situation: input.situation as SituationInput }));
    },
    /** "Ce n'est pas moi", from the link of the new-structure e-mail (no sign-in: the token is the credential). */
    async reportSituation(token: string) {
      return reports.report(token);
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
