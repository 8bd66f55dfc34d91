import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { problemSchema } from '../../http/problem.ts';
import { outboxList, outboxListQuery, outboxMail } from './schemas.ts';
import { createOutboxService } from './service.ts';

/**
 * Development only: the mails the application sent (or kept, without SMTP_URL), with their
 * content. Not mounted in production, where mails hold personal data and go through SMTP.
 */
export const outboxRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  if (!ctx.config.devOutbox) return;
  const outbox = createOutboxService(ctx);

  app.get(
    '/',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['development'],
        summary: 'Mails queued by the application, newest first (development only)',
        querystring: outboxListQuery,
        response: { 200: outboxList, 400: problemSchema },
      },
    },
    async (request) => outbox.list(request.query.limit),
  );

  app.get(
    '/:id',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['development'],
        summary: 'One queued mail with its content (development only)',
        params: z.object({ id: z.uuid() }),
        response: { 200: outboxMail, 400: problemSchema, 404: problemSchema },
      },
    },
    async (request) => outbox.get(request.params.id),
  );
};
