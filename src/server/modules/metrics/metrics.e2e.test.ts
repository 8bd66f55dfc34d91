import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/support/app.ts';
import { createApiKeyService } from '../../auth/api-keys.ts';
import { createMetrics } from '../../http/metrics.ts';

const token = 'metrics-token-for-the-test-0123456789';
let t: TestApp;
let withoutToken: TestApp;

beforeAll(async () => {
  [t, withoutToken] = await Promise.all([createTestApp({ env: { METRICS_TOKEN: token } }), createTestApp()]);
});
afterAll(async () => {
  await Promise.all([t?.close(), withoutToken?.close()]);
});

const scrape = (app: TestApp, authorization?: string) =>
  app.app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });

describe('GET /metrics', () => {
  it('is refused without the token, with a wrong one, with an API key, and when no token is configured', async () => {
    const { key } = await createApiKeyService({ db: t.database.db, clock: { now: () => new Date('2026-11-23T10:00:00Z') } }).create({
      name: 'metrics test',
      scopes: ['directory:read'],
      national: true,
    });
    for (const res of [
      await scrape(t),
      await scrape(t, 'Bearer not-the-token-0123456789'),
      await scrape(t, `Bearer ${key}`),
      await scrape(withoutToken, `Bearer ${token}`),
    ]) {
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ type: 'urn:rpps-plus:problem:unauthenticated' });
      expect(res.body).not.toContain('rpps_');
    }
  });

  it('gives the HTTP latency per route and status and the operational gauges to the scraper', async () => {
    await t.app.inject({ method: 'GET', url: '/health/live' });
    await t.app.inject({ method: 'GET', url: '/api/structures/000000000' });
    const res = await scrape(t, `Bearer ${token}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    expect(text).toMatch(/rpps_http_request_duration_seconds_count\{method="GET",route="\/health\/live",status="200"\} 1/);
    expect(text).toMatch(/rpps_http_request_duration_seconds_count\{method="GET",route="\/api\/structures\/:finess",status="4\d\d"\} 1/);
    expect(text).toContain('rpps_metrics_database_up 1');
    expect(text).toMatch(/rpps_mail_messages\{status="queued"\} \d+/);
    expect(text).toMatch(/rpps_directory_publication_lag_seconds \d/);
    expect(text).toContain('rpps_directory_unpublished_events');
    expect(text).toContain('rpps_db_query_errors_total');
    expect(text).toContain('process_resident_memory_bytes');
    // The token never comes back, and /metrics is not in the public API description.
    expect(text).not.toContain(token);
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(docs.body).not.toContain('/metrics');
    expect(docs.body).not.toContain(token);
  });
});

describe('database metrics', () => {
  it('count failed statements and expose the pool', async () => {
    const metrics = createMetrics();
    metrics.watchPool('primary', () => ({ total: 3, idle: 1, waiting: 2, max: 10 }));
    const query = { sql: 'select 1', parameters: [], query: { kind: 'RawNode' } } as never;
    metrics.onQuery({ level: 'query', query, queryDurationMillis: 2 });
    metrics.onQuery({ level: 'error', query, queryDurationMillis: 3, error: new Error('boom') });
    const text = await metrics.registry.metrics();
    expect(text).toContain('rpps_db_query_errors_total 1');
    expect(text).toContain('rpps_db_pool_connections{pool="primary",state="waiting"} 2');
    expect(text).toContain('rpps_db_query_duration_seconds_count{outcome="ok"} 1');
  });
});
