import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { registerAuth } from './auth/plugin.ts';
import type { AppContext } from './context.ts';
import { requireRoutePolicies } from './http/policy.ts';
import { limitJsonDepth, refuseNulCharacters } from './http/input.ts';
import { clientErrorProblem, frameworkErrorProblem, registerProblemHandlers, sendProblem } from './http/problem.ts';
import { createMetrics, registerHttpMetrics } from './http/metrics.ts';
import { registerPublicRateLimit } from './http/rate-limit.ts';
import { createSimulatedEcps } from './modules/ecps/service.ts';
import { fhirFrameworkError } from './modules/fhir/routes.ts';
import { modules } from './modules/index.ts';

z.config(z.locales.fr());

/**
 * A stable `operationId` for each operation of the OpenAPI document, which client generators and
 * API linters expect: the method, then the path's words, a parameter as `By<Name>`
 * (`GET /api/register/drafts/:id` → `getApiRegisterDraftsById`).
 */
export function operationIdOf(method: string | string[], url: string): string {
  const words = url.split('/').filter(Boolean).flatMap((segment) => {
    const param = segment.startsWith(':');
    const parts = segment.replace(/^:/, '').split(/[^A-Za-z0-9]+/).filter(Boolean);
    return parts.map((w, i) => (param && i === 0 ? 'By' : '') + w.charAt(0).toUpperCase() + w.slice(1));
  });
  return (Array.isArray(method) ? method.join('') : method).toLowerCase() + words.join('');
}

/** Paths whose values are personal data: never written to logs. */
export const redactedLogPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.email',
  '*.phone',
  '*.mobile',
  '*.birthName',
  '*.usageName',
  '*.firstNames',
  '*.birthDate',
  '*.birthPlace',
];

