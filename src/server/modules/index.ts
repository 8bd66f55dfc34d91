import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../context.ts';
import { accessRoutes } from './access/routes.ts';
import { authApiRoutes, authBrowserRoutes } from './auth/routes.ts';
import { bulkImportRoutes } from './bulk-import/routes.ts';
import { dashboardRoutes } from './dashboard/routes.ts';
import { directoryRoutes } from './directory/routes.ts';
import { directoryExtractionRoutes } from './directory/extraction-routes.ts';
import { ecpsRoutes } from './ecps/routes.ts';
import { fhirRoutes } from './fhir/routes.ts';
import { healthRoutes } from './health/routes.ts';
import { metricsRoutes } from './metrics/routes.ts';
import { onboardingRoutes } from './onboarding/routes.ts';
import { outboxRoutes } from './outbox/routes.ts';
import { myRecordRoutes } from './my-record/routes.ts';
import { mySpaceRoutes } from './my-space/routes.ts';
import { preregistrationRoutes } from './preregistration/routes.ts';
import { referentialRoutes } from './referential/routes.ts';
import { registerRoutes } from './register/routes.ts';
import { structureRoutes } from './structures/routes.ts';
import { supportRoutes } from './support/routes.ts';

export type ModuleRoutes = FastifyPluginAsync<{ ctx: AppContext }>;
export interface AppModule {
  prefix: string;
  routes: ModuleRoutes;
}

/** Every feature module mounted by the server, with its URL prefix. */
export const modules: AppModule[] = [
  { prefix: '/health', routes: healthRoutes },
  { prefix: '', routes: metricsRoutes },
  { prefix: '/auth', routes: authBrowserRoutes },
  { prefix: '/api', routes: authApiRoutes },
  { prefix: '/api', routes: referentialRoutes },
  { prefix: '/api/structures', routes: structureRoutes },
  { prefix: '/api', routes: accessRoutes },
  { prefix: '/api/directory', routes: directoryRoutes },
  { prefix: '/api/directory', routes: directoryExtractionRoutes },
  { prefix: '/api/ecps', routes: ecpsRoutes },
  { prefix: '/api/onboarding', routes: onboardingRoutes },
  { prefix: '/api/register', routes: registerRoutes },
  { prefix: '/api/preregistration', routes: preregistrationRoutes },
  { prefix: '/api/my-record', routes: myRecordRoutes },
  { prefix: '/api', routes: mySpaceRoutes },
  { prefix: '/api/bulk-imports', routes: bulkImportRoutes },
  { prefix: '/api/dashboard', routes: dashboardRoutes },
  { prefix: '/api/support', routes: supportRoutes },
  { prefix: '/fhir', routes: fhirRoutes },
  // Development only: the plugin mounts nothing unless config.devOutbox (src/server/config.ts).
  { prefix: '/api/dev/outbox', routes: outboxRoutes },
];
