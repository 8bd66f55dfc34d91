import type { AddressInfo } from 'node:net';
import { Client } from 'fhir-kit-client';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/support/app.ts';
import { fhirR4Issues } from './testing.ts';

/**
 * Paging through 10,000 practitioners with a stock FHIR client (fhir-kit-client) following `next`
 * links while new entries are being added (issue 8, acceptance 3 and 4).
 */
let t: TestApp;
let client: InstanceType<typeof Client>;

const seed = (from: number, count: number, prefix: string) =>
  sql`insert into directory_practitioner (id, rpps, family, given, family_search, given_search, name_search, active, last_updated)
      select ${prefix} || lpad(g::text, 10, '0'), ${prefix} || lpad(g::text, 10, '0'), 'PAGE' || g, 'Test', 'page' || g, 'test', 'page' || g || ' test', true, now()
      from generate_series(${from}::int, ${from + count - 1}::int) g`.execute(t.database.db);

beforeAll(async () => {
  t = await createTestApp({ env: { PUBLIC_URL: 'http://127.0.0.1:1' } });
  await seed(0, 10_000, '5');
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  // Links carry PUBLIC_URL; the client follows them, so point it at the real port.
  client = new Client({ baseUrl: `http://127.0.0.1:${port}/fhir` });
  (t.app as unknown as { __port: number }).__port = port;
});
afterAll(() => t?.close());

describe('paging', () => {
  it('returns each entry exactly once while entries are added before and after the cursor', async () => {
    const port = (t.app as unknown as { __port: number }).__port;
    const seen = new Map<string, number>();
    let bundle = (await client.search({ resourceType: 'Practitioner', searchParams: { name: 'page', _count: 1000, _total: 'accurate' } })) as unknown as {
      total: number;
      entry?: { resource: { id: string } }[];
      link: { relation: string; url: string }[];
    };
    expect(bundle.total).toBe(10_000);
    let pages = 0;
    let added = 0;
    for (;;) {
      pages += 1;
      for (const e of bundle.entry ?? []) seen.set(e.resource.id, (seen.get(e.resource.id) ?? 0) + 1);
      if (pages === 1) for (const r of (bundle.entry ?? []).slice(0, 3)) expect(fhirR4Issues(r.resource)).toEqual([]);
      // Concurrent writers: new professionals sorted both before the cursor ('4…') and after it ('6…').
      await seed(pages * 100, 50, '4');
      await seed(pages * 100, 50, '6');
      added += 100;
      const next = bundle.link.find((l) => l.relation === 'next');
      if (!next) break;
      next.url = next.url.replace('http://127.0.0.1:1', `http://127.0.0.1:${port}`);
      bundle = (await client.nextPage({ bundle } as never)) as unknown as typeof bundle;
    }
    const originals = [...seen.keys()].filter((id) => id.startsWith('5'));
    expect(originals).toHaveLength(10_000);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(added).toBeGreaterThan(0);
    expect(pages).toBeGreaterThanOrEqual(10);
  });

  it('counts exactly up to 1,000 matches by default, estimates past it on request, and counts all with _total=accurate', async () => {
    const get = async (url: string) => {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      return res.json() as { total?: number; totalIsLowerBound?: boolean; items?: { family: string }[]; link?: { relation: string; url: string }[] };
    };
    const { n } = (await sql<{ n: string }>`select count(*) as n from directory_practitioner where name_search like 'page%'`.execute(t.database.db)).rows[0]!;
    const matching = Number(n);
    expect(matching).toBeGreaterThan(10_000);
    // No _total: past 1,000 matches the total is left out (as the ANS server does for costly searches)...
    const byDefault = await get('/fhir/Practitioner?name=page&_count=5');
    expect(byDefault.total).toBeUndefined();
    expect(byDefault.link?.some((l) => l.relation === 'next')).toBe(true);
    // ...but stays exact below it.
    expect((await get('/fhir/Practitioner?name=page9876')).total).toBe(1);
    expect((await get('/fhir/Practitioner?name=page987')).total).toBe(11);
    expect((await get('/fhir/Practitioner?name=nomatch')).total).toBe(0);
    // estimate: more than the counted 1,000, of the order of the real number.
    const estimate = (await get('/fhir/Practitioner?name=page&_total=estimate&_count=5')).total!;
    expect(estimate).toBeGreaterThan(1000);
    expect(estimate).toBeLessThan(matching * 10);
    expect((await get('/fhir/Practitioner?name=page987&_total=estimate')).total).toBe(11);
    expect((await get('/fhir/Practitioner?name=page&_total=accurate&_count=5')).total).toBe(matching);
    expect((await get('/fhir/Practitioner?name=page&_summary=count')).total).toBe(matching);
    // The search page's API: counted up to 1,000, then flagged as a lower bound; pages in name order.
    const api = await get('/api/directory/practitioners?q=page&pageSize=5&page=2');
    expect(api).toMatchObject({ total: 1000, totalIsLowerBound: true });
    const names = api.items!.map((i) => i.family);
    expect(names).toEqual([...names].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));
    expect(await get('/api/directory/practitioners?q=page987')).toMatchObject({ total: 11, totalIsLowerBound: false });
  });

  it('pages the directory search API by keyset: each match once, in name order, while entries are added', async () => {
    type Page = { items: { rpps: string; family: string }[]; next: string | null; total: number };
    const get = async (url: string) => {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      return res.json() as Page;
    };
    const { n } = (await sql<{ n: string }>`select count(*) as n from directory_practitioner where active and name_search like 'page99%'`.execute(t.database.db)).rows[0]!;
    // Without writes, the second page by cursor is the second page by number.
    const first = await get('/api/directory/practitioners?q=page99&pageSize=20');
    expect(first.next).toEqual(expect.any(String));
    const byCursor = await get(`/api/directory/practitioners?q=page99&pageSize=20&after=${first.next}`);
    const byNumber = await get('/api/directory/practitioners?q=page99&pageSize=20&page=2');
    expect(byCursor.items.map((i) => i.rpps)).toEqual(byNumber.items.map((i) => i.rpps));

    const seen: string[] = [];
    let page = first;
    for (let k = 0; ; k++) {
      seen.push(...page.items.map((i) => i.rpps));
      // A writer adds a professional sorted before the cursor: with OFFSET the next page would repeat a row.
      await sql`insert into directory_practitioner (id, rpps, family, given, family_search, given_search, name_search, active, last_updated)
        values (${`7${k}`.padEnd(11, '0')}, ${`7${k}`.padEnd(11, '0')}, 'PAGE99', 'Aaa', 'page99', 'aaa', 'page99 aaa', true, now())`.execute(t.database.db);
      if (!page.next) break;
      page = await get(`/api/directory/practitioners?q=page99&pageSize=20&after=${encodeURIComponent(page.next)}`);
    }
    const originals = seen.filter((r) => !r.startsWith('7'));
    expect(originals).toHaveLength(Number(n));
    expect(new Set(seen).size).toBe(seen.length);

    const bad = await t.app.inject({ method: 'GET', url: '/api/directory/practitioners?q=page99&after=nonsense' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ type: expect.stringContaining('directory-invalid-cursor') });
  });

  it('reads a resource with the stock client', async () => {
    const p = (await client.read({ resourceType: 'Practitioner', id: '50000000042' })) as unknown as { id: string; active: boolean };
    expect(p).toMatchObject({ id: '50000000042', active: true });
  });
});
