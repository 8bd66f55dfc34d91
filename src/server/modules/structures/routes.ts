import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { problemSchema } from '../../http/problem.ts';
import { finessParam, structureDetail, structurePage, structureSearchQuery } from './schemas.ts';
import { createStructureService } from './service.ts';

export const structureRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const structures = createStructureService(ctx);

  app.get(
    '/',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['structures'],
        summary: 'Search FINESS structures by number, name or city',
        querystring: structureSearchQuery,
        response: { 200: structurePage, 400: problemSchema },
      },
    },
    async (request) => structures.search(request.query),
  );

  app.get(
    '/:finess',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['structures'],
        summary: 'A FINESS structure: an EJ with its EG, or an EG with its EJ',
        params: z.object({ finess: finessParam }),
        response: { 200: structureDetail, 400: problemSchema, 404: problemSchema },
      },
    },
    async (request) => structures.get(request.params.finess),
  );
};
