import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { problemSchema } from '../../http/problem.ts';
import { decisionResult, detailView, draftBody, establishmentList, establishmentQuery, idParams, meView, queueView, rejectBody, requestView, validateBody } from './schemas.ts';
import { createPreregistrationService, type DraftInput } from './service.ts';

const security = [{ sessionCookie: [] }];
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 422: problemSchema };
const tags = ['preregistration'];
const policy = { policy: 'authenticated' as const };

/**
 * Pre-registration (issue 7): the professional signed in with FranceConnect (`/me`, `/requests`),
 * and the gestionnaire's queue "Demandes à traiter" (`/queue`). One service call per route; who
 * may do what is decided in the service from the authorization policy.
 */
export const preregistrationRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const service = createPreregistrationService(ctx);

  // ——— Professional (FranceConnect) ———
  app.get('/me', { config: policy, schema: { tags, security, summary: 'My FranceConnect état civil (read-only) and my requests', response: { 200: meView, ...errors } } }, async (request) =>
    service.me(request.actor),
  );
  app.get(
    '/establishments',
    { config: policy, schema: { tags, security, summary: 'EG of structures with an active contract, by FINESS or name', querystring: establishmentQuery, response: { 200: establishmentList, ...errors } } },
    async (request) => ({ items: await service.establishments(request.actor, request.query.q, request.query.limit) }),
  );
  app.post(
    '/requests',
    { config: policy, schema: { tags, security, summary: 'Start a request (draft); the état civil is taken from FranceConnect', body: draftBody, response: { 201: requestView, ...errors } } },
    async (request, reply) => reply.code(201).send(await service.createDraft(request.actor, request.body as DraftInput)),
  );
  app.get('/requests/:id', { config: policy, schema: { tags, security, summary: 'One of my requests', params: idParams, response: { 200: requestView, ...errors } } }, async (request) =>
    service.get(request.actor, request.params.id),
  );
  app.put(
    '/requests/:id',
    { config: policy, schema: { tags, security, summary: 'Save my draft (contact, situation, terms)', params: idParams, body: draftBody, response: { 200: requestView, ...errors } } },
    async (request) => service.updateDraft(request.actor, request.params.id, request.body as DraftInput),
  );
  app.post(
    '/requests/:id/submit',
    { config: policy, schema: { tags, security, summary: 'Send my request to the gestionnaires of the EG', params: idParams, response: { 200: requestView, ...errors } } },
    async (request) => {
      const result = await service.submit(request.actor, request.params.id);
      request.log.info({ preregistrationId: result.id }, 'preregistration.submitted');
      return result;
    },
  );
  app.post(
    '/requests/:id/withdraw',
    { config: policy, schema: { tags, security, summary: 'Withdraw my draft or pending request', params: idParams, response: { 200: requestView, ...errors } } },
    async (request) => service.withdraw(request.actor, request.params.id),
  );

  // ——— Gestionnaire: "Demandes à traiter" ———
  app.get('/queue', { config: policy, schema: { tags, security, summary: 'Pending requests of my scope, oldest first', response: { 200: queueView, ...errors } } }, async (request) =>
    service.queue(request.actor),
  );
  app.get(
    '/queue/count',
    { config: policy, schema: { tags, security, summary: 'Number of pending requests of my scope (badge)', response: { 200: z.object({ pending: z.number() }), ...errors } } },
    async (request) => service.pendingCount(request.actor),
  );
  app.get('/queue/:id', { config: policy, schema: { tags, security, summary: 'A pending request of my scope', params: idParams, response: { 200: detailView, ...errors } } }, async (request) =>
    service.detail(request.actor, request.params.id),
  );
  app.post(
    '/queue/:id/validate',
    {
      config: policy,
      schema: { tags, security, summary: 'Validate: RPPS number allocated or situation added, professional e-mailed (409 if decided meanwhile)', params: idParams, body: validateBody, response: { 200: decisionResult, ...errors, 503: problemSchema } },
    },
    async (request) => {
      const result = await service.validate(request.actor, request.params.id, request.body);
      request.log.info({ preregistrationId: request.params.id, rpps: result.rpps }, 'preregistration.validated');
      return result;
    },
  );
  app.post(
    '/queue/:id/reject',
    { config: policy, schema: { tags, security, summary: 'Reject with a mandatory reason (e-mailed to the professional)', params: idParams, body: rejectBody, response: { 200: decisionResult, ...errors } } },
    async (request) => {
      const result = await service.reject(request.actor, request.params.id, request.body);
      request.log.info({ preregistrationId: request.params.id }, 'preregistration.rejected');
      return result;
    },
  );
};
