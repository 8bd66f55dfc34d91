import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/support/app.ts';
import { fixedClock } from '../../../../tests/support/db.ts';
import { createDirectoryPublication } from '../directory/publication.ts';
import { createRegisterService, type RegisterService } from '../register/service.ts';
import { actor, egInScope, otherEgInScope, scope } from '../register/testing.ts';
import { annuaireImplementationGuide, annuaireServerCapabilityStatement } from './capability.ts';
import { asDpProfileIssues, fhirJsonIssues, organizationTypeSliceCodes, r4SearchParameters } from './profile-testing.ts';
import { fhirR4Issues, personalDataFoundIn, registrationWithPersonalData, resourcesOf } from './testing.ts';

/**
 * The public directory over HTTP: FHIR API, change feed and search API on published data, with
 * a scan of every response for the seeded personal data (issue 8, acceptance 2, 3, 5).
 */
let t: TestApp;
let app: FastifyInstance;
let register: RegisterService;
let publish: () => Promise<unknown>;
const clock = fixedClock('2026-11-23T10:00:00Z');
const subsetted = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED' };
/** Every response body of the test file, scanned at the end for personal data. */
const responses: string[] = [];
const secrets: string[] = [];
const people: { rpps: string; situationId: string; exercise: string }[] = [];

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await app.inject({ method: 'GET', url, headers });
  responses.push(res.body);
  return res;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions walk arbitrary FHIR JSON
const json = (res: { body: string }) => JSON.parse(res.body) as Record<string, any>;

beforeAll(async () => {
  t = await createTestApp({ clock });
  app = t.app;
  register = createRegisterService({ db: t.database.db, clock, config: t.database.config });
  const publication = createDirectoryPublication({ db: t.database.db, clock });
  publish = () => publication.publishPending();
  for (let n = 1; n <= 4; n += 1) {
    // Birth names differ from exercise names: the birth name must never be published.
    const { input, personalData } = registrationWithPersonalData(900 + n, 'ABCD'[n - 1]!);
    if (n === 2) input.situation.egFiness = otherEgInScope;
    const r = await register.registerProfessional(actor, scope, input);
    people.push({ rpps: r.rpps, situationId: r.situationId, exercise: `Exercice${'ABCD'[n - 1]}` });
    secrets.push(...personalData);
  }
  await publish();
});
afterAll(() => t?.close());

