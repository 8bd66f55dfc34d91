import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { problemSchema } from '../../http/problem.ts';
import { createRegisterApi } from '../register/api.ts';
import { tasksView } from './schemas.ts';
import { createMySpaceService } from './service.ts';

/** "Mon espace" (issue 17): one call per page gives the signed-in person's task counts. */
export const mySpaceRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const service = createMySpaceService(ctx, createRegisterApi(ctx));
  app.get(
    '/me/tasks',
    {
      config: { policy: 'authenticated' },
      schema: {
        tags: ['my-space'],
        security: [{ sessionCookie: [] }],
        summary: 'What waits for me, per role, within my current scope ("Mon espace")',
        response: { 200: tasksView, 401: problemSchema, 403: problemSchema },
      },
    },
    async (request) => service.tasks(request.actor),
  );
};
