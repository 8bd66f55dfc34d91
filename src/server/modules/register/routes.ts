import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { postgresFileStore } from '../../files/store.ts';
import { readMultipartForm } from '../../files/upload.ts';
import { fastSuccessSerializerCompiler } from '../../http/fast-serializer.ts';
import { acceptMultipart } from '../../http/multipart.ts';
import { problemSchema } from '../../http/problem.ts';
import { createRegisterApi, type DraftUpload } from './api.ts';
import {
  addSituationBody,
  contactBody,
  decisionBody,
  decisionResult,
  declarationsBody,
  draftParams,
  draftView,
  duplicateProblem,
  endBody,
  establishmentList,
  establishmentQuery,
  etatCivilBody,
  identityProbe,
  newDraftBody,
  personView,
  professionalList,
  professionalSearchQuery,
  reviewList,
  reviewQuery,
  rppsParams,
  situationBody,
  situationParams,
  situationPatch,
  situationReportBody,
  situationView,
  stepResult,
  submitBody,
  submitResult,
} from './schemas.ts';
import type { EndReason } from './service.ts';

const security = [{ sessionCookie: [] }];
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 422: problemSchema };
const withDuplicates = { ...errors, 409: duplicateProblem, 503: problemSchema };
const tags = ['register'];
const policy = { policy: 'authenticated' as const };
/** The wizard's writes touch no session, account, role or structure: the instance keeps its cached sessions. */
const wizard = { policy: 'authenticated' as const, keepsSessionCache: true };
/**
 * The wizard's answers are built by the drafts' code itself (`toDraftView`, the duplicate
 * candidates, the receipt): written by fast-json-stringify from the zod schema (issue 18),
 * problems by the zod serializer as everywhere.
 */
const fast = { serializerCompiler: fastSuccessSerializerCompiler };

/**
 * The register for gestionnaires (issue 6): the 4-step wizard (drafts), adding a situation to an
 * existing person, "Mes professionnels", the person page and situation changes; and the ANS
 * operator's identity review. Every route needs a signed-in person; the EG scope comes from the
 * authorization policy inside `createRegisterApi`.
 */
