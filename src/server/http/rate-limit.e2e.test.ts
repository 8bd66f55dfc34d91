import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/support/app.ts';

/**
 * Per-client rate limit of the public directory (issue 8, "Access"): anonymous clients by
 * address, API-key clients by key with a higher limit, one budget across /fhir and /api/directory.
 */
let t: TestApp;
let machineKey: string;
const publicLimit = 5;
const machineLimit = 12;

beforeAll(async () => {
  t = await createTestApp({
    env: { RATE_LIMIT_PUBLIC_PER_MINUTE: String(publicLimit), RATE_LIMIT_MACHINE_PER_MINUTE: String(machineLimit) },
  });
  machineKey = (await t.app.auth.apiKeys.create({ name: 'Annuaire régional', scopes: ['directory:read'] })).key;
});
afterAll(async () => t?.close());

const fhirSearch = '/fhir/Practitioner?name=dupont';
const from = (ip: string, extra: Record<string, string> = {}) => ({ 'x-forwarded-for': ip, ...extra });
const get = (url: string, headers: Record<string, string>, remoteAddress?: string) =>
  t.app.inject({ method: 'GET', url, headers, ...(remoteAddress ? { remoteAddress } : {}) });

async function spend(ip: string, count: number, headers: Record<string, string> = {}) {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) statuses.push((await get(fhirSearch, from(ip, headers))).statusCode);
  return statuses;
}

describe('public directory rate limit', () => {
  it('answers 429 past the anonymous limit, as an OperationOutcome under /fhir and a problem elsewhere, and serves nothing more', async () => {
    const ip = '203.0.113.10';
    const first = await get(fhirSearch, from(ip));
    expect(first.statusCode).toBe(200);
    expect(first.headers['ratelimit-limit']).toBe(String(publicLimit));
    expect(first.headers['ratelimit-remaining']).toBe(String(publicLimit - 1));
    expect(await spend(ip, publicLimit - 1)).toEqual(Array(publicLimit - 1).fill(200));

    const fhir = await get(fhirSearch, from(ip));
    expect(fhir.statusCode).toBe(429);
    expect(fhir.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(Number(fhir.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(fhir.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(fhir.headers['ratelimit-remaining']).toBe('0');
    const outcome = fhir.json() as { resourceType: string; issue: { severity: string; code: string; diagnostics: string }[] };
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue[0]).toMatchObject({ severity: 'error', code: 'throttled' });
    expect(outcome.issue[0]!.diagnostics).toMatch(/Trop de requêtes/);

    // One budget for the whole public directory: the search page's API is refused too.
    const page = await get('/api/directory/practitioners?q=dupont', from(ip));
    expect(page.statusCode).toBe(429);
    expect(page.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(page.headers['retry-after'])).toBeGreaterThan(0);
    expect(page.headers['ratelimit-limit']).toBe(String(publicLimit));
    expect(page.json()).toMatchObject({ type: 'urn:rpps-plus:problem:rate-limited', status: 429, detail: expect.stringMatching(/Réessayez dans \d+ s/) });
    for (const url of ['/fhir/metadata', '/fhir/Unknown', '/api/directory/changes', '/api/directory/practitioners/10000000000', '/fhir/Practitioner/10000000000']) {
      expect((await get(url, from(ip))).statusCode, url).toBe(429);
    }
    const post = await t.app.inject({
      method: 'POST',
      url: '/fhir/Practitioner/_search',
      headers: { ...from(ip), 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=dupont',
    });
    expect(post.statusCode).toBe(429);
  });

  it('keeps serving an API-key client at the count where anonymous clients are refused, up to its own limit', async () => {
    const ip = '203.0.113.20';
    expect(await spend(ip, publicLimit + 1)).toEqual([...Array(publicLimit).fill(200), 429]);
    const keyed = await spend(ip, machineLimit + 1, { authorization: `Bearer ${machineKey}` });
    expect(keyed).toEqual([...Array(machineLimit).fill(200), 429]);
    // The key's budget is its own: the address is still refused, the key too once spent.
    expect((await get(fhirSearch, from('203.0.113.21', { authorization: `Bearer ${machineKey}` }))).statusCode).toBe(429);
  });

  it('gives an import-only API key the anonymous budget of its address, not the machine one (issue 15)', async () => {
    const { key } = await t.app.auth.apiKeys.create({ name: 'Import FINESS', scopes: ['structures:import'] });
    const ip = '203.0.113.50';
    expect(await spend(ip, publicLimit + 1, { authorization: `Bearer ${key}` })).toEqual([...Array(publicLimit).fill(200), 429]);
    expect((await get(fhirSearch, from(ip))).statusCode).toBe(429);
  });

  it('counts two client addresses separately', async () => {
    expect(await spend('203.0.113.30', publicLimit + 1)).toEqual([...Array(publicLimit).fill(200), 429]);
    expect(await spend('203.0.113.31', publicLimit)).toEqual(Array(publicLimit).fill(200));
    expect(await spend('2001:db8:1::1', publicLimit)).toEqual(Array(publicLimit).fill(200));
  });

  it('never gives an invalid, revoked or malformed API key more than the anonymous limit', async () => {
    const ip = '203.0.113.40';
    const { key, apiKey } = await t.app.auth.apiKeys.create({ name: 'Révoquée', scopes: ['directory:read'] });
    await t.app.auth.apiKeys.revoke(apiKey.id);
    const forged = machineKey.slice(0, -4) + (machineKey.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(await spend(ip, publicLimit)).toEqual(Array(publicLimit).fill(200));
    for (const bad of [key, forged, 'rpps_000000000000_' + 'x'.repeat(43), 'n-importe-quoi']) {
      const res = await get(fhirSearch, from(ip, { authorization: `Bearer ${bad}` }));
      expect(res.statusCode, bad).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
      expect(res.body).not.toContain('"Bundle"');
    }
    expect((await get(fhirSearch, from(ip))).statusCode).toBe(429);
  });

  it('believes X-Forwarded-For only from a trusted proxy (TRUST_PROXY)', async () => {
    // A client on a public address cannot pick a new address for every request.
    const statuses: number[] = [];
    for (let i = 0; i <= publicLimit; i++) {
      statuses.push((await get(fhirSearch, { 'x-forwarded-for': `198.51.100.${i}` }, '192.0.2.50')).statusCode);
    }
    expect(statuses).toEqual([...Array(publicLimit).fill(200), 429]);
  });

  it('leaves the other public routes and the OpenAPI document alone', async () => {
    const ip = '203.0.113.50';
    await spend(ip, publicLimit + 1);
    expect((await get('/api/structures?q=lyon', from(ip))).statusCode).toBe(200);
    expect((await get('/api/docs/json', from(ip))).statusCode).toBe(200);
    const doc = (await get('/api/docs/json', from(ip))).json() as { paths: Record<string, { get?: { responses?: Record<string, unknown> } }> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/fhir/Practitioner', '/api/directory/practitioners']));
    expect(Object.keys(doc.paths['/api/directory/practitioners']!.get!.responses!)).toContain('429');
  });
});
