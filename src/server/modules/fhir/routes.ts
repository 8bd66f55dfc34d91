import { randomUUID } from 'node:crypto';
import { parse as parseQueryString } from 'node:querystring';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type FastifyPluginAsyncZod, hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors.ts';
import { publicRateLimitHook, tooManyRequestsDetail } from '../../http/rate-limit.ts';
import { capabilityStatement } from './capability.ts';
import { checkAccept, checkFormatParam } from './format.ts';
import { FhirError, operationOutcome } from './outcome.ts';
import type { ResourceType } from './resources.ts';
import { parseElements, type RawParams, searchParams } from './search.ts';
import { createFhirReadCache, listenForDirectoryChanges } from './read-cache.ts';
import { createFhirService } from './service.ts';

export const fhirContentType = 'application/fhir+json; charset=utf-8';

const paramValue = z.union([z.string(), z.array(z.string())]);
/** Any parameters (FHIR ones such as `_format`, `_count`, `_include` are read by the search). */
const searchQuery = z.object({}).catchall(paramValue).describe('FHIR search parameters (see GET /fhir/metadata)');
/**
 * The search parameters of a type, one by one in the OpenAPI document (a bare record listed JSON
 * Schema keywords as parameters there); unknown ones still pass to the search, which ignores them
 * or, with `Prefer: handling=strict`, refuses them.
 */
const searchQueryOf = (type: ResourceType) =>
  z
    .object(Object.fromEntries(Object.entries(searchParams[type]).map(([name, def]) => [name, paramValue.optional().describe(def.documentation)])))
    .catchall(paramValue)
    .describe('FHIR search parameters (see GET /fhir/metadata)');
const idParams = z.object({ id: z.string().max(200).describe('Logical id') });

function sendFhir(reply: FastifyReply, status: number, body: unknown) {
  return reply.code(status).type(fhirContentType).send(JSON.stringify(body));
}

function sendOutcome(reply: FastifyReply, err: FhirError) {
  return sendFhir(reply, err.status, operationOutcome('error', err.issueCode, err.diagnostics, err.expression));
}

/** Router errors (malformed percent-encoding, over-long segment) under /fhir, as OperationOutcomes. */
export function fhirFrameworkError(error: FastifyError, reply: FastifyReply) {
  return error.code === 'FST_ERR_MAX_PARAM_LENGTH'
    ? sendOutcome(reply, new FhirError(414, 'invalid', 'Un élément de l’adresse est trop long.'))
    : sendOutcome(reply, new FhirError(400, 'invalid', 'L’adresse demandée est mal formée (encodage des caractères non valide).'));
}

/** `Prefer: handling=strict` makes unknown search parameters an error (FHIR R4 search §3.1.1.4.1). */
const isStrict = (request: FastifyRequest) => /(^|[,;\s])handling\s*=\s*strict\b/i.test(String(request.headers.prefer ?? ''));

/**
 * The FHIR R4 API of the public directory (ANS Annuaire Santé v2, as-dp-* profiles), read-only.
 * Its own error and not-found handlers: under /fhir every error is an OperationOutcome.
 */