export const registerRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const api = createRegisterApi({ ...ctx, files: postgresFileStore });
  /** The draft an upload goes to, as its preHandler found it (the handler does not read it again). */
  const uploads = new WeakMap<object, DraftUpload>();
  acceptMultipart(app);

  // ——— Wizard ———
  app.post(
    '/drafts',
    { config: wizard, ...fast, schema: { tags, security, summary: 'Start registering a professional (empty draft of your structure; `ejFiness` when you manage several)', body: newDraftBody.nullish(), response: { 201: draftView, ...errors } } },
    async (request, reply) => reply.code(201).send(await api.createDraft(request.actor, request.body ?? {})),
  );
  app.get(
    '/drafts',
    { config: policy, schema: { tags, security, summary: 'Registrations in progress of my structures (to resume one)', response: { 200: z.array(draftView), ...errors } } },
    async (request) => api.listDrafts(request.actor),
  );
  app.get(
    '/drafts/:id',
    { config: policy, schema: { tags, security, summary: 'A registration in progress', params: draftParams, response: { 200: draftView, ...errors } } },
    async (request) => api.getDraft(request.actor, request.params.id),
  );
  app.delete(
    '/drafts/:id',
    { config: wizard, schema: { tags, security, summary: 'Abandon a registration in progress', params: draftParams, response: { 200: z.object({ deleted: z.boolean() }), ...errors } } },
    async (request) => api.deleteDraft(request.actor, request.params.id),
  );
  app.put(
    '/drafts/:id/etat-civil',
    { config: wizard, ...fast, schema: { tags, security, summary: 'Step 1: état civil (checked, then saved; likely duplicates returned as a warning)', params: draftParams, body: etatCivilBody, response: { 200: stepResult, ...errors } } },
    async (request) => api.saveDraftStep(request.actor, request.params.id, 'etat-civil', request.body),
  );
  app.put(
    '/drafts/:id/identity-document',
    {
      config: wizard,
      ...fast,
      schema: { tags, security, summary: 'Step 1: copy of the identity document (PDF, JPEG or PNG; multipart field `identityDocument`)', consumes: ['multipart/form-data'], params: draftParams, response: { 200: draftView, ...errors, 413: problemSchema, 415: problemSchema } },
      // The draft is checked before the body is read: a stranger's upload is never received.
      preHandler: async (request) => {
        uploads.set(request, await api.openDraftForUpload(request.actor, (request.params as { id: string }).id));
      },
    },
    async (request) => {
      const form = await readMultipartForm(request, { accepted: ['application/pdf', 'image/jpeg', 'image/png'] });
      return api.attachIdentityDocument(uploads.get(request)!, form.files.identityDocument);
    },
  );
  app.put(
    '/drafts/:id/contact',
    { config: wizard, ...fast, schema: { tags, security, summary: 'Step 2: personal e-mail and mobile phone', params: draftParams, body: contactBody, response: { 200: stepResult, ...errors } } },
    async (request) => api.saveDraftStep(request.actor, request.params.id, 'contact', request.body),
  );
  app.put(
    '/drafts/:id/situation',
    { config: wizard, ...fast, schema: { tags, security, summary: 'Step 3: situation d’exercice (EG within scope, profession, role, salarié)', params: draftParams, body: situationBody, response: { 200: stepResult, ...errors } } },
    async (request) => api.saveDraftStep(request.actor, request.params.id, 'situation', request.body),
  );
  app.put(
    '/drafts/:id/declarations',
    { config: wizard, ...fast, schema: { tags, security, summary: 'Step 4: the two legal declarations', params: draftParams, body: declarationsBody, response: { 200: stepResult, ...errors } } },
    async (request) => api.saveDraftStep(request.actor, request.params.id, 'declarations', request.body),
  );
  app.post(
    '/drafts/:id/submit',
    {
      config: wizard,
      ...fast,
      schema: {
        tags,
        security,
        summary: 'Submit: duplicate check, RPPS number allocated, e-mail queued (idempotent: the draft is the key)',
        params: draftParams,
        body: submitBody,
        response: { 201: submitResult, ...withDuplicates },
      },
    },
    async (request, reply) => {
      const result = await api.submitDraft(request.actor, request.params.id, request.body);
      // One line per business event, never personal data (STYLE.md §13).
      request.log.info({ draftId: result.draftId, rpps: result.rpps }, 'registration.submitted');
      return reply.code(201).send(result);
    },
  );
  app.get(
    '/establishments',
    { config: policy, schema: { tags, security, summary: 'Open EG within my scope, by FINESS or name', querystring: establishmentQuery, response: { 200: establishmentList, ...errors } } },
    async (request) => ({ items: await api.establishments(request.actor, request.query.q, request.query.limit) }),
  );

  // ——— Existing person, new structure ———
  app.post(
    '/identify',
    {
      config: policy,
      schema: { tags, security, summary: 'Find a registered person by RPPS + birth name + first name + sexe + birth date: only the number is returned', body: identityProbe, response: { 200: z.object({ rpps: z.string() }), ...errors } },
    },
    async (request) => api.identify(request.actor, request.body),
  );
  app.post(
    '/situations',
    { config: policy, schema: { tags, security, summary: 'Add a situation to a registered person (found by identity)', body: addSituationBody, response: { 201: z.object({ rpps: z.string(), situationId: z.string() }), ...errors } } },
    async (request, reply) => reply.code(201).send(await api.addSituation(request.actor, request.body)),
  );

  app.post(
    '/situation-reports',
    {
      config: { policy: 'public' },
      schema: { tags, summary: '"Ce n’est pas moi": the professional reports a situation added by a new structure (token of the e-mail); sent to ANS review', body: situationReportBody, response: { 200: z.object({ reported: z.boolean() }), 400: problemSchema, 404: problemSchema } },
    },
    async (request) => {
      const result = await api.reportSituation(request.body.token);
      request.log.info('situation.disputed');
      return result;
    },
  );

  // ——— Mes professionnels ———
  app.get(
    '/professionals',
    { config: policy, schema: { tags, security, summary: 'The professionals of my scope (filters, paging)', querystring: professionalSearchQuery, response: { 200: professionalList, ...errors } } },
    async (request) => api.search(request.actor, request.query),
  );
  app.get(
    '/professionals/:rpps',
    { config: policy, schema: { tags, security, summary: 'A professional of my scope, with the situations of my scope', params: rppsParams, response: { 200: personView, ...errors } } },
    async (request) => api.getPerson(request.actor, request.params.rpps),
  );
  app.patch(
    '/situations/:id',
    { config: policy, schema: { tags, security, summary: 'Change role, EG (within scope) or start date', params: situationParams, body: situationPatch, response: { 200: situationView, ...errors } } },
    async (request) => api.updateSituation(request.actor, request.params.id, request.body),
  );
  app.post(
    '/situations/:id/end',
    { config: policy, schema: { tags, security, summary: 'End a situation today or at a past date (no longer active at once)', params: situationParams, body: endBody, response: { 200: situationView, ...errors } } },
    async (request) => api.endSituation(request.actor, request.params.id, { endDate: request.body.endDate, reason: request.body.reason as EndReason }),
  );
  app.post(
    '/situations/:id/scheduled-end',
    { config: policy, schema: { tags, security, summary: 'Schedule a future end date (the daily job ends it that day)', params: situationParams, body: endBody, response: { 200: situationView, ...errors } } },
    async (request) => api.scheduleEnd(request.actor, request.params.id, { endDate: request.body.endDate, reason: request.body.reason as EndReason }),
  );
  app.delete(
    '/situations/:id',
    { config: policy, schema: { tags, security, summary: 'Delete a situation entered by mistake (kept in the audit trail)', params: situationParams, response: { 200: situationView, ...errors } } },
    async (request) => api.deleteSituation(request.actor, request.params.id),
  );

  // ——— ANS operator: identity review ———
  app.get(
    '/identity-reviews',
    { config: policy, schema: { tags, security, summary: 'ANS operator: identities the verifier could not confirm', querystring: reviewQuery, response: { 200: reviewList, ...errors } } },
    async (request) => api.identitiesToReview(request.actor, request.query.page),
  );
  app.get(
    '/identity-reviews/:rpps/identity-document',
    { config: policy, schema: { tags, security, summary: 'ANS operator: the copy of the identity document of an identity to review (each opening audited)', params: rppsParams } },
    async (request, reply) => {
      const file = await api.identityDocument(request.actor, request.params.rpps);
      request.log.info({ rpps: request.params.rpps }, 'identity-document.viewed');
      return reply
        .headers({
          'content-type': file.contentType,
          'content-disposition': `inline; filename="piece-identite-${request.params.rpps}.${file.contentType === 'application/pdf' ? 'pdf' : file.contentType === 'image/png' ? 'png' : 'jpg'}"`,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        })
        .send(file.content);
    },
  );
  app.post(
    '/identity-reviews/:rpps/decision',
    { config: policy, schema: { tags, security, summary: 'ANS operator: confirm or reject an identity (rejected: withdrawn from the directory)', params: rppsParams, body: decisionBody, response: { 200: decisionResult, ...errors } } },
    async (request) => api.decideIdentity(request.actor, request.params.rpps, request.body),
  );
};
