import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, signIn } from '../../../../tests/support/auth.ts';
import { createTestApp, type TestApp } from '../../../../tests/support/app.ts';

describe('CSRF protection of browser sessions (acceptance 3)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const keyCount = async () => (await t.database.db.selectFrom('apiKey').select('id').execute()).length;

  it('refuses a state-changing request without the token, or with another session’s token; nothing changes', async () => {
    const operator = createAgent(t.app);
    await signIn(operator, 'psc', 'operateur-ans');
    const other = createAgent(t.app);
    await signIn(other, 'psc', 'rl-tilleuls');
    const before = await keyCount();
    const body = { name: 'Import FINESS', scopes: ['structures:import'] };

    const attempts: Array<Record<string, string>> = [{}, { 'x-csrf-token': 'forged' }, { 'x-csrf-token': other.jar.get('rpps_csrf')! }];
    for (const headers of attempts) {
      const res = await operator.request('POST', '/api/api-keys', { payload: body, headers });
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().type).toBe('urn:rpps-plus:problem:csrf-token-invalid');
    }
    expect(await keyCount()).toBe(before);

    const logout = await operator.request('POST', '/auth/logout');
    expect(logout.statusCode).toBe(403);
    expect((await operator.request('GET', '/api/session')).json().kind).toBe('person');

    const ok = await operator.request('POST', '/api/api-keys', { payload: body, headers: { 'x-csrf-token': operator.jar.get('rpps_csrf')! } });
    expect(ok.statusCode).toBe(201);
    expect(await keyCount()).toBe(before + 1);
  });

  it('logout kills the session server-side: the old cookie is worthless', async () => {
    const agent = createAgent(t.app);
    await signIn(agent, 'franceconnect', 'fc-dupont');
    const cookie = agent.jar.get('rpps_session')!;
    const out = await agent.request('POST', '/auth/logout', { headers: { 'x-csrf-token': agent.jar.get('rpps_csrf')! } });
    expect(out.statusCode).toBe(200);
    // RP-initiated logout at the provider, with id_token_hint and a state (FranceConnect requires it).
    const redirect = new URL(out.json().redirectTo);
    expect(redirect.pathname).toBe('/dev-idp/franceconnect/session/end');
    expect(redirect.searchParams.get('id_token_hint')).toBeTruthy();
    expect(redirect.searchParams.get('state')!.length).toBeGreaterThanOrEqual(32);
    const replay = createAgent(t.app);
    replay.jar.set('rpps_session', cookie);
    expect((await replay.request('GET', '/api/session')).json()).toEqual({ kind: 'anonymous' });
    expect(await t.database.db.selectFrom('session').select('id').where('accountId', 'in', t.database.db.selectFrom('account').select('id').where('familyName', '=', 'DUPONT')).execute()).toEqual([]);
  });

  it('sets security headers and no-store on personal responses', async () => {
    const agent = createAgent(t.app);
    await signIn(agent, 'psc', 'rl-tilleuls');
    const res = await agent.request('GET', '/api/referential/professions');
    expect(res.headers['cache-control']).toBe('no-store');
    // An API answer is data: the API set (OWASP REST Security Cheat Sheet), no page policy.
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cross-origin-opener-policy']).toBeUndefined();
    const session = agent.jar.get('rpps_session');
    expect(session).toBeTruthy();
    // So is a FHIR answer, found or not.
    for (const url of ['/fhir/metadata', '/fhir/Practitioner/00000000000']) {
      const fhir = await agent.request('GET', url);
      expect(fhir.headers['content-security-policy'], url).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(fhir.headers['x-content-type-options'], url).toBe('nosniff');
    }
    // A page (the API documentation) keeps the document policy.
    const page = await agent.request('GET', '/api/docs/');
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
  });
});

