import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { registerEgScope } from '../../auth/policy.ts';
import type { AppContext } from '../../context.ts';
import { problemSchema } from '../../http/problem.ts';
import { isoDate } from '../referential/schemas.ts';
import { createOperatorDashboardService } from './operator.ts';
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

const area = { code: z.string().nullable(), name: z.string(), activeProfessionals: z.number().int(), registrations: z.number().int() };
const operatorDashboard = z.object({
  asOf: z.iso.datetime().nullable().describe('When the area figures were computed (scheduled refresh); null before the first refresh. Stale requests are live.'),
  period: z.object({ from: z.string(), to: z.string() }),
  staleDays: z.number().int(),
  totals: z.object({ activeProfessionals: z.number().int(), registrations: z.number().int(), stalePending: z.number().int() }),
  byRegion: z.array(z.object(area)),
  byDepartment: z.array(z.object({ ...area, regionCode: z.string().nullable() })),
  staleStructures: z.array(
    z.object({
      egFiness: z.string(),
      name: z.string(),
      ejFiness: z.string().nullable(),
      ejName: z.string().nullable(),
      departmentCode: z.string().nullable(),
      pending: z.number().int(),
      stale: z.number().int(),
      oldestDays: z.number().int(),
    }),
  ),
});

/** Dashboard of a structure (EJ or EG) within the signed-in person's register scope (issue 10). */
export const dashboardRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const service = createDashboardService(ctx);
  const operator = createOperatorDashboardService({ ...ctx, defaultStaleDays: ctx.config.preregistration.reminderDays });
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

  app.get(
    '/operator',
    {
      config: { policy: 'authenticated' },
      schema: {
        tags: ['dashboard'],
        summary: 'ANS operator: registrations per region and department, structures with stale pending requests',
        querystring: z.object({
          from: isoDate.optional().describe('First day of the period (default: 364 days before `to`)'),
          to: isoDate.optional().describe('Last day of the period (default: today)'),
          staleDays: z.coerce.number().int().min(1).max(365).optional().describe('A pending request is stale after this many days (default: PREREGISTRATION_REMINDER_DAYS)'),
        }),
        response: { 200: operatorDashboard, 400: problemSchema, 401: problemSchema, 403: problemSchema },
      },
    },
    async (request) => operator.get(request.actor, request.query),
  );
};
