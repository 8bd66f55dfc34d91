import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { problemSchema } from '../../http/problem.ts';
import { changeBody, changeView, confirmBody, confirmResult, idParams, myRecordView } from './schemas.ts';
import { createMyRecordService } from './service.ts';

const security = [{ sessionCookie: [] }];
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 422: problemSchema };
const tags = ['my-record'];
const policy = { policy: 'authenticated' as const };

/** "Mon dossier RPPS" (issue 7, self-service): one service call per route. */
export const myRecordRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const service = createMyRecordService(ctx);
  app.get(
    '/',
    { config: policy, schema: { tags, security, summary: 'My RPPS record: état civil (read-only), contact, situations and the structures that registered me; `{ registered: false }` when no record carries my RPPS number', response: { 200: myRecordView, ...errors } } },
    async (request) => service.record(request.actor),
  );
  app.post(
    '/contact-changes',
    { config: policy, schema: { tags, security, summary: 'Change my e-mail or mobile: a code is sent to the new address or number', body: changeBody, response: { 201: changeView, ...errors } } },
    async (request, reply) => reply.code(201).send(await service.requestChange(request.actor, request.body)),
  );
  app.post(
    '/contact-changes/:id/confirm',
    { config: policy, schema: { tags, security, summary: 'Confirm a change with the code received (the record changes now)', params: idParams, body: confirmBody, response: { 200: confirmResult, ...errors } } },
    async (request) => service.confirmChange(request.actor, request.params.id, request.body.code),
  );
};
