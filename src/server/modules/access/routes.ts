import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { problemSchema } from '../../http/problem.ts';
import { accessMatrix, accessMatrixQuery, matrixVersion } from './schemas.ts';
import { createAccessMatrixService } from './service.ts';

export const accessRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const matrices = createAccessMatrixService(ctx);

  app.get(
    '/access-matrix',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['access'],
        summary: 'The role → DMP document types matrix in force on a date',
        querystring: accessMatrixQuery,
        response: { 200: accessMatrix, 400: problemSchema, 404: problemSchema },
      },
    },
    async (request) => matrices.describe(request.query.on),
  );

  app.get(
    '/access-matrix/versions',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['access'],
        summary: 'Every published version of the access matrix with its effective date',
        response: { 200: z.object({ items: z.array(matrixVersion) }) },
      },
    },
    async () => ({ items: await matrices.versions() }),
  );
};
