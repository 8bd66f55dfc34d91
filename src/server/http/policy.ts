import type { FastifyInstance } from 'fastify';

/**
 * Every API route declares who may call it in `config.policy`. Registering a route without
 * one fails at start-up, so no route can be added "open by accident".
 * `public`: anyone, including anonymous users and third-party clients.
 */
export type RoutePolicy = 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: RoutePolicy;
  }
}

const guardedPrefixes = ['/api/', '/health/', '/fhir'];
const exempt = ['/api/docs'];

export function requireRoutePolicies(app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    const url = route.url;
    if (!guardedPrefixes.some((p) => url.startsWith(p)) || exempt.some((p) => url.startsWith(p))) return;
    if (!route.config?.policy) {
      throw new Error(`Route ${String(route.method)} ${url} declares no access policy (config.policy).`);
    }
  });
}
