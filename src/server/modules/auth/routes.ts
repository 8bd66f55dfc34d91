import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../auth/actor.ts';
import { ForbiddenError, TooManyLoginAttemptsError } from '../../auth/errors.ts';
import { can } from '../../auth/policy.ts';
import { SignInError } from '../../auth/relying-party.ts';
import type { AppContext } from '../../context.ts';
import { problemSchema } from '../../http/problem.ts';
import {
  apiKeySummary,
  createApiKeyBody,
  createdApiKey,
  loginQuery,
  logoutResult,
  providerParam,
  sessionInfo,
} from './schemas.ts';

/** Where the web app explains a failed sign-in, in French (src/web/features/auth). */
export const signInErrorPath = '/connexion/erreur';

function requireOperator(actor: Actor): void {
  if (!can(actor, 'api-key.manage')) throw new ForbiddenError('Seuls les opérateurs de l’ANS gèrent les clés d’API.');
}

const sessionSecurity = [{ sessionCookie: [] }];

/** Sign-in with Pro Santé Connect / FranceConnect (browser routes under /auth). */
export const authBrowserRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { relyingParty, sessions, cookies, loginLimiter } = app.auth;

  /** Counts a sign-in step in the client's budget; past it: 429 with Retry-After. */
  async function checkLoginRate(request: FastifyRequest, reply: FastifyReply) {
    const r = await loginLimiter(request);
    if (r.isAllowed || !r.isExceeded) return;
    reply.header('retry-after', Math.max(1, r.ttlInSeconds));
    throw new TooManyLoginAttemptsError();
  }
  const providers = ctx.config.auth.providers;

  app.get(
    '/:provider/login',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Start a sign-in: redirects to the identity provider',
        params: providerParam,
        querystring: loginQuery,
      },
    },
    async (request, reply) => {
      await checkLoginRate(request, reply);
      const { provider } = request.params;
      try {
        const { url, transaction } = await relyingParty.start(provider, request.query.retour);
        reply.setCookie(cookies.transaction, transaction, cookies.transactionOptions);
        return reply.redirect(url, 302);
      } catch (err) {
        if (!(err instanceof SignInError)) throw err;
        request.log.warn({ event: 'auth.sign_in_failed', provider, reason: err.reason }, 'auth.sign_in_failed');
        return reply.redirect(`${signInErrorPath}?raison=${err.reason}`, 302);
      }
    },
  );

  app.get(
    '/:provider/callback',
    {
      config: { policy: 'public' },
      schema: { tags: ['auth'], summary: 'Redirect URI of the identity provider', params: providerParam },
    },
    async (request, reply) => {
      await checkLoginRate(request, reply);
      const { provider } = request.params;
      const callbackUrl = new URL(providers[provider].redirectUri);
      callbackUrl.search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      const transaction = request.cookies[cookies.transaction];
      reply.clearCookie(cookies.transaction, cookies.clearOptions);
      try {
        const result = await relyingParty.finish(provider, callbackUrl, transaction);
        const session = await sessions.create(
          { accountId: result.accountId, provider, idToken: result.idToken, identity: result.identity },
          request.cookies[cookies.session],
        );
        const maxAge = Math.floor(ctx.config.auth.sessionAbsoluteMs / 1000);
        reply.setCookie(cookies.session, session.token, cookies.sessionOptions(maxAge));
        reply.setCookie(cookies.csrf, session.csrfToken, cookies.csrfOptions(maxAge));
        request.log.info({ event: 'auth.signed_in', provider }, 'auth.signed_in');
        void sessions.purgeExpired().catch(() => {});
        return reply.redirect(result.returnTo, 303);
      } catch (err) {
        if (!(err instanceof SignInError)) throw err;
        const cause = err.cause as { code?: string } | undefined;
        request.log.warn({ event: 'auth.sign_in_failed', provider, reason: err.reason, code: cause?.code }, 'auth.sign_in_failed');
        return reply.redirect(`${signInErrorPath}?raison=${err.reason}`, 303);
      }
    },
  );

  app.post(
    '/logout',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign out: ends the session server-side; the browser then goes to the provider’s logout',
        headers: z.object({ 'x-csrf-token': z.string().optional() }),
        response: { 200: logoutResult, 403: problemSchema },
      },
    },
    async (request, reply) => {
      const actor = request.actor;
      reply.clearCookie(cookies.session, cookies.clearOptions);
      reply.clearCookie(cookies.csrf, cookies.clearOptions);
      if (actor.kind !== 'person') return { redirectTo: providers.psc.postLogoutRedirectUri };
      const stored = await sessions.identity(actor.sessionId);
      await sessions.destroy(actor.sessionId);
      request.log.info({ event: 'auth.signed_out', provider: actor.provider }, 'auth.signed_out');
      return { redirectTo: await relyingParty.logoutUrl(actor.provider, stored?.idToken ?? null) };
    },
  );
};

/** Who am I, and API keys for machine clients (under /api). */
export const authApiRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app) => {
  const { sessions, apiKeys } = app.auth;

  app.get(
    '/session',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'The caller: anonymous, a signed-in person (with the CSRF token) or a machine client',
        response: { 200: sessionInfo },
      },
    },
    async (request) => {
      const actor = request.actor;
      if (actor.kind === 'machine') return { kind: 'machine' as const, name: actor.name, scopes: actor.scopes, ejFiness: actor.ejFiness };
      if (actor.kind === 'anonymous') return { kind: 'anonymous' as const };
      const stored = await sessions.identityOf(actor);
      return {
        kind: 'person' as const,
        provider: actor.provider,
        idnps: actor.idnps,
        familyName: actor.familyName,
        givenName: actor.givenName,
        roles: actor.roles,
        csrfToken: actor.csrfToken,
        identity: stored?.identity ?? {},
      };
    },
  );

  app.get(
    '/api-keys',
    {
      config: { policy: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'API keys of machine clients (ANS operators)',
        security: sessionSecurity,
        response: { 200: z.object({ items: z.array(apiKeySummary) }), 401: problemSchema, 403: problemSchema },
      },
    },
    async (request) => {
      requireOperator(request.actor);
      return { items: await apiKeys.list() };
    },
  );

  app.post(
    '/api-keys',
    {
      config: { policy: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Create an API key (the key is returned once, only its hash is stored)',
        security: sessionSecurity,
        body: createApiKeyBody,
        response: { 201: createdApiKey, 400: problemSchema, 401: problemSchema, 403: problemSchema },
      },
    },
    async (request, reply) => {
      requireOperator(request.actor);
      const actor = request.actor;
      const created = await apiKeys.create({
        ...request.body,
        createdBy: actor.kind === 'person' ? actor.accountId : null,
      });
      request.log.info({ event: 'api_key.created', apiKeyId: created.apiKey.id }, 'api_key.created');
      return reply.code(201).send(created);
    },
  );

  app.delete(
    '/api-keys/:id',
    {
      config: { policy: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Revoke an API key, with immediate effect',
        security: sessionSecurity,
        params: z.object({ id: z.uuid() }),
        response: { 204: z.null(), 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      requireOperator(request.actor);
      await apiKeys.revoke(request.params.id);
      request.log.info({ event: 'api_key.revoked', apiKeyId: request.params.id }, 'api_key.revoked');
      return reply.code(204).send(null);
    },
  );
};
