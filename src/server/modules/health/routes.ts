import { sql } from 'kysely';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { problemSchema, sendProblem } from '../../http/problem.ts';

const status = z.object({ status: z.enum(['ok']) });

export const healthRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/live',
    {
      config: { policy: 'public' },
      schema: { tags: ['health'], summary: 'The process is running', response: { 200: status } },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['health'],
        summary: 'The process can serve requests (database reachable)',
        response: { 200: status, 503: problemSchema },
      },
    },
    async (request, reply) => {
      if (ctx.lifecycle?.draining) return sendProblem(reply, 503, 'draining', 'Ce processus s’arrête : les nouvelles requêtes vont aux autres.');
      try {
        await sql`select 1`.execute(ctx.db);
        return { status: 'ok' as const };
      } catch (err) {
        request.log.error({ err }, 'health.database_unreachable');
        return sendProblem(reply, 503, 'not-ready', 'La base de données est injoignable.');
      }
    },
  );
};