describe('FHIR API', () => {
  it('serves a CapabilityStatement listing the three resources and their search parameters', async () => {
    const res = await get('/fhir/metadata');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/fhir+json');
    const cs = json(res);
    expect(cs.resourceType).toBe('CapabilityStatement');
    expect(cs.rest[0].resource.map((r: { type: string }) => r.type)).toEqual(['Practitioner', 'PractitionerRole', 'Organization']);
    const practitioner = cs.rest[0].resource[0];
    expect(practitioner.searchParam.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['identifier', 'name', 'family', 'given', 'active', '_lastUpdated']));
    expect(fhirR4Issues(cs)).toEqual([]);
  });

  it('states the IG it implements and what each search parameter follows, with no empty list (FHIR JSON)', async () => {
    const cs = json(await get('/fhir/metadata'));
    expect(cs.implementationGuide).toEqual([annuaireImplementationGuide]);
    // The profiles it declares are the ones each resource claims in meta.profile.
    const read = json(await get(`/fhir/PractitionerRole/${people[0]!.situationId}`));
    expect(cs.rest[0].resource[1].supportedProfile).toEqual(read.meta.profile);
    expect(cs.instantiates).toEqual([annuaireServerCapabilityStatement]);
    // Practitioner has no _include, PractitionerRole no _revinclude: left out, never [].
    expect(fhirJsonIssues(cs)).toEqual([]);
    expect(cs.rest[0].resource[0]).not.toHaveProperty('searchInclude');
    expect(cs.rest[0].resource[1]).not.toHaveProperty('searchRevInclude');
    // Each parameter names its SearchParameter: FHIR R4's (same code family, base and type), or the IG's.
    const r4 = r4SearchParameters();
    for (const resource of cs.rest[0].resource as { type: string; profile: string; supportedProfile: string[]; searchParam: { name: string; type: string; definition?: string }[] }[]) {
      expect(resource.supportedProfile).toEqual([resource.profile, expect.stringMatching(/^https:\/\/hl7\.fr\/ig\/fhir\/core\/StructureDefinition\/fr-core-/)]);
      for (const p of resource.searchParam) {
        if (p.definition === 'https://interop.esante.gouv.fr/ig/fhir/annuaire/SearchParameter/as-sp-qualification-code') continue;
        const def = r4.get(p.definition ?? '');
        expect(def, `${resource.type}.${p.name}`).toBeDefined();
        expect(def!.type).toBe(p.type);
        expect(def!.code).toBe(p.name);
        expect(def!.base.some((b) => b === resource.type || b === 'Resource')).toBe(true);
      }
    }
  });

  it('answers a search without match with a Bundle that has no entry (never an empty array)', async () => {
    const res = await get('/fhir/Practitioner?family=Personnesansnom');
    const bundle = json(res);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 0 });
    expect(bundle).not.toHaveProperty('entry');
    expect(fhirJsonIssues(bundle)).toEqual([]);
  });

  it('finds a published professional by RPPS and IDNPS identifier, with the ANS profiles and no personal data', async () => {
    const { rpps } = people[0]!;
    for (const q of [`https://rpps.esante.gouv.fr|${rpps}`, `urn:oid:1.2.250.1.71.4.2.1|8${rpps}`, rpps]) {
      const res = await get(`/fhir/Practitioner?identifier=${encodeURIComponent(q)}`);
      expect(res.statusCode).toBe(200);
      const bundle = json(res);
      expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
      const p = bundle.entry[0].resource;
      expect(p.meta.profile).toContain('https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/as-dp-practitioner');
      expect(p.identifier).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ system: 'urn:oid:1.2.250.1.71.4.2.1', value: `8${rpps}` }),
          expect.objectContaining({ system: 'https://rpps.esante.gouv.fr', value: rpps }),
        ]),
      );
      expect(p.name[0]).toMatchObject({ family: 'ExerciceA', given: ['Julie'] });
      expect(p.qualification[0].code.coding[0]).toMatchObject({ code: '99' });
      for (const field of ['gender', 'birthDate', 'address', 'telecom']) expect(p).not.toHaveProperty(field);
    }
  });

  it('reads by id with ETag, answers 304 to If-None-Match, 404 as OperationOutcome', async () => {
    const { rpps } = people[0]!;
    const res = await get(`/fhir/Practitioner/${rpps}`);
    expect(res.statusCode).toBe(200);
    const etag = res.headers.etag as string;
    expect(etag).toBe(`W/"${json(res).meta.versionId}"`);
    const again = await get(`/fhir/Practitioner/${rpps}`, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    const missing = await get('/fhir/Practitioner/10000000000');
    expect(missing.statusCode).toBe(404);
    expect(json(missing)).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] });
    const unknownType = await get('/fhir/Patient?name=x');
    expect(unknownType.statusCode).toBe(404);
    expect(json(unknownType).resourceType).toBe('OperationOutcome');
  });

  it('searches by name (prefix, accent- and case-insensitive, :exact, :contains), family and given', async () => {
    const total = async (q: string) => json(await get(`/fhir/Practitioner?${q}`)).total;
    expect(await total('name=exercice')).toBe(4);
    expect(await total('name=Exercicé')).toBe(4);
    expect(await total('family=exercicea')).toBe(1);
    expect(await total('family:exact=ExerciceA')).toBe(1);
    expect(await total('family:exact=exercicea')).toBe(0);
    expect(await total('name:contains=ercice')).toBe(4);
    expect(await total('given=jul&family=exerciceb')).toBe(1);
    expect(await total('name=naissance')).toBe(0);
    // Word prefix: the start of any word of the name (the given name here), never mid-word.
    expect(await total('name=jul')).toBe(4);
    expect(await total('name=ulie')).toBe(0);
    expect(await total('family=ercice')).toBe(0);
    expect(await total('given:contains=uli')).toBe(4);
    expect(await total('name=exercicea,exerciceb')).toBe(2);
    expect(await total('active=true&qualification-code=99')).toBe(4);
  });

  it('gives PractitionerRoles with fonction, genre and mode codes, organization and _include', async () => {
    const { rpps, situationId } = people[0]!;
    const res = await get(`/fhir/PractitionerRole?practitioner=Practitioner/${rpps}&_include=PractitionerRole:organization&_include=PractitionerRole:practitioner`);
    const bundle = json(res);
    expect(bundle.total).toBe(1);
    const role = bundle.entry[0].resource;
    expect(role).toMatchObject({
      id: situationId,
      identifier: [{ system: 'https://rpps.esante.gouv.fr', value: situationId }],
      active: true,
      practitioner: { reference: `Practitioner/${rpps}` },
      organization: { reference: `Organization/org-${egInScope}` },
    });
    const codes = role.code.map((c: { coding: { system: string; code: string }[] }) => c.coding[0]!.code);
    expect(codes).toEqual(expect.arrayContaining(['313', 'GENR11', 'S']));
    const included = bundle.entry.filter((e: { search: { mode: string } }) => e.search.mode === 'include').map((e: { resource: { resourceType: string } }) => e.resource.resourceType);
    expect(included.sort()).toEqual(['Organization', 'Practitioner']);
    const byRole = json(await get(`/fhir/PractitionerRole?role=${encodeURIComponent('https://mos.esante.gouv.fr/NOS/TRE_R85-RolePriseCharge/FHIR/TRE-R85-RolePriseCharge|313')}`));
    expect(byRole.total).toBe(4);
    const rev = json(await get(`/fhir/Practitioner?identifier=${rpps}&_revinclude=PractitionerRole:practitioner`));
    expect(rev.entry.map((e: { resource: { resourceType: string } }) => e.resource.resourceType)).toEqual(['Practitioner', 'PractitionerRole']);
  });

  it('serves FINESS structures as Organizations with IDNST/FINESS identifiers, type, INSEE code and partOf', async () => {
    const res = await get(`/fhir/Organization?identifier=${encodeURIComponent(`https://finess.esante.gouv.fr|${egInScope}`)}&_include=Organization:partof`);
    const bundle = json(res);
    expect(bundle.total).toBe(1);
    const org = bundle.entry[0].resource;
    expect(org.identifier).toEqual(expect.arrayContaining([expect.objectContaining({ system: 'urn:oid:1.2.250.1.71.4.2.2', value: `1${egInScope}` })]));
    expect(org.type[0].coding[0].code).toBe('GEOGRAPHICAL-ENTITY');
    expect(org.partOf.reference).toMatch(/^Organization\/org-/);
    expect(bundle.entry.some((e: { search: { mode: string } }) => e.search.mode === 'include')).toBe(true);
    const postal = org.address[0].postalCode as string;
    const byPostal = json(await get(`/fhir/Organization?address-postalcode=${postal.slice(0, 2)}&_count=5`));
    expect(byPostal.total).toBeGreaterThan(0);
    const byName = json(await get(`/fhir/Organization?name=${encodeURIComponent(org.name.split(' ')[0])}&type=GEOGRAPHICAL-ENTITY&_summary=count`));
    expect(byName.total).toBeGreaterThan(0);
    expect(byName.entry).toBeUndefined();
    const read = await get(`/fhir/Organization/org-${egInScope}`);
    expect(read.statusCode).toBe(200);
  });

  it('codes the Organization as as-dp-organization and as-address-extended bind it (type slices, country, district)', async () => {
    const row = await t.database.db.selectFrom('structure').select(['departmentCode', 'categoryCode']).where('finess', '=', egInScope).executeTakeFirstOrThrow();
    expect(row.departmentCode).toBeTruthy();
    expect(row.categoryCode).toBeTruthy();
    const org = json(await get(`/fhir/Organization/org-${egInScope}`));
    expect(asDpProfileIssues(org)).toEqual([]);
    // The FINESS category (TRE_R66) is the categorieEtablissementRASS slice: no as-ext-organization-types
    // (its value is bound, required, to as-vs-organization-types, which has no such code).
    const category = org.type.find((ty: { coding: { system: string }[] }) => ty.coding[0]!.system.includes('TRE_R66'));
    expect(category).toEqual({ coding: [expect.objectContaining({ code: row.categoryCode })] });
    for (const ty of org.type) for (const e of ty.extension ?? []) expect(organizationTypeSliceCodes).toContain(e.valueCode);
    expect(org.address[0]).toMatchObject({ country: '99100', district: row.departmentCode });
  });

  it('shows the SIREN it is found by (fr-core-organization identifier:siren)', async () => {
    const row = await t.database.db.selectFrom('structure').select(['finess', 'siren']).where('siren', 'is not', null).orderBy('finess').executeTakeFirstOrThrow();
    const siren = { use: 'official', type: { coding: [{ system: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203', code: 'SIREN' }] }, system: 'https://sirene.fr', value: row.siren };
    const org = json(await get(`/fhir/Organization/org-${row.finess.trim()}`));
    expect(org.identifier).toContainEqual(siren);
    const found = json(await get(`/fhir/Organization?identifier=${encodeURIComponent(`https://sirene.fr|${row.siren}`)}`));
    expect(found.total).toBeGreaterThan(0);
    for (const e of found.entry) expect(e.resource.identifier).toContainEqual(siren);
  });

  it('accepts POST _search with a form body', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/fhir/Practitioner/_search',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `identifier=${people[1]!.rpps}`,
    });
    responses.push(res.body);
    expect(res.statusCode).toBe(200);
    expect(json(res).total).toBe(1);
  });

  it('answers malformed searches with 400 OperationOutcome, never 5xx', async () => {
    const cases: [string, Record<string, string>?][] = [
      ['/fhir/Practitioner?foo=bar', { prefer: 'handling=strict' }],
      ['/fhir/Practitioner?identifier=https://rpps.esante.gouv.fr|abc'],
      ['/fhir/Practitioner?identifier=https://rpps.esante.gouv.fr|123'],
      ['/fhir/Practitioner?_count=100000'],
      ['/fhir/Practitioner?_count=-1'],
      ['/fhir/Practitioner?active=maybe'],
      ['/fhir/Practitioner?_lastUpdated=yesterday'],
      ['/fhir/Practitioner?_lastUpdated=ge2025-13-01'],
      ['/fhir/Practitioner?name:sounds=x'],
      ['/fhir/Practitioner?name=%25%25'],
      ['/fhir/Practitioner?_page=not-a-token'],
      ['/fhir/Practitioner?_page=eyJhIjoxfQ'],
      ['/fhir/PractitionerRole?practitioner=Organization/x'],
      ['/fhir/Organization?identifier=https://finess.esante.gouv.fr|12'],
      ['/fhir/Practitioner?_summary=data'],
      ['/fhir/Practitioner?_total=maybe'],
      ['/fhir/Practitioner?_elements=na%20me'],
      [`/fhir/Practitioner?name=${'x'.repeat(300)}`],
      ['/fhir/Practitioner?_include=Foo:bar', { prefer: 'handling=strict' }],
    ];
    for (const [url, headers] of cases) {
      const res = await get(url, headers);
      expect(res.statusCode, url).toBe(400);
      expect(json(res), url).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid' }] });
      expect(res.headers['content-type']).toContain('application/fhir+json');
    }
    // Lenient by default: an unknown parameter is ignored and left out of the self link.
    const lenient = json(await get('/fhir/Practitioner?foo=bar&_count=2'));
    expect(lenient.link[0].url).not.toContain('foo');
    const put = await app.inject({ method: 'PUT', url: `/fhir/Practitioner/${people[0]!.rpps}`, payload: {} });
    expect(put.statusCode).toBe(405);
    expect(json(put).resourceType).toBe('OperationOutcome');
  });

  it('answers _count=0 with the total and no entries, like _summary=count, on the three types', async () => {
    for (const type of ['Practitioner', 'PractitionerRole', 'Organization']) {
      const counted = json(await get(`/fhir/${type}?_summary=count`)).total as number;
      expect(counted, type).toBeGreaterThan(0);
      for (const count of ['0', '00']) {
        const res = await get(`/fhir/${type}?_count=${count}`);
        expect(res.statusCode, `${type} _count=${count}`).toBe(200);
        const b = json(res);
        expect(b, type).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: counted });
        expect(b.entry, type).toBeUndefined();
        expect(b.link.some((l: { relation: string }) => l.relation === 'next'), type).toBe(false);
      }
    }
  });

  it('accepts _format for JSON as clients write it, the + unencoded included', async () => {
    for (const format of ['application/fhir+json', 'application/fhir%2Bjson', 'application/fhir%20json', 'json', 'application/json', 'application/fhir+json;charset=utf-8']) {
      for (const url of ['/fhir/metadata', '/fhir/Practitioner', `/fhir/Practitioner/${people[0]!.rpps}`]) {
        const res = await get(`${url}?_format=${format}`);
        expect(res.statusCode, `${url} _format=${format}`).toBe(200);
        expect(res.headers['content-type']).toContain('application/fhir+json');
      }
    }
  });

  it('answers XML asked by _format or an XML-only Accept with 406 on every interaction', async () => {
    const urls = ['/fhir/metadata', '/fhir/Practitioner', `/fhir/Practitioner/${people[0]!.rpps}`, `/fhir/PractitionerRole/${people[0]!.situationId}`, '/fhir/Organization'];
    const refused: [string, Record<string, string>][] = [
      ['?_format=xml', {}],
      ['?_format=application/fhir+xml', {}],
      ['', { accept: 'application/fhir+xml' }],
      ['', { accept: 'application/xml, text/xml;q=0.5' }],
    ];
    for (const url of urls) {
      for (const [query, headers] of refused) {
        const res = await get(`${url}${query}`, headers);
        expect(res.statusCode, `${url}${query} ${JSON.stringify(headers)}`).toBe(406);
        expect(json(res)).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-supported' }] });
        expect(res.headers['content-type']).toContain('application/fhir+json');
      }
      for (const accept of ['*/*', 'application/json', 'application/fhir+json', 'application/fhir+xml, application/fhir+json;q=0.5', 'text/html,application/xhtml+xml,*/*;q=0.8']) {
        expect((await get(url, { accept })).statusCode, `${url} Accept: ${accept}`).toBe(200);
      }
    }
    const cs = json(await get('/fhir/metadata'));
    expect(cs.format.every((f: string) => /json/.test(f) && !/xml/.test(f))).toBe(true);
  });

  it('supports _elements (SUBSETTED) and _total=none', async () => {
    const b = json(await get('/fhir/Practitioner?name=exercice&_elements=name&_total=none'));
    expect(b.total).toBeUndefined();
    expect(b.entry[0].resource.meta.tag).toEqual([subsetted]);
    expect(b.entry[0].resource.qualification).toBeUndefined();
  });

  it('binds a _page token to its criteria: reused with others it is refused, not paged with a stale total', async () => {
    const first = json(await get('/fhir/PractitionerRole?active=true&_count=1'));
    const next = first.link.find((l: { relation: string }) => l.relation === 'next');
    expect(next, 'a second page').toBeDefined();
    const page = new URL(next.url).searchParams.get('_page')!;
    const followed = await get(`/fhir/PractitionerRole?active=true&_count=1&_page=${page}`);
    expect(followed.statusCode).toBe(200);
    expect(json(followed).total).toBe(first.total);
    // Result parameters may change from page to page; the criteria may not.
    expect((await get(`/fhir/PractitionerRole?_count=5&_elements=code&active=true&_page=${page}`)).statusCode).toBe(200);
    for (const other of ['active=false', `practitioner=Practitioner/${people[0]!.rpps}`, '', 'active=true&role=FON-01']) {
      const res = await get(`/fhir/PractitionerRole?${other}&_page=${page}`);
      expect(res.statusCode, other).toBe(400);
      expect(json(res), other).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'invalid', expression: ['_page'] }] });
      expect(json(res).issue[0].diagnostics).toContain('autre recherche');
    }
    // Nor on another type.
    expect((await get(`/fhir/Practitioner?active=true&_page=${page}`)).statusCode).toBe(400);
    // A token without its digest (made by hand, or by a release older than the digest) is refused too.
    const { a } = JSON.parse(Buffer.from(page, 'base64url').toString('utf8')) as { a: string };
    const bare = Buffer.from(JSON.stringify({ a, t: first.total })).toString('base64url');
    const refused = await get(`/fhir/PractitionerRole?active=true&_count=1&_page=${bare}`);
    expect(refused.statusCode).toBe(400);
    expect(json(refused)).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'invalid', expression: ['_page'] }] });
  });

  it('trims a read with _elements, tagged SUBSETTED, and leaves an untrimmed resource untagged', async () => {
    for (const url of [`/fhir/Practitioner/${people[0]!.rpps}`, `/fhir/PractitionerRole/${people[0]!.situationId}`, `/fhir/Organization/org-${egInScope}`]) {
      const whole = json(await get(url));
      expect(whole.meta.tag, url).toBeUndefined();
      const res = await get(`${url}?_elements=id`);
      expect(res.statusCode, url).toBe(200);
      const subset = json(res);
      expect(subset.meta.tag, url).toEqual([subsetted]);
      expect(subset.meta.profile, url).toEqual(whole.meta.profile);
      expect(subset.identifier, url).toEqual(whole.identifier);
      expect(Object.keys(subset).length, url).toBeLessThan(Object.keys(whole).length);
      // Every element asked for: nothing trimmed, no tag.
      const all = json(await get(`${url}?_elements=${Object.keys(whole).join(',')}`));
      expect(all, url).toEqual(whole);
    }
    // The read cache keeps the whole resource: a later read is whole.
    expect(json(await get(`/fhir/Practitioner/${people[0]!.rpps}`)).name).toBeDefined();
    expect((await get(`/fhir/Practitioner/${people[0]!.rpps}?_elements=na%20me`)).statusCode).toBe(400);
  });

  it('shows an ended situation as an inactive PractitionerRole and a withdrawn one with identifiers only', async () => {
    const ended = people[2]!;
    await register.endSituation(actor, scope, ended.situationId, { endDate: '2026-11-22', reason: 'departure' });
    const deleted = people[3]!;
    await register.deleteSituation(actor, scope, deleted.situationId);
    await publish();
    const role = json(await get(`/fhir/PractitionerRole/${ended.situationId}`));
    expect(role.active).toBe(false);
    const practitioner = json(await get(`/fhir/Practitioner/${ended.rpps}`));
    expect(practitioner.active).toBe(false);
    const gone = json(await get(`/fhir/PractitionerRole/${deleted.situationId}`));
    expect(gone).toMatchObject({ active: false });
    expect(gone.code).toBeUndefined();
    const goneP = json(await get(`/fhir/Practitioner/${deleted.rpps}`));
    expect(goneP.active).toBe(false);
    expect(goneP.name).toBeUndefined();
    const delta = json(await get('/fhir/Practitioner?_lastUpdated=ge2026-11-23&active=false'));
    expect(delta.total).toBe(2);
  });
});

