import { sql } from 'kysely';
import { type AuditActor, auditActorOf } from '../../audit.ts';
import type { Actor } from '../../auth/actor.ts';
import { can, scopeOf } from '../../auth/policy.ts';
import type { FieldError } from '../../errors.ts';
import type { UploadedFile } from '../../files/upload.ts';
import { deny, habilitationAudit, type OnboardingContext, source } from './context.ts';
import { FileNotFoundError, HabilitationAlreadyActiveError, HabilitationRevokedError, OnboardingValidationError } from './errors.ts';
import { findStructure, historyOf, scopedHabilitations } from './queries.ts';
import { checkEgs, type HabilitationInput, isDate, validateHabilitation } from './validation.ts';

declare module '../../jobs/index.ts' {
  interface JobPayloads {
    'habilitation.scheduled-end': { habilitationId: string };
  }
}

export interface HabilitationPatch {
  scope?: 'ej' | 'eg';
  egFiness?: string[];
  endsOn?: string | null;
}

const jobActor: AuditActor = { id: 'job:habilitation.scheduled-end', kind: 'job' };

/**
 * Habilitations of gestionnaires ("Mes Habilitations"): created with the e-learning attestation,
 * scoped to the EJ or some EGs, revoked at once or on their end date (job).
 */
export function habilitationUseCases(context: OnboardingContext) {
  const { db, files, jobs, now, today, audit, grantRoles, revokeRoles, readableHabilitation, revokeHabilitationIn, entityContext, entityOfHabilitation } = context;

  return {
    async listHabilitations(actor: Actor, entity: string, filter: { status?: 'active' | 'revoked' }) {
      if (!can(actor, 'habilitation.read', { type: 'ej', ejFiness: entity })) deny();
      const structure = await findStructure(db, entity);
      // An EG (EG-level contract): the habilitations on that EG.
      let q =
        structure?.kind === 'EG'
          ? scopedHabilitations(db, scopeOf(actor)).where((eb) => eb.exists(eb.selectFrom('habilitationEg as x').select('x.egFiness').whereRef('x.habilitationId', '=', 'habilitation.id').where('x.egFiness', '=', entity)))
          : scopedHabilitations(db, scopeOf(actor)).where('habilitation.ejFiness', '=', entity);
      if (filter.status) q = q.where('habilitation.status', '=', filter.status);
      const rows = await q.orderBy('habilitation.status').orderBy('habilitation.familyName').orderBy('habilitation.id').execute();
      return rows.map((r) => ({ ...r, egFiness: r.egFiness ?? [] }));
    },

    /** The person's own habilitations (a gestionnaire sees his scope, nothing of others). */
    async myHabilitations(actor: Actor) {
      if (actor.kind !== 'person' || !actor.idnps) return [];
      const rows = await scopedHabilitations(db, { ...scopeOf(actor), all: false, manageEj: [] })
        .where('habilitation.idnps', '=', actor.idnps)
        .orderBy('habilitation.createdAt', 'desc')
        .execute();
      return rows.map((r) => ({ ...r, egFiness: r.egFiness ?? [] }));
    },

    /**
     * `form` reads the upload: it is called only once the actor is known to be allowed, and
     * outside the transaction (a slow upload never holds a database connection).
     */
    async createHabilitation(actor: Actor, entity: string, form: () => Promise<{ input: HabilitationInput; attestation: UploadedFile | undefined }>) {
      if (!can(actor, 'habilitation.manage', { type: 'ej', ejFiness: entity })) deny('Seuls le représentant légal et les mandataires de cette entité juridique habilitent ses gestionnaires.');
      const { input, attestation } = await form();
      return db.transaction().execute(async (trx) => {
        const ctx = await entityContext(trx, entity);
        // An EG-level contract: every habilitation is on that EG ("toute l'entité" = the EG).
        const v = validateHabilitation(ctx.egFiness ? { ...input, scope: 'eg', egFiness: [ctx.egFiness] } : input, attestation, ctx, today());
        const ejFiness = ctx.ejFiness;
        const dup = await trx.selectFrom('habilitation').select('id').where('ejFiness', '=', ejFiness).where('idnps', '=', v.idnps).where('status', '=', 'active').executeTakeFirst();
        if (dup) throw new HabilitationAlreadyActiveError();
        const who = auditActorOf(actor);
        const file = await files.put(trx, { purpose: 'elearning-attestation', contentType: attestation!.contentType, originalName: attestation!.filename, content: attestation!.content, createdBy: who.id }, now());
        const row = await trx
          .insertInto('habilitation')
          .values({
            ejFiness,
            idnps: v.idnps,
            familyName: v.familyName,
            givenName: v.givenName,
            email: v.email,
            scopeKind: v.scopeKind,
            status: 'active',
            credential: v.credential,
            cardForm: v.cardForm,
            cardFormReference: v.cardFormReference,
            attestationFileId: file.id,
            elearningCompletedOn: v.elearningCompletedOn,
            endsOn: v.endsOn,
            createdBy: who.id,
            createdAt: now(),
            updatedAt: now(),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        if (v.egFiness.length > 0) await trx.insertInto('habilitationEg').values(v.egFiness.map((eg) => ({ habilitationId: row.id, egFiness: eg }))).execute();
        if (v.cardForm) {
          await trx
            .insertInto('cardOrder')
            .values({
              ejFiness,
              form: v.cardForm,
              cardKind: 'CPE',
              holderIdnps: v.idnps,
              holderFamilyName: v.familyName,
              holderGivenName: v.givenName,
              reference: v.cardFormReference,
              habilitationId: row.id,
              recordedBy: who.id,
              recordedAt: now(),
            })
            .execute();
        }
        await grantRoles(trx, source('habilitation', row.id), v.idnps, 'gestionnaire', ejFiness, v.scopeKind === 'eg' ? v.egFiness : null);
        await audit(trx, who, 'habilitation.create', 'habilitation', row.id, null, habilitationAudit({ ...v, status: 'active' }));
        if (v.endsOn && jobs) await jobs.enqueue(trx, 'habilitation.scheduled-end', { habilitationId: row.id }, { startAfter: new Date(`${v.endsOn}T00:00:00Z`) });
        return readableHabilitation(trx, actor, row.id);
      });
    },

    async getHabilitation(actor: Actor, id: string) {
      const row = await readableHabilitation(db, actor, id);
      const history = await historyOf(db, 'habilitation', id);
      return { ...row, history };
    },

    async updateHabilitation(actor: Actor, id: string, patch: HabilitationPatch) {
      return db.transaction().execute(async (trx) => {
        const visible = await readableHabilitation(trx, actor, id);
        const entity = await entityOfHabilitation(trx, visible);
        if (!can(actor, 'habilitation.manage', { type: 'ej', ejFiness: entity })) deny();
        const before = await trx.selectFrom('habilitation').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
        if (before.status !== 'active') throw new HabilitationRevokedError();
        const ctx = await entityContext(trx, entity);
        const errors: FieldError[] = [];
        const err = (field: string, detail: string) => errors.push({ pointer: `/body/${field}`, detail });
        const scopeKind = patch.scope ?? before.scopeKind;
        const egFiness = scopeKind === 'eg' ? [...new Set((patch.egFiness ?? visible.egFiness).map((e) => e.toUpperCase()))] : [];
        if (scopeKind === 'eg') checkEgs(egFiness, ctx, err, today());
        if (scopeKind === 'eg' && ctx.strategy === 'centralized') err('scope', 'Stratégie centralisée : les gestionnaires sont habilités sur toute l’entité juridique.');
        const endsOn = patch.endsOn === undefined ? before.endsOn : patch.endsOn;
        if (patch.endsOn && (!isDate(patch.endsOn) || patch.endsOn <= today())) err('endsOn', 'La date de fin doit être une date postérieure à aujourd’hui.');
        if (errors.length > 0) throw new OnboardingValidationError(errors);
        await trx.updateTable('habilitation').set({ scopeKind, endsOn, updatedAt: now(), version: sql`version + 1` }).where('id', '=', id).execute();
        await trx.deleteFrom('habilitationEg').where('habilitationId', '=', id).execute();
        if (egFiness.length > 0) await trx.insertInto('habilitationEg').values(egFiness.map((eg) => ({ habilitationId: id, egFiness: eg }))).execute();
        const src = source('habilitation', id);
        await revokeRoles(trx, src);
        await grantRoles(trx, src, before.idnps, 'gestionnaire', before.ejFiness, scopeKind === 'eg' ? egFiness : null);
        const who = auditActorOf(actor);
        await audit(trx, who, 'habilitation.update', 'habilitation', id, habilitationAudit({ ...before, egFiness: visible.egFiness }), habilitationAudit({ ...before, scopeKind, egFiness, endsOn }));
        if (endsOn && endsOn !== before.endsOn && jobs) await jobs.enqueue(trx, 'habilitation.scheduled-end', { habilitationId: id }, { startAfter: new Date(`${endsOn}T00:00:00Z`) });
        return readableHabilitation(trx, actor, id);
      });
    },

    /** Immediate: the role rows are revoked in the same transaction, the next request is refused. */
    async revokeHabilitation(actor: Actor, id: string, reason: string | undefined) {
      return db.transaction().execute(async (trx) => {
        const visible = await readableHabilitation(trx, actor, id);
        if (!can(actor, 'habilitation.revoke', { type: 'ej', ejFiness: await entityOfHabilitation(trx, visible) })) deny();
        if (visible.status !== 'active') throw new HabilitationRevokedError();
        await revokeHabilitationIn(trx, auditActorOf(actor), id, reason?.trim() || 'revoked');
        return readableHabilitation(trx, actor, id);
      });
    },

    async attestationFile(actor: Actor, id: string) {
      const row = await readableHabilitation(db, actor, id);
      const file = await files.get(db, row.attestationFileId);
      if (!file) throw new FileNotFoundError();
      return file;
    },

    /** Scheduled revocations whose end date has come (the job, and a sweep at start-up). Idempotent. */
    async applyScheduledEnds(onlyId?: string) {
      return db.transaction().execute(async (trx) => {
        const due = await trx
          .selectFrom('habilitation')
          .select('id')
          .where('status', '=', 'active')
          .where('endsOn', 'is not', null)
          .where('endsOn', '<=', today())
          .$if(onlyId !== undefined, (q) => q.where('id', '=', onlyId!))
          .execute();
        for (const h of due) await revokeHabilitationIn(trx, jobActor, h.id, 'end-date');
        return due.length;
      });
    },
  };
}
