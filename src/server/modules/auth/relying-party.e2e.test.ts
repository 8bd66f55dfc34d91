import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAgent, reachCallback } from '../../../../tests/support/auth.ts';
import { createTestDatabase, fixedClock, type TestDatabase } from '../../../../tests/support/db.ts';
import { buildApp } from '../../app.ts';

/**
 * The relying party refuses every tampered sign-in (issue 4, acceptance 2): each time the
 * browser lands on the French error page and no session exists.
 */
type Tamper = ((claims: Record<string, unknown>) => { claims: Record<string, unknown>; key?: 'unknown' }) | undefined;

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

function resign(idToken: string, claims: Record<string, unknown>, jwk: Record<string, unknown>): string {
  const header = JSON.parse(Buffer.from(idToken.split('.')[0]!, 'base64url').toString());
  const input = `${b64(header)}.${b64(claims)}`;
  const key = createPrivateKey({ key: jwk as never, format: 'jwk' });
  const signature = header.alg === 'ES256' ? sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }) : sign('sha256', Buffer.from(input), key);
  return `${input}.${signature.toString('base64url')}`;
}

describe('relying party rejects tampered sign-ins', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let tamper: Tamper;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp(
      {
        config: database.config,
        db: database.db,
        clock: fixedClock('2026-11-23T10:00:00Z'),
        // Rewrites the ID token of the token endpoint's answer, as a forger would.
        oidcFetch: (inner) =>
          (async (input: string | URL | Request, init?: RequestInit) => {
            const res = await inner(input, init);
            const url = String(input instanceof Request ? input.url : input);
            if (!tamper || !/\/token$/.test(url) || res.status !== 200) return res;
            const body = (await res.json()) as { id_token: string };
            const claims = JSON.parse(Buffer.from(body.id_token.split('.')[1]!, 'base64url').toString());
            const { claims: forged, key } = tamper(claims);
            const alg = JSON.parse(Buffer.from(body.id_token.split('.')[0]!, 'base64url').toString()).alg as string;
            const provider = url.includes('/dev-idp/psc/') ? 'psc' : 'franceconnect';
            const real = app.auth.devIdp!.keys[provider].find((k) => k.alg === alg)!;
            const jwk =
              key === 'unknown'
                ? {
                    ...(alg === 'ES256'
                      ? generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' })
                      : generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' })),
                  }
                : real;
            body.id_token = resign(body.id_token, forged, jwk);
            return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
          }) as typeof fetch,
      },
      { logger: false },
    );
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });
  beforeEach(() => {
    tamper = undefined;
  });

  const sessionCount = async () => (await database.db.selectFrom('session').select('id').execute()).length;

  async function expectRefused(agent: ReturnType<typeof createAgent>, callback: string, reason: string) {
    const before = await sessionCount();
    const res = await agent.request('GET', callback);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/connexion/erreur?raison=${reason}`);
    expect(agent.jar.has('rpps_session')).toBe(false);
    expect(await sessionCount()).toBe(before);
    expect((await agent.request('GET', '/api/session')).json()).toEqual({ kind: 'anonymous' });
  }

  it('a wrong state', async () => {
    const agent = createAgent(app);
    const callback = new URL(await reachCallback(agent, 'psc', 'gestionnaire-ej'));
    callback.searchParams.set('state', 'x'.repeat(43));
    await expectRefused(agent, callback.href, 'state-mismatch');
  });

  it('a replayed authorization code (same callback twice, and old code with a new sign-in)', async () => {
    const agent = createAgent(app);
    const callback = await reachCallback(agent, 'psc', 'gestionnaire-ej');
    const first = await agent.request('GET', callback);
    expect(first.headers.location).toBe('/mon-espace');
    const sessions = await sessionCount();
    await agent.request('POST', '/auth/logout', { headers: { 'x-csrf-token': agent.jar.get('rpps_csrf')! } });
    expect(await sessionCount()).toBe(sessions - 1);
    await expectRefused(agent, callback, 'transaction-missing');

    // A fresh sign-in (new transaction), answered with the old code: the provider refuses it.
    const fresh = new URL(await reachCallback(agent, 'psc', 'gestionnaire-ej'));
    const replay = new URL(callback);
    replay.searchParams.set('state', fresh.searchParams.get('state')!);
    await expectRefused(agent, replay.href, 'code-rejected');
  });

  it('a wrong nonce', async () => {
    tamper = (claims) => ({ claims: { ...claims, nonce: 'n'.repeat(43) } });
    const agent = createAgent(app);
    await expectRefused(agent, await reachCallback(agent, 'franceconnect', 'fc-dubois'), 'nonce-mismatch');
  });

  it('an ID token signed with an unknown key', async () => {
    tamper = (claims) => ({ claims, key: 'unknown' });
    const agent = createAgent(app);
    await expectRefused(agent, await reachCallback(agent, 'psc', 'operateur-ans'), 'invalid-signature');
    const fc = createAgent(app);
    await expectRefused(fc, await reachCallback(fc, 'franceconnect', 'fc-dubois'), 'invalid-signature');
  });

  it('an expired ID token', async () => {
    const now = Math.floor(Date.now() / 1000);
    tamper = (claims) => ({ claims: { ...claims, iat: now - 7200, exp: now - 3600 } });
    const agent = createAgent(app);
    await expectRefused(agent, await reachCallback(agent, 'psc', 'rl-tilleuls'), 'token-expired');
  });

  it('a callback without the sign-in transaction cookie (login CSRF)', async () => {
    const agent = createAgent(app);
    const callback = await reachCallback(agent, 'psc', 'rl-tilleuls');
    agent.jar.delete('rpps_auth_tx');
    await expectRefused(agent, callback, 'transaction-missing');
  });

  it('a sign-in cancelled at the provider', async () => {
    const agent = createAgent(app);
    const start = await agent.request('GET', '/auth/psc/login');
    const page = await agent.follow(start, '/auth/psc/login', (u) => !u.pathname.startsWith('/auth/'));
    const abort = /<form method="post" action="([^"]+\/abort)"/.exec(page.res.body)![1]!;
    const posted = await agent.request('POST', abort, { payload: '', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const end = await agent.follow(posted, abort, (u) => !u.pathname.startsWith('/auth/psc/callback'));
    await expectRefused(agent, new URL(String(end.res.headers.location), end.url).href, 'provider-error');
  });

  it('only local return paths are honoured (no open redirect)', async () => {
    const agent = createAgent(app);
    const callback = await reachCallback(agent, 'psc', 'rl-tilleuls', '//evil.example/x');
    const res = await agent.request('GET', callback);
    expect(res.headers.location).toBe('/mon-espace');
  });
});
