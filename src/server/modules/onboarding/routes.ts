import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { postgresFileStore, type StoredFileInfo } from '../../files/store.ts';
import { readMultipartForm } from '../../files/upload.ts';
import { acceptMultipart } from '../../http/multipart.ts';
import { problemSchema } from '../../http/problem.ts';
import {
  contractDetail,
  contractListQuery,
  contractRequestBody,
  contractableView,
  endSituationsBody,
  orphanListQuery,
  orphanView,
  successionBody,
  successionListQuery,
  successionView,
  contractView,
  finessParam,
  ejParam,
  entityView,
  habilitationDetail,
  habilitationForm,
  habilitationListQuery,
  habilitationPatchBody,
  habilitationView,
  homeView,
  idParam,
  mandataireBody,
  mandataireView,
  optionalReasonBody,
  reasonBody,
  strategyBody,
  strategyResult,
  submitBody,
} from './schemas.ts';
import { createOnboardingService } from './service.ts';
import { createOrphanService } from './orphans.ts';
import { createSuccessionService } from './succession.ts';
import { toContractView, toHabilitationView } from './views.ts';

const security = [{ sessionCookie: [] }];
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 422: problemSchema };
const uploadErrors = { ...errors, 413: problemSchema, 415: problemSchema };
const tags = ['onboarding'];

function sendFile(reply: FastifyReply, file: StoredFileInfo & { content: Buffer }) {
  const ext = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' }[file.contentType];
  return reply
    .type(file.contentType)
    .header('content-disposition', `attachment; filename="${file.purpose}.${ext}"`)
    .header('x-content-type-options', 'nosniff')
    .send(file.content);
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean);

/**
 * Onboarding of structures (issue 5): contracts, strategy, mandataires, habilitations. Every
 * route needs a signed-in person; what he may do is decided by the policy in the service.
 */
