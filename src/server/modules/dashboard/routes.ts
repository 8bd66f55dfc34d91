import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { registerEgScope } from '../../auth/policy.ts';
import type { AppContext } from '../../context.ts';
import { problemSchema } from '../../http/problem.ts';
import { createDashboardService, DashboardNotFoundError } from './service.ts';

const counted = z.array(z.object({ code: z.string(), label: z.string(), count: z.number().int() }));
const dashboard = z.object({
  finess: z.string(),
  name: z.string(),
  kind: z.enum(['EJ', 'EG']),
  egFiness: z.array(z.string()),
  activeByRole: counted,
  activeByProfession: counted,
  registrationsPerMonth: z.array(z.object({ month: z.string(), count: z.number().int() })),
  pendingRequests: z.object({ count: z.number().int(), oldestDays: z.number().int().nullable(), byAge: z.array(z.object({ bucket: z.string(), count: z.number().int() })) }),
  endingSoon: z.array(z.object({ rpps: z.string(), exerciseLastName: z.string(), exerciseFirstName: z.string(), egFiness: z.string(), endDate: z.string() })),
  identitiesToVerify: z.number().int(),
  ecps: z.object({ persons: z.number().int(), active: z.number().int(), rate: z.number().nullable() }),
});

/** Dashboard of a structure (EJ or EG) within the signed-in person's register scope (issue 10). */
export const dashboardRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const service = createDashboardService(ctx);
  app.get(
    '/structures/:finess',
    {
      config: { policy: 'authenticated' },
      schema: {
        tags: ['dashboard'],
        summary: 'Figures of an EJ or EG over the EG of the viewer’s scope',
        params: z.object({ finess: z.string().regex(/^\d[0-9AB]\d{7}$/) }),
        response: { 200: dashboard, 400: problemSchema, 401: problemSchema, 404: problemSchema },
      },
    },
    async (request) => {
      if (request.actor.kind !== 'person') throw new DashboardNotFoundError();
      return service.get(await registerEgScope(ctx.db, request.actor), request.params.finess);
    },
  );
};
