import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { problemSchema } from '../../http/problem.ts';
import { communeCandidate, communeCodeParams, communeCodeQuery, communeQuery, nomenclatureKind, nomenclatureList, nomenclatureQuery } from './schemas.ts';
import { createReferentialService } from './service.ts';

export const referentialRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const referential = createReferentialService(ctx);

  app.get(
    '/nomenclatures/:kind',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['referential'],
        summary: 'An ANS nomenclature with each code’s validity and source',
        params: z.object({ kind: nomenclatureKind }),
        querystring: nomenclatureQuery,
        response: { 200: nomenclatureList, 400: problemSchema, 404: problemSchema },
      },
    },
    async (request) =>
      referential.list(request.params.kind, {
        on: request.query.on,
        selectableOnly: request.query.selectableOnly === 'true',
      }),
  );

  app.get(
    '/communes',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['referential'],
        summary: 'French communes (current and former) matching a name, with their INSEE code',
        querystring: communeQuery,
        response: { 200: z.object({ items: z.array(communeCandidate) }), 400: problemSchema },
      },
    },
    async (request) => ({ items: await referential.communes(request.query.q, request.query.on, request.query.limit) }),
  );

  app.get(
    '/communes/:inseeCode',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['referential'],
        summary: 'The commune of an INSEE code (the one of that date with `on`), to show a saved code by its name',
        params: communeCodeParams,
        querystring: communeCodeQuery,
        response: { 200: communeCandidate, 400: problemSchema, 404: problemSchema },
      },
    },
    async (request) => referential.commune(request.params.inseeCode, request.query.on),
  );
};
