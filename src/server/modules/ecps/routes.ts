import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { problemSchema } from '../../http/problem.ts';
import { activationBody, codeSent, ecpsStatus, idnpsBody } from './schemas.ts';
import { createSimulatedEcps } from './service.ts';

/**
 * e-CPS activation (docs/ecps.md). Public: the professional is not signed in yet — the one-time
 * code sent to his registered mobile is what proves him.
 */
export const ecpsRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const ecps = createSimulatedEcps(ctx);

  app.post(
    '/activation/code',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['ecps'],
        summary: 'Send a one-time activation code by SMS to the professional’s registered mobile',
        body: idnpsBody,
        response: { 200: codeSent, 400: problemSchema, 404: problemSchema, 409: problemSchema, 429: problemSchema },
      },
    },
    async (request) => {
      const sent = await ecps.requestActivationCode(request.body.idnps);
      request.log.info({ event: 'ecps.code_sent' }, 'ecps.code_sent');
      return sent;
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
