import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { problemSchema, sendProblem } from '../../http/problem.ts';
import { publicRateLimitHook, tooManyRequestsDetail } from '../../http/rate-limit.ts';
import { changePage, changeQuery, practitionerPage, practitionerSearchQuery, publicPractitioner } from './schemas.ts';
import { createDirectoryService } from './service.ts';

/** Public directory API: the search page's API and the change feed (no sign-in). */
export const directoryRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  // Public reads: from the replica when there is one (docs/operations.md#read-replica).
  const directory = createDirectoryService({ db: ctx.readDb ?? ctx.db });
  // Per-client budget of the public directory (shared with /fhir); past it, 429 problem+json.
  app.addHook(
    'onRequest',
    publicRateLimitHook(app, (reply, state) => sendProblem(reply, 429, 'rate-limited', tooManyRequestsDetail(state))),
  );

  app.get(
    '/changes',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['directory'],
        summary: 'Change feed of the public directory (created/updated/withdrawn, commit order, resumable cursor)',
        querystring: changeQuery,
        response: { 200: changePage, 400: problemSchema, 429: problemSchema },
      },
    },
    async (request) => directory.changes(request.query),
  );

  app.get(
    '/practitioners',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['directory'],
        summary: 'Search published professionals by name, RPPS, profession, role, structure or department',
        querystring: practitionerSearchQuery,
        response: { 200: practitionerPage, 400: problemSchema, 429: problemSchema },
      },
    },
    async (request) => directory.searchPractitioners(request.query),
  );

  app.get(
    '/practitioners/:rpps',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['directory'],
        summary: 'Public card of a professional with his active situations',
        params: z.object({ rpps: z.string().regex(/^\d{11}$/, 'Numéro RPPS à 11 chiffres attendu.') }),
        response: { 200: publicPractitioner, 400: problemSchema, 404: problemSchema, 429: problemSchema },
      },
    },
    async (request) => directory.getPractitioner(request.params.rpps),
  );
};