/** The OAuth `code` and `state` of a sign-in callback are credentials: never logged (issue 15). */
export const loggedUrl = (url: string) => url.replace(/^(\/auth\/[^/?#]+\/callback\/?)\?.*$/s, '$1?[redacted]');

const requestSerializer = (req: FastifyRequest) => ({
  method: req.method,
  url: loggedUrl(req.url),
  version: req.headers['accept-version'] as string | undefined,
  host: req.host,
  remoteAddress: req.ip,
  remotePort: req.socket?.remotePort,
});

const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

export interface BuildAppOptions {
  /** Directory of the built web app; served when it exists. */
  webDir?: string;
  logger?: boolean;
}

export async function buildApp(given: AppContext, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const ctx: AppContext = { ...given, metrics: given.metrics ?? createMetrics() };
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : { level: ctx.config.logLevel, redact: { paths: redactedLogPaths, censor: '[redacted]' }, serializers: { req: requestSerializer } },
    bodyLimit: ctx.config.bodyLimitBytes,
    requestTimeout: ctx.config.requestTimeoutMs,
    // TRUST_PROXY: a hop count trusts that many proxies in front of us (docs/directory-and-fhir.md).
    trustProxy: typeof ctx.config.trustProxy === 'number' ? trustHops(ctx.config.trustProxy) : ctx.config.trustProxy,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true },
    // Malformed or over-long URLs, refused by the router before any route (and its hooks): problems too.
    frameworkErrors: (error, request, reply) => {
      reply.header('x-request-id', request.id);
      return /^\/fhir(\/|\?|$)/.test(request.url) ? fhirFrameworkError(error, reply) : frameworkErrorProblem(error, request, reply);
    },
    // Requests Node's HTTP parser refuses before any route: problems too.
    clientErrorHandler: clientErrorProblem,
    // An HTTP/1.1 request without Host is refused below, as a problem (Node's own answer is a bare 400).
    http: { requireHostHeader: false },
  }).withTypeProvider<ZodTypeProvider>();

  // The kernel's hooks that wait for nothing take a callback: an async hook costs every request a
  // promise and a turn of the microtask queue (docs/performance.md, "Sixth round").
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    const { httpVersionMajor, httpVersionMinor } = request.raw;
    if (request.headers.host === undefined && httpVersionMajor === 1 && httpVersionMinor >= 1) {
      return sendProblem(reply, 400, 'malformed-request', 'La requête HTTP est mal formée : l’en-tête Host est obligatoire.');
    }
    done();
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  registerHttpMetrics(app, ctx.metrics!);
  const problems = registerProblemHandlers(app);
  requireRoutePolicies(app);
  refuseNulCharacters(app);
  limitJsonDepth(app);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'RPPS+ API',
        version: '0.1.0',
        description:
          'API of RPPS+: registration of social and medico-social professionals in the RPPS. ' +
          'Errors are RFC 9457 application/problem+json documents.',
      },
      servers: [{ url: ctx.config.publicUrl }],
      components: {
        securitySchemes: {
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description:
              'Machine clients: `Authorization: Bearer rpps_…` with an API key created by an ANS operator. ' +
              'Keys carry scopes (structures:import, registrations:bulk, directory:read) and can be revoked; ' +
              'only their SHA-256 is stored.',
          },
          sessionCookie: {
            type: 'apiKey',
            in: 'cookie',
            name: 'rpps_session',
            description:
              'Browser session opened by signing in with Pro Santé Connect or FranceConnect (/auth/{provider}/login). ' +
              'POST/PUT/PATCH/DELETE also need the `x-csrf-token` header (token from GET /api/session). ' +
              'Over https the cookie is named __Host-rpps_session.',
          },
        },
      },
    },
    transform: (input) => {
      const out = jsonSchemaTransform(input);
      return { ...out, schema: { operationId: operationIdOf(input.route.method, input.url), ...out.schema } };
    },
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  // Before the auth kernel: its sign-in limiter is made with @fastify/rate-limit too.
  await registerPublicRateLimit(app, ctx.config);
  await registerAuth(app, ctx, { ecps: createSimulatedEcps(ctx) });

  for (const mod of modules) {
    await app.register(mod.routes, { prefix: mod.prefix, ctx });
  }

  const webDir = options.webDir;
  const hasWeb = webDir !== undefined && fs.existsSync(path.join(webDir, 'index.html'));
  const favicon = 'dsfr/favicon/favicon.ico';
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: false,
      index: false,
      preCompressed: true,
      // Vite's chunks carry a hash of their content: a browser may keep them for good.
      setHeaders: (reply, filePath) => {
        if (filePath.startsWith(path.join(webDir, 'assets') + path.sep)) reply.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });
  }

  app.setNotFoundHandler((request, reply) => {
    const pathname = request.url.split('?')[0] ?? '/';
    const isApi = /^\/(api|fhir|health|dev-idp|auth)(\/|$)/.test(pathname);
    // A file that does not exist (an old chunk after a deployment, robots.txt…) is a 404, not the
    // page: served as HTML with 200, a script would fail on its type and a cache would keep it.
    const isFile = /^\/(assets|dsfr)\//.test(pathname) || /\.[A-Za-z0-9]{1,8}$/.test(pathname);
    // Browsers ask for /favicon.ico on their own (a download, a page without the icon links).
    if (pathname === '/favicon.ico' && hasWeb && fs.existsSync(path.join(webDir, favicon)) && (request.method === 'GET' || request.method === 'HEAD')) {
      return reply.sendFile(favicon);
    }
    if (!isApi && !isFile && hasWeb && (request.method === 'GET' || request.method === 'HEAD')) {
      // The single-page app handles its own routes (and shows its own "page introuvable").
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    }
    const allowed = problems.allowedMethods(pathname);
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return sendProblem(reply, 405, 'method-not-allowed', `La méthode ${request.method} n’est pas autorisée sur cette adresse (méthodes acceptées : ${allowed.join(', ')}).`);
    }
    return sendProblem(reply, 404, 'not-found', 'Aucune ressource ne correspond à cette adresse.');
  });

  return app;
}
