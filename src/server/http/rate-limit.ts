import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Config } from '../config.ts';

/**
 * Per-client rate limit of the public directory (/fhir, /api/directory; docs/directory-and-fhir.md).
 * One budget per client and per minute, shared by the routes that use it:
 * - a machine client whose API key has the `directory:read` scope: `apikey:<id>`, the higher limit
 *   (any other key counts as its client address);
 * - a signed-in person: `account:<id>` (people behind one hospital NAT do not share a budget);
 * - anyone else: `ip:<client address>` as resolved with TRUST_PROXY (IPv6 grouped by /64).
 * An invalid API key never reaches it: the auth kernel answers 401 first.
 * Counters are in memory, per instance (see the docs for why not in PostgreSQL).
 */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

/** Sends the 429 in the format of the routes being protected (problem+json or OperationOutcome). */
export type SendTooManyRequests = (reply: FastifyReply, state: RateLimitState) => FastifyReply;

declare module 'fastify' {
  interface FastifyInstance {
    publicRateLimit: ReturnType<FastifyInstance['createRateLimit']>;
  }
}

const windowMs = 60_000;
/** The API-key scope of public reads (src/server/auth/api-keys.ts). */
const publicReadScope = 'directory:read';
/** Clients counted at once per instance (least recently seen forgotten first): about 10 MB. */
const maxClients = 100_000;

export function rateLimitKey(request: FastifyRequest): string {
  const actor = request.actor;
  // Only a key made for public reads gets the machine budget; an import-only key counts as anyone (issue 15).
  if (actor?.kind === 'machine' && actor.scopes.includes(publicReadScope)) return `apikey:${actor.apiKeyId}`;
  if (actor?.kind === 'person') return `account:${actor.accountId}`;
  return `ip:${clientAddress(request.ip)}`;
}

/**
 * The client address as counted: an IPv6 address grouped by /64 (`normalizeIP`); an IPv4 address
 * (no colon) as is, without `normalizeIP`'s IPv6 test, a long regular expression run on every
 * public request otherwise (docs/performance.md "Fourth round (branch coldread)").
 */
export function clientAddress(ip: string): string {
  return ip.includes(':') ? normalizeIP(ip) : ip;
}

/** Registers @fastify/rate-limit (no route limited by default) and the shared public budget. */
export async function registerPublicRateLimit(app: FastifyInstance, config: Config): Promise<void> {
  const { perMinute, machinePerMinute } = config.publicRateLimit;
  await app.register(fastifyRateLimit, { global: false });
  app.decorate(
    'publicRateLimit',
    app.createRateLimit({
      timeWindow: windowMs,
      keyGenerator: rateLimitKey,
      max: (_request, key) => (key.startsWith('apikey:') ? machinePerMinute : perMinute),
      // Read by the in-memory store of this limiter (not in the option types).
      ...{ cache: maxClients },
    }),
  );
}

/**
 * An onRequest hook for a module's scope (it runs after the auth kernel has resolved the
 * actor): counts the request in the client's budget, sets the RateLimit headers, and answers 429
 * with Retry-After once the budget is spent — nothing is served past it.
 */
export function publicRateLimitHook(app: FastifyInstance, sendTooMany: SendTooManyRequests): onRequestAsyncHookHandler {
  return async function publicRateLimit(request, reply) {
    const r = await app.publicRateLimit(request);
    if (r.isAllowed) return;
    const state: RateLimitState = { limit: r.max, remaining: r.isExceeded ? 0 : r.remaining, resetSeconds: r.ttlInSeconds };
    reply.header('ratelimit-limit', state.limit);
    reply.header('ratelimit-remaining', state.remaining);
    reply.header('ratelimit-reset', state.resetSeconds);
    reply.header('ratelimit-policy', `${state.limit};w=${windowMs / 1000}`);
    if (!r.isExceeded) return;
    reply.header('retry-after', Math.max(1, state.resetSeconds));
    request.log.debug({ event: 'rate_limit.exceeded', client: rateLimitKey(request).split(':')[0] }, 'rate limit exceeded');
    return sendTooMany(reply, state);
  };
}

/** The French sentence of every 429 of the public directory. */
export const tooManyRequestsDetail = (state: RateLimitState) =>
  `Trop de requêtes : la limite est de ${state.limit} requêtes par minute pour ce client. ` +
  `Réessayez dans ${Math.max(1, state.resetSeconds)} s. Les clients identifiés par une clé d’API disposent d’une limite plus élevée.`;
