import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import { z } from 'zod';
import { DomainError, type FieldError, problemType } from '../errors.ts';

/** RFC 9457 problem details, as every error of the API is returned. */
export const problemSchema = z
  .object({
    type: z.string().describe('Stable identifier of the problem kind (urn:rpps-plus:problem:<code>)'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().describe('Explanation in French, for the user interface'),
    instance: z.string().optional(),
    correlationId: z.string().optional(),
    errors: z.array(z.object({ pointer: z.string(), detail: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof problemSchema>;

const titles: Record<number, string> = {
  400: 'Requête invalide',
  401: 'Authentification requise',
  403: 'Accès refusé',
  404: 'Ressource introuvable',
  405: 'Méthode non autorisée',
  406: 'Format de réponse non disponible',
  409: 'Conflit',
  413: 'Contenu trop volumineux',
  414: 'Adresse trop longue',
  415: 'Type de contenu non pris en charge',
  422: 'Données non valides',
  429: 'Trop de requêtes',
  500: 'Erreur interne',
  503: 'Service indisponible',
};

export function sendProblem(
  reply: FastifyReply,
  status: number,
  code: string,
  detail: string,
  errors: FieldError[] = [],
  extra: Partial<Problem> = {},
) {
  const body: Problem = {
    type: problemType(code),
    title: titles[status] ?? 'Erreur',
    status,
    detail,
    instance: reply.request.url.split('?')[0],
    ...extra,
  };
  if (errors.length > 0) body.errors = errors;
  return reply.code(status).type('application/problem+json; charset=utf-8').send(body);
}

function pointerOf(context: string | undefined, instancePath: string): string {
  const where = (context ?? 'body').replace(/^querystring$/, 'query');
  return `/${where}${instancePath}`;
}

/**
 * The `frameworkErrors` option of Fastify: errors raised by the router before any route runs
 * (a malformed percent-encoding, a path segment longer than the router accepts) as problems
 * rather than Fastify's English JSON.
 */
export function frameworkErrorProblem(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return sendProblem(reply, 414, 'uri-too-long', 'Un élément de l’adresse est trop long.');
  }
  return sendProblem(reply, 400, 'bad-url', 'L’adresse demandée est mal formée (encodage des caractères non valide).');
}

const clientErrors: Record<string, { status: number; reason: string; code: string; title: string; detail: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: 'Request Timeout', code: 'request-timeout', title: 'Délai dépassé', detail: 'La requête n’est pas arrivée entière à temps.' },
  HPE_HEADER_OVERFLOW: { status: 431, reason: 'Request Header Fields Too Large', code: 'headers-too-large', title: 'En-têtes trop volumineux', detail: 'Les en-têtes de la requête dépassent la taille autorisée.' },
};
const malformedRequest = {
  status: 400,
  reason: 'Bad Request',
  code: 'malformed-request',
  title: 'Requête invalide',
  detail: 'La requête HTTP est mal formée (méthode, en-têtes, longueur ou découpage du corps non valides).',
};

/**
 * The `clientErrorHandler` option of Fastify: a request Node's HTTP parser refuses before Fastify
 * sees it (a control character in a header, two Content-Length, a broken chunked body, headers
 * too large, a body that does not arrive in time) gets a problem in French, as every other error,
 * rather than Fastify's English JSON; then the connection is closed.
 */
export function clientErrorProblem(err: NodeJS.ErrnoException, socket: Duplex) {
  // A connection reset: nobody is left to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const p = clientErrors[err.code ?? ''] ?? malformedRequest;
  if (socket.writable) {
    const body = JSON.stringify({ type: problemType(p.code), title: p.title, status: p.status, detail: p.detail });
    socket.write(
      `HTTP/1.1 ${p.status} ${p.reason}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

/** Maps every error Fastify or a service can raise to a problem+json response. */
export function registerProblemHandlers(app: FastifyInstance) {
  const methods = FindMyWay();
  app.addHook('onRoute', (route) => {
    const list = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of list) {
      if (m === 'HEAD' || methods.hasRoute(m as HTTPMethod, route.url)) continue;
      methods.on(m as HTTPMethod, route.url, () => {});
    }
  });

  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof DomainError) {
      return sendProblem(reply, error.status, error.code, error.detail, error.errors, error.extensions as Partial<Problem> | undefined);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = error.validation.map((v) => ({
        pointer: pointerOf(error.validationContext, v.instancePath),
        detail: v.message ?? 'Valeur non valide.',
      }));
      return sendProblem(reply, 400, 'validation', 'Certaines valeurs envoyées ne sont pas valides.', errors);
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendProblem(reply, 413, 'payload-too-large', 'Le contenu envoyé dépasse la taille maximale autorisée.');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendProblem(reply, 415, 'unsupported-media-type', 'Ce type de contenu n’est pas accepté : envoyez du JSON (application/json).');
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return sendProblem(reply, 400, 'malformed-body', 'Le corps de la requête n’est pas un JSON valide.');
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500 && !isResponseSerializationError(error)) {
      return sendProblem(reply, error.statusCode, 'bad-request', 'La requête ne peut pas être traitée.');
    }
    // Unexpected: log it with a correlation id, tell the user nothing of the internals.
    const correlationId = randomUUID();
    request.log.error({ err: error, correlationId }, 'request.failed');
    return sendProblem(
      reply,
      500,
      'internal',
      `Une erreur inattendue s’est produite. Si elle persiste, contactez le support en indiquant la référence ${correlationId}.`,
      [],
      { correlationId },
    );
  });

  return {
    /** The methods a path answers to, to tell 405 from 404. */
    allowedMethods(path: string): string[] {
      const found: string[] = [];
      for (const m of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const) {
        if (methods.find(m, path)) found.push(m);
      }
      return found;
    },
  };
}
