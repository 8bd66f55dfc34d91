import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActorOf } from '../../audit.ts';
import type { AppContext } from '../../context.ts';
import { fastSuccessSerializerCompiler } from '../../http/fast-serializer.ts';
import { problemSchema } from '../../http/problem.ts';
import { ForbiddenError } from '../../auth/errors.ts';
import { scopeOf } from '../../auth/policy.ts';
import type { Actor } from '../../auth/actor.ts';
import { createAuditWriter } from '../../audit.ts';
import { createAccessDecisionService } from './decisions.ts';
import { dmpOpening } from './dmp-opening.ts';
import { createProfessionalAccessService } from './professional.ts';
import {
  accessMatrix,
  accessMatrixQuery,
  batchRequest,
  batchResponse,
  decisionAnswer,
  decisionRequest,
  matrixPublication,
  matrixVersion,
  myAccessOrNone,
  mssanteEligibility,
  rppsParams,
} from './schemas.ts';
import { createAccessMatrixService } from './service.ts';

/** Who acts, for the audit trail: the API key or the signed-in account, never a name. */
const callerOf = (actor: Actor, requestId: string) => ({ ...auditActorOf(actor), requestId, apiKeyId: actor.kind === 'machine' ? actor.apiKeyId : undefined });

export const accessRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const matrices = createAccessMatrixService(ctx);
  // Decisions' audit rows are group-committed (several requests, one INSERT); written out at close.
  const auditWriter = createAuditWriter(ctx.db);
  const decisions = createAccessDecisionService({ ...ctx, audit: auditWriter });
  // At close: the lookups in flight end, then their decisions' audit rows are written.
  app.addHook('onClose', async () => {
    await decisions.close();
    await auditWriter.close();
  });
  const professionals = createProfessionalAccessService(ctx);

  app.get(
    '/access-matrix',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['access'],
        summary: 'The role → DMP document types matrix in force on a date',
        querystring: accessMatrixQuery,
        response: { 200: accessMatrix, 400: problemSchema, 404: problemSchema },
      },
    },
    async (request) => {
      const matrix = await matrices.describe(request.query.on);
      return { ...matrix, dmpOpening: dmpOpening(ctx.config, matrix.on) };
    },
  );

  app.get(
    '/access-matrix/versions',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['access'],
        summary: 'Every published version of the access matrix with its effective date',
        response: { 200: z.object({ items: z.array(matrixVersion) }) },
      },
    },
    async () => ({ items: await matrices.versions() }),
  );

  app.post(
    '/access-matrix',
    {
      config: { policy: 'authenticated' },
      schema: {
        tags: ['access'],
        summary: 'Publish a new version of the matrix with its effective date (ANS operators)',
        body: matrixPublication,
        response: { 201: matrixVersion, 400: problemSchema, 403: problemSchema, 409: problemSchema },
      },
    },
    async (request, reply) => {
      // National reference data: ANS operators only (src/server/auth/policy.ts, national scope).
      if (!scopeOf(request.actor).all) throw new ForbiddenError('Seul un opérateur de l’ANS peut publier la matrice d’accès.');
      const version = await matrices.publish(callerOf(request.actor, request.id), request.body);
      request.log.info({ event: 'access-matrix.published', versionId: version.id, effectiveFrom: version.effectiveFrom }, 'access-matrix.published');
      return reply.code(201).send(version);
    },
  );

  app.post(
    '/access-decisions',
    {
      // The key's validity is checked again by the decision's own query (decisions.ts).
      config: { policy: 'machine:access:decide', apiKeyRecheckedByRoute: true },
      // The answer is written by fast-json-stringify from the zod schema (issue 18), problems as everywhere.
      serializerCompiler: fastSuccessSerializerCompiler,
      schema: {
        tags: ['access'],
        summary: 'May this professional read this DMP document type (now or on a date), and through which structure?',
        description:
          'Every active situation of the person counts (union of the rights of their roles), with the matrix version in force on the date. ' +
          'Bad identifier or document type: 400; unknown professional: 404. Audited.',
        security: [{ apiKey: [] }],
        body: decisionRequest,
        response: { 200: decisionAnswer, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
    },
    async (request) => decisions.decideOne(callerOf(request.actor, request.id), request.body),
  );

  app.post(
    '/access-decisions/batch',
    {
      config: { policy: 'machine:access:decide', apiKeyRecheckedByRoute: true },
      serializerCompiler: fastSuccessSerializerCompiler,
      schema: {
        tags: ['access'],
        summary: 'Up to 1,000 access decisions in one call',
        description: 'Each item answers the question at the same index, or carries its error (bad identifier, unknown person…). One audit entry per call lists every question and answer.',
        security: [{ apiKey: [] }],
        body: batchRequest,
        response: { 200: batchResponse, 400: problemSchema, 401: problemSchema, 403: problemSchema },
      },
    },
    async (request) => {
      const result = await decisions.decideBatch(callerOf(request.actor, request.id), request.body.questions);
      request.log.info({ event: 'access.decided', ...result.counts }, 'access.decided');
      return result;
    },
  );

  app.get(
    '/professionals/:rpps/mssante',
    {
      config: { policy: 'authenticated' },
      schema: {
        tags: ['access'],
        summary: 'MSSanté eligibility of a professional (himself, staff of his structures, ANS operators)',
        params: rppsParams,
        response: { 200: mssanteEligibility, 400: problemSchema, 401: problemSchema, 404: problemSchema },
      },
    },
    async (request) => professionals.mssante(request.actor, request.params.rpps),
  );

  app.get(
    '/mssante/eligibility/:rpps',
    {
      config: { policy: 'machine:mssante:read' },
      schema: {
        tags: ['access'],
        summary: 'MSSanté eligibility of a professional, for MSSanté operators (API key)',
        security: [{ apiKey: [] }],
        params: rppsParams,
        response: { 200: mssanteEligibility, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
    },
    async (request) => professionals.mssante(request.actor, request.params.rpps),
  );

  app.get(
    '/me/access',
    {
      config: { policy: 'authenticated' },
      schema: {
        tags: ['access'],
        summary: 'The signed-in professional’s e-CPS, roles, readable DMP document types and MSSanté eligibility; `{ registered: false }` for a person no record carries',
        response: { 200: myAccessOrNone, 401: problemSchema, 404: problemSchema },
      },
    },
    async (request) => professionals.mine(request.actor),
  );
};