describe('API keys of machine clients (acceptance 6)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      extend: (app) => {
        app.get('/api/test/import-probe', { config: { policy: 'machine:structures:import' } }, async (request) => ({
          caller: request.actor.kind === 'machine' ? request.actor.name : null,
        }));
      },
    });
  });
  afterAll(() => t.close());

  it('a valid key reaches its scope; wrong scope → 403, revoked or unknown → 401; only the hash is stored', async () => {
    const operator = createAgent(t.app);
    await signIn(operator, 'psc', 'operateur-ans');
    const csrf = { 'x-csrf-token': operator.jar.get('rpps_csrf')! };
    const importer = (await operator.request('POST', '/api/api-keys', { payload: { name: 'Import', scopes: ['structures:import'] }, headers: csrf })).json();
    const reader = (await operator.request('POST', '/api/api-keys', { payload: { name: 'Annuaire', scopes: ['directory:read'] }, headers: csrf })).json();
    expect(importer.key).toMatch(/^rpps_[0-9a-f]{12}_/);

    const call = (key: string) => t.app.inject({ url: '/api/test/import-probe', headers: { authorization: `Bearer ${key}` } });
    const ok = await call(importer.key);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ caller: 'Import' });
    expect(ok.headers['cache-control']).toBe('no-store');

    const wrongScope = await call(reader.key);
    expect(wrongScope.statusCode).toBe(403);
    expect(wrongScope.json().type).toBe('urn:rpps-plus:problem:insufficient-scope');

    const none = await t.app.inject({ url: '/api/test/import-probe' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['content-type']).toMatch(/^application\/problem\+json/);

    const unknown = await call(`${importer.key.slice(0, -4)}AAAA`);
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().type).toBe('urn:rpps-plus:problem:invalid-api-key');

    const revoke = await operator.request('DELETE', `/api/api-keys/${importer.apiKey.id}`, { headers: csrf });
    expect(revoke.statusCode).toBe(204);
    const revoked = await call(importer.key);
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().type).toBe('urn:rpps-plus:problem:invalid-api-key');

    // Never stored in clear.
    const rows = await t.database.db.selectFrom('apiKey').selectAll().execute();
    // The secret is base64url: it may itself hold '_', so take all that follows `rpps_<prefix>_`.
    const secret = importer.key.slice('rpps_'.length + 12 + 1);
    expect(secret).toHaveLength(43);
    for (const row of rows) expect(JSON.stringify(row)).not.toContain(secret);

    // A person's session does not open machine routes, nor a key the person routes.
    expect((await operator.request('GET', '/api/test/import-probe')).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/api-keys', headers: { authorization: `Bearer ${reader.key}` } })).statusCode).toBe(403);
  });

  it('registrations:bulk: bound to an existing EJ, or explicitly national; a structure’s key never imports FINESS (400, nothing stored)', async () => {
    const operator = createAgent(t.app);
    await signIn(operator, 'psc', 'operateur-ans');
    const create = (payload: object) => operator.request('POST', '/api/api-keys', { payload, headers: { 'x-csrf-token': operator.jar.get('rpps_csrf')! } });
    const before = (await t.database.db.selectFrom('apiKey').select('id').execute()).length;
    const refused: Array<[object, string]> = [
      [{ name: 'SI RH', scopes: ['registrations:bulk'] }, '/body/ejFiness'],
      [{ name: 'SI RH', scopes: ['registrations:bulk'], ejFiness: '690800206' }, '/body/ejFiness'], // an EG, not an EJ
      [{ name: 'SI RH', scopes: ['registrations:bulk'], ejFiness: '999999999' }, '/body/ejFiness'],
      [{ name: 'SI RH', scopes: ['registrations:bulk'], ejFiness: '690800123', national: true }, '/body/national'],
      [{ name: 'SI RH', scopes: ['registrations:bulk', 'structures:import'], ejFiness: '690800123' }, '/body/scopes'],
    ];
    for (const [payload, pointer] of refused) {
      const res = await create(payload);
      expect([res.statusCode, res.json().errors?.[0]?.pointer], JSON.stringify(payload)).toEqual([400, pointer]);
    }
    expect((await t.database.db.selectFrom('apiKey').select('id').execute()).length).toBe(before);

    const bound = await create({ name: 'SI RH des Tilleuls', scopes: ['directory:read', 'registrations:bulk'], ejFiness: '690800123' });
    expect([bound.statusCode, bound.json().apiKey.ejFiness]).toEqual([201, '690800123']);
    const national = await create({ name: 'Outil ANS', scopes: ['registrations:bulk'], national: true });
    expect([national.statusCode, national.json().apiKey.ejFiness]).toEqual([201, null]);
    // Scopes that read national data need no structure.
    expect((await create({ name: 'DMP', scopes: ['access:decide'] })).statusCode).toBe(201);
    const listed = (await operator.request('GET', '/api/api-keys')).json().items as Array<{ name: string; ejFiness: string | null }>;
    expect(listed.find((k) => k.name === 'SI RH des Tilleuls')?.ejFiness).toBe('690800123');
    // The key itself reads its binding: GET /api/session.
    const whoAmI = async (key: string) => (await t.app.inject({ url: '/api/session', headers: { authorization: `Bearer ${key}` } })).json();
    expect(await whoAmI(bound.json().key)).toEqual({ kind: 'machine', name: 'SI RH des Tilleuls', scopes: ['directory:read', 'registrations:bulk'], ejFiness: '690800123' });
    expect(await whoAmI(national.json().key)).toMatchObject({ kind: 'machine', name: 'Outil ANS', ejFiness: null });
  });

  it('only ANS operators manage keys', async () => {
    const rl = createAgent(t.app);
    await signIn(rl, 'psc', 'rl-tilleuls');
    const res = await rl.request('POST', '/api/api-keys', {
      payload: { name: 'x', scopes: ['directory:read'] },
      headers: { 'x-csrf-token': rl.jar.get('rpps_csrf')! },
    });
    expect(res.statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/api-keys' })).statusCode).toBe(401);
  });
});

describe('issue 15: cookies over https, key expiry', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLIC_URL: 'https://rpps.example.fr' } });
  });
  afterAll(() => t.close());

  it('clears the __Host- cookies with Secure and Path=/, or browsers keep them', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/auth/logout' });
    const cleared = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    expect(cleared.map((c) => c.split('=')[0]).sort()).toEqual(['__Host-rpps_csrf', '__Host-rpps_session']);
    for (const c of cleared) {
      expect(c).toMatch(/; Path=\/(;|$)/);
      expect(c).toMatch(/; Secure(;|$)/);
    }
  });

  it('refuses an API key whose expiry is already past (400), stores nothing', async () => {
    const operator = createAgent(t.app, 'https://rpps.example.fr');
    await signIn(operator, 'psc', 'operateur-ans');
    const csrf = { 'x-csrf-token': operator.jar.get('__Host-rpps_csrf')! };
    const past = await operator.request('POST', '/api/api-keys', { payload: { name: 'Périmée', scopes: ['directory:read'], expiresAt: '2020-01-01T00:00:00Z' }, headers: csrf });
    expect([past.statusCode, past.json().type, past.json().errors?.[0]?.pointer]).toEqual([400, 'urn:rpps-plus:problem:validation', '/body/expiresAt']);
    expect(await t.database.db.selectFrom('apiKey').select('id').where('name', '=', 'Périmée').execute()).toEqual([]);
  });
});
