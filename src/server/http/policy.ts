import type { FastifyInstance } from 'fastify';

/**
 * Every API route declares who may call it in `config.policy`. Registering a route without
 * one fails at start-up, so no route can be added "open by accident".
 * `public`: anyone, including anonymous users and third-party clients.
 * `authenticated`: a person signed in (browser session; state-changing requests also need the
 *   session's CSRF token). What he may do there is decided by the service (issue 5: `can()`).
 * `machine:<scope>`: a machine client whose API key carries `<scope>` (src/server/auth/api-keys.ts).
 * `metrics`: the metrics scraper, `Authorization: Bearer <METRICS_TOKEN>` (docs/operations.md#metrics).
 * Enforced on every request by src/server/auth/plugin.ts.
 */
export type RoutePolicy = 'public' | 'authenticated' | 'metrics' | `machine:${string}`;

export const isRoutePolicy = (value: unknown): value is RoutePolicy =>
  value === 'public' || value === 'authenticated' || value === 'metrics' || (typeof value === 'string' && /^machine:[a-z]+(:[a-z]+)*$/.test(value));

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: RoutePolicy;
    /**
     * The route checks its API key's validity again in its own query before answering (revoked,
     * expired → 401), so authentication may take a key verified in the last minute from memory.
     */
    apiKeyRecheckedByRoute?: boolean;
  }
}

const guardedPrefixes = ['/api/', '/health/', '/fhir', '/metrics'];
const exempt = ['/api/docs'];

/** Every route with its declared policy, as registered (tests enumerate them: issue 5). */
export interface DeclaredRoute {
  method: string;
  url: string;
  policy: RoutePolicy | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    declaredRoutes: DeclaredRoute[];
  }
}

export function requireRoutePolicies(app: FastifyInstance) {
  const declared: DeclaredRoute[] = [];
  app.decorate('declaredRoutes', declared);
  app.addHook('onRoute', (route) => {
    const url = route.url;
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      if (method !== 'HEAD') declared.push({ method: String(method), url, policy: route.config?.policy });
    }
    if (!guardedPrefixes.some((p) => url.startsWith(p)) || exempt.some((p) => url.startsWith(p))) return;
    if (!route.config?.policy) {
      throw new Error(`Route ${String(route.method)} ${url} declares no access policy (config.policy).`);
    }
    if (!isRoutePolicy(route.config.policy)) {
      throw new Error(`Route ${String(route.method)} ${url} declares an unknown access policy "${String(route.config.policy)}".`);
    }
  });
}
