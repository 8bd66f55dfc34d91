import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    extend(app) {
      // A throw-away route to exercise body parsing and unexpected errors.
      app.post('/api/test/echo', { config: { policy: 'public' } }, async (request) => request.body);
      app.get('/api/test/boom', { config: { policy: 'public' } }, async () => {
        throw new Error('secret internal detail');
      });
    },
  });
});
afterAll(async () => t?.close());

const problemOf = (res: { headers: Record<string, unknown>; json: () => unknown }) => {
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  return res.json() as { type: string; status: number; detail: string; errors?: Array<{ pointer: string }> };
};

describe('the API kernel answers every error as RFC 9457 problem+json', () => {
  it('404 for an unknown API path', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(problemOf(res).type).toBe('urn:rpps-plus:problem:not-found');
  });

  it('405 with Allow for a known path and a wrong method', async () => {
    const res = await t.app.inject({ method: 'DELETE', url: '/api/structures/010007987' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET');
    expect(problemOf(res).type).toBe('urn:rpps-plus:problem:method-not-allowed');
  });

  it('413 for a 2 MB body on a POST, before any route logic', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/structures',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ x: 'a'.repeat(2 * 1024 * 1024) }),
    });
    expect(res.statusCode).toBe(413);
    expect(problemOf(res).type).toBe('urn:rpps-plus:problem:payload-too-large');
  });

  it('415 for an unsupported content type', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/test/echo',
      headers: { 'content-type': 'application/x-unknown' },
      payload: 'x',
    });
    expect(res.statusCode).toBe(415);
    expect(problemOf(res).type).toBe('urn:rpps-plus:problem:unsupported-media-type');
  });

  it('400 for malformed JSON', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"a":',
    });
    expect(res.statusCode).toBe(400);
    expect(problemOf(res).type).toBe('urn:rpps-plus:problem:malformed-body');
  });

  it('500 with a correlation id and no internals for an unexpected error', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/test/boom' });
    expect(res.statusCode).toBe(500);
    const problem = problemOf(res) as { correlationId?: string; detail: string };
    expect(problem.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(problem.detail).toContain(problem.correlationId);
    expect(res.body).not.toContain('secret internal detail');
  });

  it('400 with field errors for invalid query parameters', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/structures?pageSize=1000&department=XYZ' });
    expect(res.statusCode).toBe(400);
    const problem = problemOf(res);
    expect(problem.type).toBe('urn:rpps-plus:problem:validation');
    expect(problem.errors?.map((e) => e.pointer).sort()).toEqual(['/query/department', '/query/pageSize']);
  });

  it('echoes a request id so support can trace a call, errors included', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers['x-request-id']).toBe('abc-123');
    // A not-found, a refusal of the router, a validation error, an unexpected error, a FHIR outcome.
    for (const url of ['/api/nope', '/api/%zz', '/api/structures?pageSize=1000', '/api/test/boom', '/fhir/Practitioner/bad!id', '/fhir/Nope']) {
      const answer = await t.app.inject({ method: 'GET', url, headers: { 'x-request-id': 'err-42' } });
      expect(answer.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(answer.headers['x-request-id'], url).toBe('err-42');
    }
    // Without one, the server gives its own.
    expect((await t.app.inject({ method: 'GET', url: '/api/nope' })).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('health and documentation', () => {
  it('is ready when the database answers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('documents every API route with its schemas in OpenAPI', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)),
    );
    for (const expected of ['GET /api/structures', 'GET /api/structures/{finess}', 'GET /health/ready', 'GET /api/communes']) {
      expect(documented).toContain(expected);
    }
    for (const [, ops] of Object.entries(doc.paths)) {
      for (const op of Object.values(ops)) expect(Object.keys(op.responses).length).toBeGreaterThan(0);
    }
  });

  it('names every operation with a unique operationId, as client generators expect (checked from outside, 5 December 2026)', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json() as { paths: Record<string, Record<string, { operationId?: string }>> };
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    expect(ids.length).toBeGreaterThan(100);
    expect(ids.filter((id) => !id || !/^[a-z]+[A-Za-z0-9]+$/.test(id))).toEqual([]);
    expect(ids.length - new Set(ids).size).toBe(0);
    expect(doc.paths['/api/register/drafts/{id}']?.get?.operationId).toBe('getApiRegisterDraftsById');
    expect(doc.paths['/api/bulk-imports/template.csv']?.get?.operationId).toBe('getApiBulkImportsTemplateCsv');
  });
});

describe('access policies', () => {
  it('refuses to start when an API route declares no policy', async () => {
    await expect(
      createTestApp({
        extend(app) {
          app.get('/api/test/unguarded', async () => 'open by accident');
        },
      }),
    ).rejects.toThrow(/declares no access policy/);
  });
});
