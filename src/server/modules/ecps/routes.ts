import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { problemSchema } from '../../http/problem.ts';
import { activationBody, codeSent, ecpsStatus, idnpsBody } from './schemas.ts';
import { TooManyActivationCodesError } from './errors.ts';
import { activationCodeLimits, activationCodePolicy, createSimulatedEcps } from './service.ts';

/**
 * e-CPS activation (docs/ecps.md). Public: the professional is not signed in yet — the one-time
 * code sent to his registered mobile is what proves him.
 */
export const ecpsRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const ecps = createSimulatedEcps(ctx);
  /**
   * Limits of the anonymous code request (docs/ecps.md, issue 15), in memory per instance:
   * - per client address: one person or script cannot spray SMS over many professionals;
   * - per identifier as typed (existing or not, so a 429 says nothing about existence): at most
   *   3 SMS to one phone per 15 minutes. A stranger can spend that budget, but only for 15
   *   minutes, and the codes already sent stay valid (a new code voids none).
   */
  const window = activationCodeLimits.windowMinutes * 60_000;
  const perClient = app.createRateLimit({ timeWindow: window, max: activationCodeLimits.perClient, keyGenerator: (r) => `ecps-code:ip:${normalizeIP(r.ip)}` });
  const perIdnps = app.createRateLimit({
    timeWindow: window,
    max: activationCodeLimits.perIdnps,
    keyGenerator: (r) => `ecps-code:idnps:${String((r.body as { idnps?: unknown } | undefined)?.idnps ?? '').replace(/\s+/g, '')}`,
  });
  async function limit(request: FastifyRequest, reply: FastifyReply) {
    for (const limiter of [perClient, perIdnps]) {
      const r = await limiter(request);
      if (r.isAllowed || !r.isExceeded) continue;
      reply.header('retry-after', Math.max(1, r.ttlInSeconds));
      throw new TooManyActivationCodesError(Math.max(1, Math.ceil(r.ttlInSeconds / 60)));
    }
  }

  app.post(
    '/activation/code',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['ecps'],
        summary: 'Send a one-time activation code by SMS to the professional’s registered mobile',
        body: idnpsBody,
        response: { 200: codeSent, 400: problemSchema, 429: problemSchema },
      },
    },
    async (request, reply) => {
      await limit(request, reply);
      const outcome = await ecps.requestActivationCode(request.body.idnps);
      request.log.info({ event: 'ecps.code_requested', outcome }, 'ecps.code_requested');
      return {
        message:
          'Si cet identifiant correspond à une e-CPS en attente d’activation, un code vient d’être envoyé par SMS au mobile enregistré. ' +
          `Il est valable ${activationCodePolicy.ttlMinutes} minutes.`,
        validMinutes: activationCodePolicy.ttlMinutes,
      };
    },
  );

  app.post(
    '/activation',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['ecps'],
        summary: 'Activate the e-CPS with the one-time code',
        body: activationBody,
        response: { 200: ecpsStatus, 400: problemSchema, 404: problemSchema, 409: problemSchema },
      },
    },
    async (request) => {
      const status = await ecps.activate(request.body.idnps, request.body.code);
      request.log.info({ event: 'ecps.activated' }, 'ecps.activated');
      return status;
    },
  );
};
