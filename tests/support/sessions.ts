import type { FastifyInstance } from 'fastify';
import type { Session } from '../../src/server/modules/onboarding/testing.ts';
import { createAgent, csrfOf, signIn } from './auth.ts';

/**
 * More callers for permission tests, with the same `Session` shape as the onboarding module's
 * `sessionFor` (a PSC person) and `anonymousSession`.
 */

/** A browser signed in through the embedded FranceConnect (its session carries the état civil). */
export async function franceConnectSession(app: FastifyInstance, identityKey: string): Promise<Session> {
  const agent = createAgent(app);
  await signIn(agent, 'franceconnect', identityKey, '/pre-enregistrement');
  return {
    idnps: '',
    get: (url) => agent.request('GET', url),
    send: (method, url, payload, headers = {}) =>
      agent.request(method, url, { ...(payload === undefined ? {} : { payload: payload as object }), headers: { 'x-csrf-token': csrfOf(agent), ...headers } }),
  };
}

/** A machine client calling with an API key (`Authorization: Bearer …`). */
export function machineSession(app: FastifyInstance, key: string): Session {
  const authorization = `Bearer ${key}`;
  return {
    idnps: '',
    get: (url) => app.inject({ method: 'GET', url, headers: { authorization } }),
    send: (method, url, payload, headers = {}) =>
      app.inject({ method, url, headers: { authorization, ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) }),
  };
}