describe('change feed and search API', () => {
  it('lists created, updated and withdrawn entries in commit order with a resumable cursor', async () => {
    const first = json(await get('/api/directory/changes?limit=3'));
    expect(first.items).toHaveLength(3);
    expect(first.hasMore).toBe(true);
    const rest = json(await get(`/api/directory/changes?since=${first.next}&limit=1000`));
    const all = [...first.items, ...rest.items];
    const seqs = all.map((c: { seq: string }) => Number(c.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(all.map((c: { change: string }) => c.change))).toEqual(new Set(['created', 'withdrawn']));
    const end = json(await get(`/api/directory/changes?since=${rest.next}`));
    expect(end).toMatchObject({ items: [], next: rest.next, hasMore: false });
    expect((await get('/api/directory/changes?since=abc')).statusCode).toBe(400);
  });

  it('searches published professionals by name, RPPS, profession and role and shows a public card', async () => {
    const byName = json(await get('/api/directory/practitioners?q=exercicé'));
    expect(byName.total).toBe(2);
    const byRpps = json(await get(`/api/directory/practitioners?q=${people[0]!.rpps}`));
    expect(byRpps.items[0].family).toBe('ExerciceA');
    const byStructure = json(await get(`/api/directory/practitioners?structure=${otherEgInScope}&profession=313&role=GENR11`));
    expect(byStructure.items.map((i: { rpps: string }) => i.rpps)).toEqual([people[1]!.rpps]);
    const card = json(await get(`/api/directory/practitioners/${people[0]!.rpps}`));
    expect(card.situations[0]).toMatchObject({ egFiness: egInScope, professionCode: '313', active: true });
    expect((await get(`/api/directory/practitioners/${people[3]!.rpps}`)).statusCode).toBe(404);
  });
});

describe('every response', () => {
  it('validates against FHIR R4 (third-party validator)', () => {
    let checked = 0;
    for (const body of responses) {
      if (!body) continue;
      const parsed = JSON.parse(body);
      if (!parsed.resourceType) continue;
      for (const r of resourcesOf(parsed)) {
        expect(fhirR4Issues(r), JSON.stringify(r).slice(0, 200)).toEqual([]);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('conforms to the ANS public profiles (as-dp-*, IG Annuaire Santé 1.1.0) and the FHIR JSON rules', () => {
    let checked = 0;
    for (const body of responses) {
      if (!body) continue;
      const parsed = JSON.parse(body);
      if (!parsed.resourceType) continue;
      expect(fhirJsonIssues(parsed), body.slice(0, 200)).toEqual([]);
      if (parsed.resourceType === 'Bundle') {
        // searchset (FHIR R4 http.html §3.1.0.8, bundle.html): absolute fullUrl = [base]/[type]/[id],
        // search.mode match | include, absolute self (and next) links, total counting matches only.
        expect(parsed.type).toBe('searchset');
        for (const l of parsed.link) expect(l.url).toMatch(/^https?:\/\/[^/]+\/fhir\/(Practitioner|PractitionerRole|Organization)\b/);
        expect(parsed.link[0].relation).toBe('self');
        for (const e of parsed.entry ?? []) {
          expect(e.fullUrl).toMatch(/^https?:\/\//);
          expect(e.fullUrl.endsWith(`/fhir/${e.resource.resourceType}/${e.resource.id}`)).toBe(true);
          expect(['match', 'include']).toContain(e.search.mode);
        }
        const matches = (parsed.entry ?? []).filter((e: { search: { mode: string } }) => e.search.mode === 'match').length;
        if (parsed.total !== undefined && !parsed.link.some((l: { relation: string }) => l.relation === 'next')) {
          // One page holding every match (not a later page, nor a count: _summary=count, _count=0).
          if (!/[?&](_page=|_summary=count|_count=0+(&|$))/.test(parsed.link[0].url)) expect(parsed.total, parsed.link[0].url).toBe(matches);
        }
      }
      for (const r of resourcesOf(parsed)) {
        // A subset (_elements, tagged SUBSETTED) is not expected to meet its profile (FHIR R4 search §3.1.1.5.9).
        if (JSON.stringify((r as { meta?: { tag?: unknown } }).meta?.tag ?? []).includes('SUBSETTED')) continue;
        expect(asDpProfileIssues(r), JSON.stringify(r).slice(0, 200)).toEqual([]);
        if (['Practitioner', 'PractitionerRole', 'Organization'].includes((r as { resourceType: string }).resourceType)) checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('contains none of the seeded personal data', () => {
    const all = responses.join('\n').toUpperCase();
    expect(personalDataFoundIn(all, secrets)).toEqual([]);
    expect(all).not.toMatch(/BIRTH|GENDER|"SEXE"|EMAIL|MOBILE/);
  });
});
