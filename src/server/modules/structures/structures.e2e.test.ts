import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/support/app.ts';
import { luhnKey } from '../../identifiers.ts';
import type { StructureDetail } from './schemas.ts';

// The test database holds the fictitious FINESS samples of fixtures/finess (loadDemoData);
// the clock is fixed at 2026-11-23.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const get = (url: string) => t.app.inject({ method: 'GET', url });
interface Page {
  items: Array<{ finess: string; name: string; status: string; departmentCode: string }>;
  total: number;
  page: number;
  pageSize: number;
}
const search = async (query: string) => {
  const res = await get(`/api/structures?${query}`);
  expect(res.statusCode).toBe(200);
  return res.json() as Page;
};

describe('GET /api/structures/{finess}', () => {
  it('an EJ with its establishments (010007987, the demo EJ)', async () => {
    const res = await get('/api/structures/010007987');
    expect(res.statusCode).toBe(200);
    const body = res.json() as StructureDetail;
    expect(body).toMatchObject({ finess: '010007987', kind: 'EJ', name: 'ASSOCIATION LES JONQUILLES', inseeCode: '01053', ej: null });
    expect(body.establishments.map((e) => [e.finess, e.status])).toEqual([
      ['010008019', 'open'],
      ['010008035', 'closed'],
      ['010008027', 'open'],
    ]);
  });

  it('an EG with its EJ', async () => {
    const res = await get('/api/structures/690800206');
    expect(res.statusCode).toBe(200);
    const body = res.json() as StructureDetail;
    expect(body).toMatchObject({ kind: 'EG', ejFiness: '690800123', categoryCode: '500', establishments: [] });
    expect(body.ej).toMatchObject({ finess: '690800123', kind: 'EJ', name: 'ASSOCIATION LES TILLEULS' });
  });

  it('says whether the structure has joined RPPS+, and nothing about its people (issue 17)', async () => {
    const joined = (await get('/api/structures/690800123')).json() as StructureDetail;
    expect(joined.rppsPlus).toEqual({ status: 'joined', through: 'ej', joinedEstablishments: [], canRequest: false });
    expect(((await get('/api/structures/690800206')).json() as StructureDetail).rppsPlus).toMatchObject({ status: 'joined', through: 'ej' });
    // The demo request of OCÉANE SOLIDARITÉ waits for the ANS.
    expect(((await get('/api/structures/330050311')).json() as StructureDetail).rppsPlus).toMatchObject({ status: 'pending', canRequest: false });
    const free = (await get('/api/structures/010007987')).json() as StructureDetail;
    expect(free.rppsPlus).toEqual({ status: 'not-joined', through: null, joinedEstablishments: [], canRequest: true });
    // Public: no name, e-mail or phone of the RL leaks through it.
    const body = (await get('/api/structures/690800123')).body;
    expect(body).not.toMatch(/rl[A-Z]|@|MARCHAND|FONTAINE-SAINT/);
  });

  it('a wrong check key → 400 problem naming the key', async () => {
    const res = await get('/api/structures/010007988');
    expect(res.statusCode).toBe(400);
    expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ type: 'urn:rpps-plus:problem:finess-invalid-key', status: 400 });
  });

  it('a malformed number → 400 finess-invalid-format', async () => {
    const res = await get('/api/structures/12345');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ type: 'urn:rpps-plus:problem:finess-invalid-format' });
  });

  it('an unknown number with a valid key → 404 problem', async () => {
    const res = await get(`/api/structures/75099999${luhnKey('75099999')}`);
    expect(res.statusCode).toBe(404);
    expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ type: 'urn:rpps-plus:problem:structure-not-found' });
  });

  it('a Corsican number (no published key rule) is found', async () => {
    expect((await get('/api/structures/2A0001457')).statusCode).toBe(200);
  });
});

describe('GET /api/structures (search)', () => {
  it('by name words, accent- and case-insensitive', async () => {
    const page = await search(`q=${encodeURIComponent('Résidence Autonomie lilas')}`);
    expect(page.items.map((i) => i.finess)).toEqual(['690800610']);
    const quoted = await search(`q=${encodeURIComponent('glycines')}`);
    expect(quoted.items.map((i) => i.name)).toContain('RESIDENCE "LES GLYCINES"');
  });

  it('by FINESS number prefix', async () => {
    const page = await search('q=6908&pageSize=100');
    expect(page.total).toBe(12);
    expect(page.items.every((i) => i.finess.startsWith('6908'))).toBe(true);
  });

  it('by department, overseas included', async () => {
    expect((await search('department=2A')).total).toBe(5);
    const gp = await search('department=971&pageSize=100');
    expect(gp.total).toBe(8);
    expect(gp.items.every((i) => i.departmentCode === '971')).toBe(true);
    // FINESS's own notation of the department gives the same structures.
    expect((await search('department=9A&pageSize=100')).total).toBe(8);
  });

  it('pages through results', async () => {
    const all = await search('department=33&pageSize=100');
    const second = await search('department=33&pageSize=3&page=2');
    expect(second).toMatchObject({ page: 2, pageSize: 3, total: all.total });
    expect(second.items.map((i) => i.finess)).toEqual(all.items.slice(3, 6).map((i) => i.finess));
  });

  it('hides closed structures unless asked', async () => {
    const open = await search('q=jonquilles');
    expect(open.items.map((i) => i.finess)).not.toContain('010008035');
    const all = await search('q=jonquilles&includeClosed=true');
    expect(all.items.find((i) => i.finess === '010008035')?.status).toBe('closed');
    expect((await search('q=bugey')).total).toBe(0);
    expect((await search('q=bugey&includeClosed=true')).items.map((i) => i.finess)).toEqual(['010008068']);
  });
});
