import fastifyCookie from '@fastify/cookie';
import { normalizeIP } from '@fastify/rate-limit';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyContextConfig, FastifyInstance, FastifyReply } from 'fastify';
import helmet from 'helmet';
import type { Config } from '../config.ts';
import type { AppContext } from '../context.ts';
import { type DevIdp, type EcpsAccounts, mountDevIdp } from '../dev-idp/index.ts';
import { metricsTokenMatches } from '../http/metrics.ts';
import { type Actor, anonymous } from './actor.ts';
import { type ApiKeyService, createApiKeyService } from './api-keys.ts';
import { CsrfError, ForbiddenError, InsufficientScopeError, InvalidApiKeyError, UnauthenticatedError } from './errors.ts';
import { injectFetch } from './inject-fetch.ts';
import { createRelyingParty, type RelyingParty } from './relying-party.ts';
import { listenWhileRunning } from './session-cache.ts';
import { createSessionStore, type SessionStore } from './sessions.ts';
import { safeEqual } from './tokens.ts';

export interface AuthKernel {
  sessions: SessionStore;
  apiKeys: ApiKeyService;
  relyingParty: RelyingParty;
  cookies: ReturnType<typeof cookieSettings>;
  /** Sign-in attempts per client address and per minute (in memory, per instance). */
  loginLimiter: ReturnType<FastifyInstance['createRateLimit']>;
  devIdp: DevIdp | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling, resolved from the database on every request. */
    actor: Actor;
    /**
     * The route's `config`, read once per request by the first onRequest hook: Fastify's
     * `request.routeOptions` is a getter that builds an object of 13 fields on each read.
     */
    routeConfig: FastifyContextConfig | undefined;
  }
  interface FastifyInstance {
    auth: AuthKernel;
  }
  interface RouteShorthandOptions {
    /** `false`: no security headers (a route whose reply is hijacked and written by another library). */
    helmet?: false;
  }
  interface FastifyContextConfig {
    noSecurityHeaders?: boolean;
    /**
     * The route writes no session, account, role or structure: this instance keeps its cached
     * sessions after it (by default a person's POST/PUT/PATCH/DELETE empties them, see onSend).
     */
    keepsSessionCache?: boolean;
  }
}

/**
 * The headers a helmet middleware sets, computed once: they depend on the configuration only
 * (no per-request nonce), so each request copies them instead of building the middleware
 * again (what @fastify/helmet did: 3 % of a request's CPU, issue 18).
 */
function headersOf(middleware: ReturnType<typeof helmet>): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  middleware({} as IncomingMessage, res as unknown as ServerResponse, () => {});
  return headers;
}

/**
 * Whether `url` answers data rather than a page: the JSON API (its documentation pages aside),
 * the FHIR directory, health and metrics.
 */
function answersData(url: string): boolean {
  if (url.startsWith('/api/')) return !/^\/api\/docs(\/|\?|$)/.test(url);
  return /^\/(fhir|metrics)(\/|\?|$)/.test(url) || url.startsWith('/health/');
}

const mutatingMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const csrfHeader = 'x-csrf-token';

/** Cookie names and options; `__Host-` (https only) pins a cookie to our origin and path /. */
export function cookieSettings(config: Config) {
  const secure = config.auth.secureCookies;
  const p = secure ? '__Host-' : '';
  return {
    session: `${p}rpps_session`,
    csrf: `${p}rpps_csrf`,
    transaction: `${p}rpps_auth_tx`,
    /** HttpOnly, SameSite=Lax: sent on the top-level redirect back from the provider. */
    sessionOptions: (maxAgeSeconds: number) =>
      ({ path: '/', httpOnly: true, secure, sameSite: 'lax', maxAge: maxAgeSeconds }) as const,
    /** Readable by the web app, which echoes it in the x-csrf-token header. */
    csrfOptions: (maxAgeSeconds: number) => ({ path: '/', httpOnly: false, secure, sameSite: 'strict', maxAge: maxAgeSeconds }) as const,
    transactionOptions: { path: '/', httpOnly: true, secure, sameSite: 'lax', maxAge: 600 } as const,
    /** Clearing a `__Host-` cookie needs Secure and Path=/ too, or browsers ignore the deletion. */
    clearOptions: { path: '/', secure } as const,
  };
}

