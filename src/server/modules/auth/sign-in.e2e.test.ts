import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, signIn } from '../../../../tests/support/auth.ts';
import { createTestApp, type TestApp } from '../../../../tests/support/app.ts';

describe('sign-in through the embedded providers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('PSC: an RL with a CDE card signs in and is resolved with his roles', async () => {
    const agent = createAgent(t.app);
    const { res, location } = await signIn(agent, 'psc', 'rl-tilleuls');
    expect(res.statusCode).toBe(303);
    expect(location).toBe('/mon-espace');
    const me = await agent.request('GET', '/api/session');
    expect(me.statusCode).toBe(200);
    expect(me.headers['cache-control']).toBe('no-store');
    const body = me.json();
    expect(body).toMatchObject({
      kind: 'person',
      provider: 'psc',
      idnps: '3690800123/CDE0001',
      familyName: 'DE LA FONTAINE-SAINT-ÉLOI',
      roles: [{ role: 'legal_representative', ejFiness: '690800123', egFiness: null }],
    });
    expect(body.identity).toMatchObject({ authMode: 'CARD', SubjectNameID: '3690800123/CDE0001' });
  });

  it('a return path with characters outside ASCII comes back percent-encoded (was a 500 on the callback)', async () => {
    const { res, location } = await signIn(createAgent(t.app), 'psc', 'rl-tilleuls', '/\u0100?q=é');
    expect([res.statusCode, location]).toEqual([303, '/%C4%80?q=%C3%A9']);
  });

  it('FranceConnect: the pivot identity reaches the session', async () => {
    const agent = createAgent(t.app);
    const { location } = await signIn(agent, 'franceconnect', 'fc-ferreira');
    expect(location).toBe('/mon-espace');
    const body = (await agent.request('GET', '/api/session')).json();
    expect(body).toMatchObject({ kind: 'person', provider: 'franceconnect', idnps: null, givenName: 'João Miguel', roles: [] });
    expect(body.identity).toMatchObject({ birthplace: '', birthcountry: '99139', gender: 'male', birthdate: '1988-02-29' });
  });
});

describe('sign-in attempts are limited per client address', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '3' } });
  });
  afterAll(() => t.close());

  const start = (ip: string) => t.app.inject({ method: 'GET', url: '/auth/psc/login', remoteAddress: ip });

  it('answers 429 problem+json with Retry-After past the limit, without sending the client to the provider', async () => {
    for (let i = 0; i < 3; i++) expect((await start('10.0.0.1')).statusCode).toBe(302);
    const refused = await start('10.0.0.1');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.headers.location).toBeUndefined();
    expect(refused.json()).toMatchObject({ type: 'urn:rpps-plus:problem:too-many-login-attempts', status: 429 });
    // Another client is counted on its own.
    expect((await start('10.0.0.2')).statusCode).toBe(302);
  });
});