export const onboardingRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const onboarding = createOnboardingService({ db: ctx.db, clock: ctx.clock, files: postgresFileStore, jobs: ctx.jobs, mail: ctx.mail, publicUrl: ctx.config.publicUrl });
  const succession = createSuccessionService({ db: ctx.db, clock: ctx.clock, mail: ctx.mail, publicUrl: ctx.config.publicUrl });
  const orphans = createOrphanService({ db: ctx.db, clock: ctx.clock, config: ctx.config, mail: ctx.mail });
  // Encapsulated: only this module's routes accept multipart bodies.
  acceptMultipart(app);

  app.get(
    '/me',
    { config: { policy: 'authenticated' }, schema: { tags, security, summary: 'What the signed-in person can do (home page per role)', response: { 200: homeView, 401: problemSchema, 403: problemSchema } } },
    async (request) => {
      const [home, mine] = await Promise.all([onboarding.home(request.actor), onboarding.myHabilitations(request.actor)]);
      return { ...home, myHabilitations: mine.map(toHabilitationView) };
    },
  );

  // ——— Contracts ———
  app.post(
    '/contracts',
    { config: { policy: 'authenticated' }, schema: { tags, security, summary: 'Request a contrat d’adhésion for a FINESS EJ (draft)', body: contractRequestBody, response: { 201: contractView, ...errors } } },
    async (request, reply) => reply.code(201).send(toContractView(await onboarding.requestContract(request.actor, request.body))),
  );
  app.get(
    '/contractable/:finess',
    {
      config: { policy: 'authenticated' },
      schema: { tags, security, summary: 'Step 1 of a request: may this EJ or EG contract (422/409 if not), with its FINESS data to pre-fill', params: finessParam, response: { 200: contractableView, ...errors } },
    },
    async (request) => onboarding.contractable(request.actor, request.params.finess),
  );
  app.get(
    '/contracts/:id/form.pdf',
    { config: { policy: 'authenticated' }, schema: { tags, security, summary: 'The pre-filled contrat d’adhésion (PDF) to sign', params: idParam, response: { ...errors } } },
    async (request, reply) => {
      const pdf = await onboarding.contractForm(request.actor, request.params.id);
      return (reply as FastifyReply).type('application/pdf').header('content-disposition', 'attachment; filename="contrat-adhesion-rpps-plus.pdf"').header('x-content-type-options', 'nosniff').send(pdf);
    },
  );
  app.get(
    '/contracts',
    { config: { policy: 'authenticated' }, schema: { tags, security, summary: 'Contracts the person may see (operator: all)', querystring: contractListQuery, response: { 200: z.array(contractView), ...errors } } },
    async (request) => (await onboarding.listContracts(request.actor, request.query)).map(toContractView),
  );
  app.get(
    '/contracts/:id',
    { config: { policy: 'authenticated' }, schema: { tags, security, summary: 'A contract with its history', params: idParam, response: { 200: contractDetail, ...errors } } },
    async (request) => {
      const { history, ...row } = await onboarding.getContract(request.actor, request.params.id);
      return { ...toContractView(row), history };
    },
  );
  app.put(
    '/contracts/:id/signed-contract',
    {
      config: { policy: 'authenticated' },
      schema: { tags, security, summary: 'Upload the signed contract (PDF, multipart field `signedContract`)', consumes: ['multipart/form-data'], params: idParam, response: { 200: contractView, ...uploadErrors } },
    },
    async (request) => {
      const upload = async () => (await readMultipartForm(request, { accepted: ['application/pdf'] })).files.signedContract;
      return toContractView(await onboarding.attachSignedContract(request.actor, request.params.id, upload));
    },
  );
  app.get(
    '/contracts/:id/signed-contract',
    { config: { policy: 'authenticated' }, schema: { tags, security, summary: 'Download the signed contract', params: idParam, response: { ...errors } } },
    async (request, reply) => sendFile(reply, await onboarding.contractFile(request.actor, request.params.id)),
  );
  app.post(
    '/contracts/:id/submit',
    { config: { policy: 'authenticated' }, schema: { tags, security, summary: 'Submit a draft to the ANS', params: idParam, body: submitBody, response: { 200: contractView, ...errors } } },
    async (request) => toContractView(await onboarding.submitContract(request.actor, request.params.id, request.body)),
  );
  app.post(
    '/contracts/:id/activate',
    { config: { policy: 'authenticated' }, schema: { tags, security, summary: 'ANS operator: activate (CDE card F101 recorded)', params: idParam, response: { 200: contractView, ...errors } } },
    async (request) => toContractView(await onboarding.activateContract(request.actor, request.params.id)),
  );
  app.post(
    '/contracts/:id/refuse',
    { config: { policy: 'authenticated' }, schema: { tags, security, summary: 'ANS operator: refuse with a reason', params: idParam, body: reasonBody, response: { 200: contractView, ...errors } } },
    async (request) => toContractView(await onboarding.refuseContract(request.actor, request.params.id, request.body.reason)),
  );
  app.post(
    '/contracts/:id/terminate',
    { config: { policy: 'authenticated' }, schema: { tags, security, summary: 'ANS operator: terminate (every role given by the contract ends)', params: idParam, body: reasonBody, response: { 200: contractView, ...errors } } },
    async (request) => toContractView(await onboarding.terminateContract(request.actor, request.params.id, request.body.reason)),
  );

  // ——— Entity (EJ) ———
  app.get(
    '/entities/:ejFiness',
    { config: { policy: 'authenticated' }, schema: { tags, security, summary: 'Onboarding state of an EJ (contract, strategy, EG)', params: ejParam, response: { 200: entityView, ...errors } } },
    async (request) => onboarding.getEntity(request.actor, request.params.ejFiness),
  );
  app.put(
    '/entities/:ejFiness/strategy',
    { config: { policy: 'authenticated' }, schema: { tags, security, summary: 'RL: centralized or decentralized strategy', params: ejParam, body: strategyBody, response: { 200: strategyResult, ...errors } } },
    async (request) => onboarding.changeStrategy(request.actor, request.params.ejFiness, request.body.strategy),
  );
  app.get(
    '/entities/:ejFiness/mandataires',
    { config: { policy: 'authenticated' }, schema: { tags, security, summary: 'Mandataires of an EJ', params: ejParam, response: { 200: z.array(mandataireView), ...errors } } },
    async (request) => onboarding.listMandataires(request.actor, request.params.ejFiness),
  );
  app.post(
    '/entities/:ejFiness/mandataires',
    { config: { policy: 'authenticated' }, schema: { tags, security, summary: 'RL: designate a mandataire', params: ejParam, body: mandataireBody, response: { 201: mandataireView, ...errors } } },
    async (request, reply) => reply.code(201).send(await onboarding.designateMandataire(request.actor, request.params.ejFiness, request.body)),
  );
  app.delete(
    '/mandataires/:id',
    { config: { policy: 'authenticated' }, schema: { tags, security, summary: 'RL: end a mandate', params: idParam, response: { 200: z.object({ id: z.string(), revoked: z.boolean() }), ...errors } } },
    async (request) => onboarding.revokeMandataire(request.actor, request.params.id),
  );

  // ——— Habilitations ———
  app.get(
    '/entities/:ejFiness/habilitations',
    { config: { policy: 'authenticated' }, schema: { tags, security, summary: '"Mes Habilitations": gestionnaires of an EJ', params: ejParam, querystring: habilitationListQuery, response: { 200: z.array(habilitationView), ...errors } } },
    async (request) => (await onboarding.listHabilitations(request.actor, request.params.ejFiness, request.query)).map(toHabilitationView),
  );
  app.post(
    '/entities/:ejFiness/habilitations',
    {
      config: { policy: 'authenticated' },
      schema: {
        tags,
        security,
        summary: 'RL or mandataire: habilitate a gestionnaire (multipart, with the e-learning attestation)',
        description: `Multipart fields: ${Object.keys(habilitationForm.shape).join(', ')}.`,
        consumes: ['multipart/form-data'],
        params: ejParam,
        response: { 201: habilitationView, ...uploadErrors },
      },
    },
    async (request, reply) => {
      const read = async () => {
        const form = await readMultipartForm(request, { accepted: ['application/pdf'] });
        const f = form.fields;
        const input = {
          idnps: first(f.idnps),
          familyName: first(f.familyName),
          givenName: first(f.givenName),
          email: first(f.email),
          credential: first(f.credential),
          cardForm: first(f.cardForm),
          cardFormReference: first(f.cardFormReference),
          elearningCompletedOn: first(f.elearningCompletedOn),
          scope: first(f.scope),
          egFiness: list(f.egFiness),
          endsOn: first(f.endsOn),
        };
        return { input, attestation: form.files.attestation };
      };
      const created = await onboarding.createHabilitation(request.actor, request.params.ejFiness, read);
      return reply.code(201).send(toHabilitationView(created));
    },
  );
  app.get(
    '/habilitations/:id',
    { config: { policy: 'authenticated' }, schema: { tags, security, summary: 'A habilitation with its history', params: idParam, response: { 200: habilitationDetail, ...errors } } },
    async (request) => {
      const { history, ...row } = await onboarding.getHabilitation(request.actor, request.params.id);
      return { ...toHabilitationView(row), history };
    },
  );
  app.patch(
    '/habilitations/:id',
    { config: { policy: 'authenticated' }, schema: { tags, security, summary: 'RL or mandataire: change the scope or the end date', params: idParam, body: habilitationPatchBody, response: { 200: habilitationView, ...errors } } },
    async (request) => toHabilitationView(await onboarding.updateHabilitation(request.actor, request.params.id, request.body)),
  );
  app.post(
    '/habilitations/:id/revoke',
    { config: { policy: 'authenticated' }, schema: { tags, security, summary: 'Revoke with immediate effect', params: idParam, body: optionalReasonBody, response: { 200: habilitationView, ...errors } } },
    async (request) => toHabilitationView(await onboarding.revokeHabilitation(request.actor, request.params.id, request.body?.reason)),
  );
  app.get(
    '/habilitations/:id/attestation',
    { config: { policy: 'authenticated' }, schema: { tags, security, summary: 'Download the e-learning attestation', params: idParam, response: { ...errors } } },
    async (request, reply) => sendFile(reply, await onboarding.attestationFile(request.actor, request.params.id)),
  );

  // ——— Succession of the représentant légal (issue 16, item 5) ———
  app.post(
    '/entities/:ejFiness/succession',
    { config: { policy: 'authenticated' }, schema: { tags, security, summary: 'RL, mandataire or operator: designate a new RL (validated by the ANS)', params: ejParam, body: successionBody, response: { 201: successionView, ...errors } } },
    async (request, reply) => reply.code(201).send(await succession.request(request.actor, request.params.ejFiness, request.body)),
  );
  app.get(
    '/successions',
    { config: { policy: 'authenticated' }, schema: { tags, security, summary: 'RL designations the person may see (operator: all)', querystring: successionListQuery, response: { 200: z.array(successionView), ...errors } } },
    async (request) => succession.list(request.actor, request.query),
  );
  app.post(
    '/successions/:id/approve',
    { config: { policy: 'authenticated' }, schema: { tags, security, summary: 'ANS operator: the new RL takes over the contract (CDE card F101)', params: idParam, response: { 200: successionView, ...errors } } },
    async (request) => succession.approve(request.actor, request.params.id),
  );
  app.post(
    '/successions/:id/refuse',
    { config: { policy: 'authenticated' }, schema: { tags, security, summary: 'ANS operator: refuse a designation with a reason', params: idParam, body: reasonBody, response: { 200: successionView, ...errors } } },
    async (request) => succession.refuse(request.actor, request.params.id, request.body.reason),
  );

  // ——— What a terminated contract leaves behind (issue 16, item 6) ———
  app.get(
    '/orphan-structures',
    { config: { policy: 'authenticated' }, schema: { tags, security, summary: 'ANS operator: EG with active professionals and no active contract (no gestionnaire)', querystring: orphanListQuery, response: { 200: z.array(orphanView), ...errors } } },
    async (request) => orphans.list(request.actor, { all: request.query.all === 'true' }),
  );
  app.post(
    '/orphan-structures/:finess/end-situations',
    {
      config: { policy: 'authenticated' },
      schema: { tags, security, summary: 'ANS operator: end every active situation of such an EG (confirmation required)', params: finessParam, body: endSituationsBody, response: { 200: z.object({ egFiness: z.string(), ended: z.number().int() }), ...errors } },
    },
    async (request) => orphans.endSituations(request.actor, request.params.finess, request.body),
  );
};