/** The loud start-up message when the demo identity providers run in production. */
export function devIdpWarning(config: Config): string | undefined {
  if (!config.auth.devIdpForced) return undefined;
  return (
    '!!! WARNING: the EMBEDDED DEMO IDENTITY PROVIDERS are ENABLED with NODE_ENV=production (DEV_IDP_FORCE=true). ' +
    'Anyone can sign in as any demo identity. Never do this on a platform holding real data. !!!'
  );
}

/**
 * The authentication kernel: security headers, sessions and API keys resolved into
 * `request.actor` on every request, CSRF check of browser mutations, route policy enforcement,
 * `Cache-Control: no-store` on everything personal. Registered before the feature modules.
 * `ecps`: the e-CPS accounts the development identity provider signs in (the e-CPS module's, given
 * by the app: the kernel does not import modules).
 */
export async function registerAuth(app: FastifyInstance, ctx: AppContext, options: { ecps?: EcpsAccounts } = {}): Promise<void> {
  const { config } = ctx;
  const cookies = cookieSettings(config);
  const sessions = createSessionStore(ctx);
  await listenForAuthChanges(app, ctx, sessions);
  const apiKeys = createApiKeyService(ctx);
  const local = injectFetch(app);
  const relyingParty = createRelyingParty(ctx, {
    fetchFor: (p) => {
      const base = p.embedded ? local : fetch;
      return ctx.oidcFetch ? ctx.oidcFetch(base) : p.embedded ? base : undefined;
    },
  });

  await app.register(fastifyCookie);
  const issuerOrigins = Object.values(config.auth.providers)
    .filter((p) => p.issuer && !p.embedded)
    .map((p) => new URL(p.issuer!).origin);
  const securityHeaders = headersOf(
    helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // The DSFR sets a few inline styles (and React style props): no inline script, though.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'", ...issuerOrigins],
        ...(config.auth.secureCookies ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: config.auth.secureCookies ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  }),
  );
  // Answers that are data (JSON, FHIR, files), never a page: the headers OWASP's REST Security
  // Cheat Sheet gives every API answer, the document policy's HTML-only ones left out.
  const dataHeaders: Record<string, string> = {
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    ...(securityHeaders['strict-transport-security'] ? { 'strict-transport-security': securityHeaders['strict-transport-security'] } : {}),
  };
  app.addHook('onRoute', (route) => {
    if (route.helmet === false) route.config = { ...route.config, noSecurityHeaders: true };
  });
  app.decorateRequest<FastifyContextConfig | undefined>('routeConfig', undefined);
  app.addHook('onRequest', (request, reply, done) => {
    request.routeConfig = request.routeOptions.config;
    if (!request.routeConfig?.noSecurityHeaders) reply.headers(answersData(request.url) ? dataHeaders : securityHeaders);
    done();
  });

  let devIdp: DevIdp | undefined;
  if (config.auth.devIdp) {
    devIdp = await mountDevIdp(app, config, options.ecps ? { ecps: options.ecps } : {});
    const warning = devIdpWarning(config);
    if (warning) app.log.warn({ event: 'auth.dev_idp_forced' }, warning);
  }

  app.decorate('auth', {
    sessions,
    apiKeys,
    relyingParty,
    cookies,
    loginLimiter: app.createRateLimit({
      timeWindow: 60_000,
      max: config.auth.loginRateLimitPerMinute,
      keyGenerator: (request) => `login:${normalizeIP(request.ip)}`,
    }),
    devIdp,
  } satisfies AuthKernel);
  app.decorateRequest<Actor | null>('actor', null);

  const clearSession = (reply: FastifyReply) => {
    reply.clearCookie(cookies.session, cookies.clearOptions);
    reply.clearCookie(cookies.csrf, cookies.clearOptions);
  };

  app.addHook('onRequest', async (request, reply) => {
    let actor: Actor = anonymous;
    request.actor = actor;
    if (request.url.startsWith('/dev-idp/')) return;
    // The scraper's bearer is METRICS_TOKEN, not an API key (and no session is opened for it).
    if (request.routeConfig?.policy === 'metrics') {
      if (metricsTokenMatches(request.headers.authorization, config.metricsToken)) return;
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw new UnauthenticatedError('Les métriques sont réservées au collecteur muni du jeton de supervision.');
    }

    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      const machine = match ? await apiKeys.authenticate(match[1]!, { recheckedByRoute: request.routeConfig?.apiKeyRecheckedByRoute === true }) : undefined;
      if (!machine) {
        reply.header('www-authenticate', 'Bearer error="invalid_token"');
        throw new InvalidApiKeyError();
      }
      actor = machine;
    } else {
      const token = request.cookies[cookies.session];
      if (token) {
        const person = await sessions.resolve(token);
        if (person) actor = person;
        else clearSession(reply);
      }
    }
    request.actor = actor;

    // Double submit bound to the session: the token is stored with the session, the browser
    // echoes it in a header a cross-site form or image cannot set.
    if (actor.kind === 'person' && mutatingMethods.has(request.method)) {
      const given = request.headers[csrfHeader];
      if (typeof given !== 'string' || !safeEqual(given, actor.csrfToken)) throw new CsrfError();
    }

    const policy = request.routeConfig?.policy;
    if (!policy || policy === 'public') return;
    if (policy === 'authenticated') {
      if (actor.kind === 'person') return;
      if (actor.kind === 'machine') throw new ForbiddenError('Cette opération est réservée aux personnes connectées.');
      throw new UnauthenticatedError();
    }
    const scope = policy.slice('machine:'.length);
    if (actor.kind !== 'machine') {
      reply.header('www-authenticate', `Bearer scope="${scope}"`);
      throw new UnauthenticatedError('Cette opération est réservée aux clients techniques munis d’une clé d’API.');
    }
    if (!actor.scopes.includes(scope)) throw new InsufficientScopeError(scope);
  });

  app.addHook('onSend', (request, reply, payload, done) => {
    // A person's change (a revocation, a habilitation, a logout…) is committed by now: this
    // instance forgets its cached sessions before answering, so its next request never waits for
    // the change's notification to come back (other instances drop theirs when it arrives).
    // Routes that change none of these say so (`keepsSessionCache`: the register wizard's steps).
    if (mutatingMethods.has(request.method) && (request.actor as Actor | null)?.kind === 'person' && request.routeConfig?.keepsSessionCache !== true) {
      sessions.cache.localChange();
    }
    const type = String(reply.getHeader('content-type') ?? '');
    const personal = (request.actor as Actor | null)?.kind !== undefined && request.actor.kind !== 'anonymous';
    // HTML too: the web app's pages must not come back from a cache (back button after logout).
    if (personal || request.url.startsWith('/auth/') || request.url.startsWith('/api/session') || type.startsWith('text/html')) {
      reply.header('cache-control', 'no-store');
    }
    done(null, payload);
  });
}

/**
 * Feeds the session cache with the change notifications of the database (its dedicated LISTEN
 * connection on PostgreSQL, in-process on PGlite). Without a way to listen (PGlite not given) or
 * with SESSION_CACHE_SECONDS=0 the cache stays off: every request reads its session.
 */
async function listenForAuthChanges(app: FastifyInstance, ctx: AppContext, sessions: SessionStore): Promise<void> {
  if (ctx.config.auth.sessionCacheMs <= 0) return;
  const { cache } = sessions;
  await listenWhileRunning(app, { databaseUrl: ctx.config.databaseUrl, pglite: ctx.pglite }, {
    event: 'auth',
    what: 'session cache',
    onNotification: cache.notified,
    onListening: cache.setListening,
  });
}
