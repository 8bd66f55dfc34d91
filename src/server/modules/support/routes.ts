import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { problemSchema } from '../../http/problem.ts';
import { TooManySupportRequestsError } from './errors.ts';
import { idParam, supportAnswerBody, supportListQuery, supportReceipt, supportRequestBody, supportRequestView } from './schemas.ts';
import { createSupportService } from './service.ts';

const tags = ['support'];
const security = [{ sessionCookie: [] }];
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };

/** The help desk's contact form and the operators' back office (docs/support.md). */
export const supportRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const support = createSupportService({ db: ctx.db, clock: ctx.clock, config: ctx.config, mail: ctx.mail });
  const perHour = ctx.config.support.perHour;
  // Anonymous form: a few requests per client address and hour (in memory, per instance).
  const limiter = app.createRateLimit({ timeWindow: 3_600_000, max: perHour, keyGenerator: (request) => `support:${request.ip}` });

  app.get(
    '/contact',
    { config: { policy: 'public' }, schema: { tags, summary: 'The support desk’s address (SUPPORT_EMAIL)', response: { 200: z.object({ email: z.string() }) } } },
    async () => ({ email: ctx.config.support.email }),
  );
  app.post(
    '/requests',
    {
      config: { policy: 'public' },
      schema: { tags, summary: 'File a support request (contact form; anyone, rate-limited)', body: supportRequestBody, response: { 201: supportReceipt, 400: problemSchema, 429: problemSchema } },
    },
    async (request, reply) => {
      const r = await limiter(request);
      if (!r.isAllowed && r.isExceeded) {
        reply.header('retry-after', Math.max(1, r.ttlInSeconds));
        throw new TooManySupportRequestsError(perHour);
      }
      const filed = await support.file(request.actor, request.body);
      request.log.info({ event: 'support.filed', reference: filed.reference }, 'support request filed');
      return reply.code(201).send({ reference: filed.reference, createdAt: filed.createdAt });
    },
  );
  app.get(
    '/requests',
    { config: { policy: 'authenticated' }, schema: { tags, security, summary: 'ANS operator: the support requests', querystring: supportListQuery, response: { 200: z.array(supportRequestView), ...errors } } },
    async (request) => support.list(request.actor, request.query),
  );
  app.get(
    '/requests/:id',
    { config: { policy: 'authenticated' }, schema: { tags, security, summary: 'ANS operator: one support request', params: idParam, response: { 200: supportRequestView, ...errors } } },
    async (request) => support.get(request.actor, request.params.id),
  );
  app.post(
    '/requests/:id/answer',
    { config: { policy: 'authenticated' }, schema: { tags, security, summary: 'ANS operator: answer a request (mailed to the requester)', params: idParam, body: supportAnswerBody, response: { 200: supportRequestView, ...errors } } },
    async (request) => {
      const answered = await support.answer(request.actor, request.params.id, request.body.answer);
      request.log.info({ event: 'support.answered', reference: answered.reference }, 'support request answered');
      return answered;
    },
  );
};