export const fhirRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const baseUrl = `${ctx.config.publicUrl}/fhir`;
  // Public reads: from the replica when there is one (docs/operations.md#read-replica).
  // Reads by id: kept in memory while this instance listens to the directory's changes (read-cache.ts);
  // with a cache, what is kept is read from the primary, which sends the notifications.
  const readCache = ctx.config.fhirReadCacheEntries > 0 ? createFhirReadCache(ctx.config.fhirReadCacheEntries) : undefined;
  const fhir = createFhirService({ db: ctx.readDb ?? ctx.db, clock: ctx.clock, baseUrl, readCache, lookupDb: readCache ? ctx.db : undefined });
  if (readCache) await listenForDirectoryChanges(app, ctx, readCache);

  // POST [base]/<type>/_search sends the parameters as a form (FHIR R4 §3.1.1.1).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
    done(null, parseQueryString(body as string));
  });

  // Per-client budget of the public directory; past it, 429 OperationOutcome `throttled`.
  app.addHook(
    'onRequest',
    publicRateLimitHook(app, (reply, state) => sendOutcome(reply, new FhirError(429, 'throttled', tooManyRequestsDetail(state)))),
  );

  // One format for every interaction (metadata, read, search): JSON, else 406 (format.ts).
  app.addHook('preValidation', (request, _reply, done) => {
    checkAccept(request.headers.accept);
    checkFormatParam((request.query as Record<string, string | string[] | undefined> | undefined)?._format);
    done();
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof FhirError) return sendOutcome(reply, error);
    // The auth kernel's refusals (401 invalid API key…) keep their status, as an OperationOutcome.
    if (error instanceof DomainError && error.status < 500) {
      const code = error.status === 401 ? 'login' : error.status === 403 ? 'forbidden' : 'invalid';
      return sendOutcome(reply, new FhirError(error.status, code, error.detail));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      return sendOutcome(reply, new FhirError(400, 'invalid', 'Paramètres de requête non valides.'));
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendOutcome(reply, new FhirError(415, 'not-supported', 'Envoyez les paramètres en application/x-www-form-urlencoded.'));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendOutcome(reply, new FhirError(error.statusCode, 'invalid', 'La requête ne peut pas être traitée.'));
    }
    const correlationId = randomUUID();
    request.log.error({ err: error, correlationId }, 'fhir.request_failed');
    return sendOutcome(reply, new FhirError(500, 'exception', `Erreur inattendue (référence ${correlationId}).`));
  });

  app.setNotFoundHandler((request, reply) => {
    const known = /^\/fhir\/(Practitioner|PractitionerRole|Organization)(\/[^/?]+)?\/?(\?|$)/.test(request.url) || /^\/fhir\/metadata(\?|$)/.test(request.url);
    if (known && request.method !== 'GET' && request.method !== 'HEAD') {
      return sendOutcome(reply, new FhirError(405, 'not-supported', `Méthode ${request.method} non prise en charge : l’annuaire est en lecture seule.`));
    }
    return sendOutcome(reply, new FhirError(404, 'not-found', 'Type de ressource ou adresse inconnus (voir /fhir/metadata).'));
  });

  app.get(
    '/metadata',
    {
      config: { policy: 'public' },
      schema: { tags: ['fhir'], summary: 'CapabilityStatement of the FHIR directory API', querystring: searchQuery },
    },
    async (_request, reply) => sendFhir(reply, 200, capabilityStatement(baseUrl, '2026-11-23')),
  );

  const types: ResourceType[] = ['Practitioner', 'PractitionerRole', 'Organization'];
  for (const type of types) {
    const search = async (request: FastifyRequest, reply: FastifyReply, params: RawParams) => {
      const bundle = await fhir.search(type, params, isStrict(request));
      return sendFhir(reply, 200, bundle);
    };

    app.get(
      `/${type}`,
      {
        config: { policy: 'public' },
        schema: { tags: ['fhir'], summary: `Search ${type} (Bundle searchset, keyset paging with next links)`, querystring: searchQueryOf(type) },
      },
      async (request, reply) => search(request, reply, request.query),
    );

    app.post(
      `/${type}/_search`,
      {
        config: { policy: 'public' },
        schema: {
          tags: ['fhir'],
          summary: `Search ${type} with form-encoded parameters`,
          querystring: searchQueryOf(type),
          body: searchQueryOf(type).optional(),
        },
      },
      async (request, reply) => {
        const merged: RawParams = { ...request.query };
        for (const [k, v] of Object.entries(request.body ?? {})) {
          if (v === undefined) continue;
          const before = merged[k];
          merged[k] = before === undefined ? v : [...(Array.isArray(before) ? before : [before]), ...(Array.isArray(v) ? v : [v])];
        }
        return search(request, reply, merged);
      },
    );

    app.get(
      `/${type}/:id`,
      {
        config: { policy: 'public' },
        schema: { tags: ['fhir'], summary: `Read a ${type} (ETag, If-None-Match → 304)`, params: idParams, querystring: searchQuery },
      },
      async (request, reply) => {
        const elements = request.query._elements;
        if (Array.isArray(elements)) throw new FhirError(400, 'invalid', 'Le paramètre _elements ne peut être donné qu’une fois.', '_elements');
        const { body, etag, lastModified } = await fhir.readResponse(type, request.params.id, elements === undefined ? null : parseElements(elements));
        reply.header('etag', etag);
        if (lastModified) reply.header('last-modified', lastModified);
        const ifNoneMatch = request.headers['if-none-match'];
        if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim() === etag || t.trim() === etag.slice(2) || t.trim() === '*')) {
          return reply.code(304).send();
        }
        return reply.code(200).type(fhirContentType).send(body);
      },
    );
  }
};
