import type { LightMyRequestResponse } from 'fastify';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/support/app.ts';
import { fixedClock } from '../../../tests/support/db.ts';
import { apiScopes } from '../auth/api-keys.ts';
import { createDirectoryPublication } from '../modules/directory/publication.ts';
import { personalDataFoundIn, registrationWithPersonalData } from '../modules/fhir/testing.ts';
import { toCsv, validRow } from '../modules/bulk-import/testing.ts';
import { demo, multipart, sessionFor } from '../modules/onboarding/testing.ts';
import { createRegisterService } from '../modules/register/service.ts';
import { actor as registrar, egOutOfScope } from '../modules/register/testing.ts';
import { problemTypeBase } from '../errors.ts';

// test:clock: not date-sensitive (random input, dates included, from a fixed seed; what it checks holds on any date: no 5xx, problem+json, no personal data, refused writes change nothing).
/**
 * Fuzzing from the outside (docs/testing.md#fuzzing): every operation of the generated OpenAPI
 * document receives malformed and edge-case input (wrong types, missing fields, huge strings,
 * NUL and unicode, malformed JSON, wrong content types, hostile path and query values) from an
 * anonymous caller, a gestionnaire and an ANS operator signed in with a valid CSRF token, and a
 * machine key with every scope. Whatever comes in: never a 5xx; errors are problem+json (an
 * OperationOutcome under /fhir) in French; the seeded état civil of a person outside every
 * caller's scope never comes back; a rejected state-changing request changes nothing.
 *
 * FUZZ_RUNS (default 20) runs per operation, FUZZ_SEED (printed) replays a run.
 */
// eslint-disable-next-line no-restricted-properties -- test knob, not application configuration
const runs = Number(process.env.FUZZ_RUNS ?? 20);
// eslint-disable-next-line no-restricted-properties -- test knob, not application configuration
const seed = Number(process.env.FUZZ_SEED ?? 20261123);

type Schema = Record<string, unknown>;
interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  pathParams: { name: string; schema: Schema }[];
  queryParams: { name: string; schema: Schema }[];
  body?: Schema;
}
interface Caller {
  name: 'anonyme' | 'gestionnaire' | 'opérateur' | 'machine';
  headers: Record<string, string>;
}
interface Attempt {
  method: Operation['method'];
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

let t: TestApp;
let operations: Operation[] = [];
let callers: Caller[] = [];
const secrets: string[] = [];
/** `<METHOD> <path> <in>:<name>` of every parameter the OpenAPI document lists. */
const documented: string[] = [];
/** Real values for path parameters, so some requests get past "not found" to the checks behind. */
const known: Record<string, string[]> = {};
/** The FHIR result parameters and the values they are given (set up with real `_page` tokens). */
let resultParams: Record<string, Schema> = {};
/** A draft of the gestionnaire that only the hand-picked cases use (the fuzz may delete the one it knows). */
let handPickedDraftId = '';

// ---------------------------------------------------------------------------------------------
// Hostile values

const huge = 'x'.repeat(200_000);
const nastyStrings = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%00',
  '%',
  '%ZZ',
  "' OR 1=1 --",
  '"; DROP TABLE person; --',
  '<script>alert(1)</script>',
  '${7*7}',
  '\uD800',
  '\uFEFF',
  '𝕏🙂 é\u0301',
  '\u202Eevil',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1e400',
  '99999999999999999999999999',
  'null',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  '2026-02-30',
  '0000-00-00',
  '9999-12-31T23:59:60Z',
  'a'.repeat(5_000),
];
const nastyString = fc.oneof(fc.constantFrom(...nastyStrings), fc.string({ unit: 'binary', maxLength: 40 }), fc.constant(huge));
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  fc.constantFrom(null, true, false, 0, -1, -2147483649, 2 ** 53 + 1, 1e308, -1e308, 0.5, [], {}, [null], [[[]]]),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  fc.constant(JSON.parse('{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}') as unknown),
);

// ---------------------------------------------------------------------------------------------
// Values from the OpenAPI schemas, with a hostile value now and then at any depth

let components: Record<string, Schema> = {};
const resolve = (s: Schema): Schema => (typeof s.$ref === 'string' ? resolve(components[s.$ref.split('/').pop()!] ?? {}) : s);

function stringFor(s: Schema): fc.Arbitrary<string> {
  if (s.format === 'date') return fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  if (s.format === 'date-time') return fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  if (s.format === 'uuid') return fc.uuid();
  if (s.format === 'email') return fc.emailAddress();
  if (typeof s.pattern === 'string') {
    try {
      return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= Number(s.maxLength ?? 1000));
    } catch {
      // a pattern JavaScript cannot read: any string
    }
  }
  return fc.string({ minLength: Number(s.minLength ?? 0), maxLength: Math.min(Number(s.maxLength ?? 30), 60) });
}

function plausible(schema: Schema, depth: number): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  if ('const' in s) return fc.constant(s.const);
  const alternatives = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (alternatives?.length) return fc.oneof(...alternatives.map((a) => valueFor(a, depth)));
  if (Array.isArray(s.allOf) && s.allOf.length > 0) return valueFor(s.allOf[0] as Schema, depth);
  const type = Array.isArray(s.type) ? (s.type as string[]).find((x) => x !== 'null') : s.type;
  switch (type) {
    case 'string':
      return stringFor(s);
    case 'integer':
      return fc.integer({ min: Number(s.minimum ?? -10), max: Number(s.maximum ?? 100_000) });
    case 'number':
      return fc.double({ min: Number(s.minimum ?? -10), max: Number(s.maximum ?? 100_000), noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return depth > 3 ? fc.constant([]) : fc.array(valueFor((s.items as Schema) ?? {}, depth + 1), { maxLength: 3 });
    case 'object': {
      const props = (s.properties ?? {}) as Record<string, Schema>;
      if (depth > 3 || Object.keys(props).length === 0) return fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 2 });
      const required = ((s.required ?? []) as string[]).filter((k) => k in props);
      return fc
        .tuple(
          fc.record(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, valueFor(v, depth + 1)])), { requiredKeys: required }),
          // Sometimes a required member is missing.
          fc.option(fc.constantFrom(...(required.length ? required : ['-'])), { freq: 4 }),
        )
        .map(([obj, drop]) => {
          const copy: Record<string, unknown> = { ...(obj as Record<string, unknown>) };
          if (drop) delete copy[drop];
          return copy;
        });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function valueFor(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: plausible(schema, depth), weight: 5 }, { arbitrary: nastyValue, weight: 1 });
}

// ---------------------------------------------------------------------------------------------
// Requests

const malformedBodies = ['', '{', '{"a":', 'null', '[]', '"texte"', '1', '{"a":1,"a":2}', '\u0000', '{"x":"\uD800"}', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}'];
const contentTypes = ['application/json', 'application/json; charset=utf-16', 'text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data', 'application/fhir+json', ''];

/** encodeURIComponent, also for lone surrogates (sent as their raw UTF-8 bytes). */
function encode(v: string): string {
  try {
    return encodeURIComponent(v);
  } catch {
    return [...Buffer.from(v)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  }
}

function pathValue(name: string, schema: Schema): fc.Arbitrary<string> {
  const real = known[name] ?? [];
  const raw = fc.constantFrom('..%2F..%2Fetc%2Fpasswd', '%2e%2e%2f', '%00', 'a%00b', '%C0%AE', 'x'.repeat(3_000), '-1', '0', '1.5', '1e9', '%20', '%E2%80%AE');
  return fc.oneof(
    { arbitrary: real.length ? fc.constantFrom(...real) : fc.constant('1'), weight: 2 },
    { arbitrary: stringFor(resolve(schema)).filter((v) => v.length > 0).map(encode), weight: 1 },
    { arbitrary: nastyString.filter((v) => v.length > 0).map((v) => encode(v.slice(0, 5_000))), weight: 2 },
    { arbitrary: raw, weight: 2 },
  );
}

function queryString(params: Operation['queryParams']): fc.Arbitrary<string> {
  const one = (p: Operation['queryParams'][number]) =>
    fc.option(
      valueFor(p.schema).map((v) => {
        const values = Array.isArray(v) ? v : [v];
        const text = values.map((x) => (typeof x === 'string' ? x : JSON.stringify(x) ?? ''));
        return text.map((x) => `${encode(p.name)}=${encode(x.slice(0, 20_000))}`).join('&');
      }),
      { freq: 3 },
    );
  return fc
    .tuple(
      fc.tuple(...params.map(one)),
      // Duplicated parameters, unknown ones, and a raw hostile tail.
      fc.option(fc.constantFrom(...params.map((p) => p.name), 'inconnu'), { freq: 3 }),
      fc.option(fc.constantFrom('%', '%ZZ', 'a=%00', '&&&', '=x', 'a[b]=1&a[c]=2', 'a[]=1&a[]=2', '__proto__[x]=1', 'constructor[prototype][x]=1', `q=${'z'.repeat(9_000)}`), { freq: 4 }),
    )
    .map(([parts, dup, tail]) => {
      const list = parts.filter((x): x is string => x !== null && x !== '');
      if (dup) list.push(`${dup}=1`, `${dup}=2`);
      if (tail) list.push(tail);
      return list.length ? `?${list.join('&')}` : '';
    });
}

function bodyFor(op: Operation): fc.Arbitrary<{ payload?: string | Buffer; type?: string }> {
  const json = (op.body ? valueFor(op.body) : nastyValue).map((v) => ({ payload: JSON.stringify(v) ?? 'null', type: 'application/json' }));
  return fc.oneof(
    { arbitrary: json, weight: op.body ? 6 : 1 },
    { arbitrary: fc.constantFrom(...malformedBodies).map((payload) => ({ payload, type: 'application/json' })), weight: 2 },
    { arbitrary: fc.tuple(json, fc.constantFrom(...contentTypes)).map(([b, type]) => ({ payload: b.payload, type })), weight: 2 },
    { arbitrary: fc.uint8Array({ maxLength: 64 }).map((a) => ({ payload: Buffer.from(a), type: 'application/octet-stream' })), weight: 1 },
    { arbitrary: fc.constant({}), weight: op.body ? 1 : 3 },
  );
}

function requestFor(op: Operation): fc.Arbitrary<Attempt & { caller: Caller }> {
  return fc
    .record({
      caller: fc.constantFrom(...callers),
      params: fc.tuple(...op.pathParams.map((p) => pathValue(p.name, p.schema))),
      query: queryString(op.queryParams),
      body: op.method === 'GET' ? fc.constant({} as { payload?: string | Buffer; type?: string }) : bodyFor(op),
    })
    .map(({ caller, params, query, body }) => {
      let i = 0;
      const path = op.path.replace(/\{[^}]+\}/g, () => params[i++]!);
      const headers: Record<string, string> = { ...caller.headers };
      if (body.type) headers['content-type'] = body.type;
      return { caller, method: op.method, url: path + query, headers, ...(body.payload === undefined ? {} : { payload: body.payload }) };
    });
}

// ---------------------------------------------------------------------------------------------
// What must hold for every response

const english = /\b(must|should|required|invalid|expected|unexpected|cannot|not found|unsupported|error|failed|body|querystring|params)\b/i;

function violations(attempt: Attempt & { caller?: Caller }, res: LightMyRequestResponse): string[] {
  const found: string[] = [];
  if (res.statusCode >= 500) found.push(`statut ${res.statusCode}`);
  const type = String(res.headers['content-type'] ?? '');
  const underFhir = /^\/fhir(\/|\?|$)/.test(attempt.url);
  if (res.statusCode >= 400) {
    let body: Record<string, unknown> | undefined;
    try {
      body = JSON.parse(res.body) as Record<string, unknown>;
    } catch {
      found.push('corps d’erreur non JSON');
    }
    if (underFhir && body?.resourceType === 'OperationOutcome') {
      if (!type.startsWith('application/fhir+json')) found.push(`OperationOutcome en ${type}`);
      const issues = body.issue as { severity?: string; code?: string; diagnostics?: string; details?: { text?: string } }[] | undefined;
      if (!issues?.length || !issues.every((i) => i.severity && i.code)) found.push('OperationOutcome sans issue complète');
      for (const i of issues ?? []) if (english.test(i.diagnostics ?? i.details?.text ?? '')) found.push(`message non français : ${i.diagnostics ?? i.details?.text}`);
    } else if (body) {
      if (!type.startsWith('application/problem+json')) found.push(`erreur en ${type || 'sans type'}`);
      for (const k of ['type', 'title', 'detail'] as const) if (typeof body[k] !== 'string' || body[k] === '') found.push(`problem sans ${k}`);
      if (typeof body.type === 'string' && !body.type.startsWith(problemTypeBase)) found.push(`type inconnu ${body.type}`);
      if (body.status !== res.statusCode) found.push(`status ${String(body.status)} ≠ ${res.statusCode}`);
      if (english.test(String(body.detail))) found.push(`detail non français : ${String(body.detail)}`);
      const errors = body.errors as { pointer?: unknown; detail?: unknown }[] | undefined;
      if (body.type === `${problemTypeBase}validation`) {
        if (!errors?.length) found.push('erreur de validation sans errors');
        for (const e of errors ?? []) {
          if (typeof e.pointer !== 'string' || !e.pointer.startsWith('/') || typeof e.detail !== 'string') found.push(`errors mal formé ${JSON.stringify(e)}`);
          else if (english.test(e.detail)) found.push(`errors non français : ${e.detail}`);
        }
      }
    }
  }
  // Nobody in this test may see the seeded person (outside every caller's scope; the operator
  // only for errors). Error bodies never carry anyone's personal data.
  if (res.statusCode >= 400 || attempt.caller?.name !== 'opérateur') {
    const leaked = personalDataFoundIn(res.body, secrets);
    if (leaked.length) found.push(`données personnelles renvoyées : ${leaked.join(', ')}`);
  }
  return found;
}

/** Cheap fingerprint of the business data: content hashes of the small tables, counts of the big. */
const hashed = ['person', 'person_version', 'situation', 'registration_draft', 'registration_submission', 'preregistration', 'contract', 'habilitation', 'habilitation_eg', 'mandataire', 'access_matrix', 'access_matrix_entry', 'ecps_account', 'ecps_activation_code', 'contact_change', 'register_event', 'staff_role', 'structure_history', 'card_order'];
const counted = ['account', 'structure', 'stored_file', 'mail_message', 'bulk_import', 'bulk_import_row', 'rpps_number', 'directory_practitioner', 'directory_practitioner_role', 'directory_change', 'directory_extraction', 'nomenclature_code'];
let lastFingerprint: { lsn: string; fingerprint: Record<string, string> } | undefined;
/**
 * The fingerprint, recomputed only when the write-ahead log moved since the last one: the WAL
 * insert position unchanged means nothing at all was written (on PGlite, a cluster of its own,
 * that is most refused requests: about 4 s of CPU saved; on PostgreSQL the other databases of
 * the cluster move it too, and the fingerprint is computed each time).
 */
async function fingerprint(): Promise<Record<string, string>> {
  const { rows } = await sql<{ lsn: string }>`select pg_current_wal_insert_lsn()::text as lsn`.execute(t.database.db);
  const lsn = rows[0]!.lsn;
  if (lastFingerprint?.lsn === lsn) return lastFingerprint.fingerprint;
  lastFingerprint = { lsn, fingerprint: await computeFingerprint() };
  return lastFingerprint.fingerprint;
}
async function computeFingerprint(): Promise<Record<string, string>> {
  const parts = [
    ...hashed.map((n) => `(select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from ${n} t) as ${n}`),
    ...counted.map((n) => `(select count(*)::text from ${n}) as ${n}`),
    // Access decisions are audited even when a question is refused (who asked about whom): that
    // log of questions is not a change of data (src/server/modules/access/decisions.ts).
    // Identity checks too (issue 15: a dry run is counted and audited, `identity_check_quota` is
    // not listed here): the log of who looked identities up, not a change of data.
    `(select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from audit_event t where action not like 'access.decide%' and action not in ('identity.check', 'identity.identify-locked')) as audit_event`,
    // api_key.last_used_at moves on use: only its rows and revocations.
    `(select count(*) || '/' || count(revoked_at) from api_key) as api_key`,
  ];
  const { rows } = await sql.raw<Record<string, string>>(`select ${parts.join(', ')}`).execute(t.database.db);
  return rows[0]!;
}

const inject = (a: Attempt) => t.app.inject({ method: a.method, url: a.url, headers: a.headers, ...(a.payload === undefined ? {} : { payload: a.payload }) });
const describeAttempt = (a: Attempt & { caller?: Caller }) =>
  `${a.caller?.name ?? ''} ${a.method} ${a.url.slice(0, 300)} ${a.headers['content-type'] ?? ''} ${typeof a.payload === 'string' ? a.payload.slice(0, 300) : ''}`;

beforeAll(async () => {
  const clock = fixedClock('2026-11-23T10:00:00Z');
  t = await createTestApp({ clock, env: { RATE_LIMIT_PUBLIC_PER_MINUTE: '1000000', RATE_LIMIT_MACHINE_PER_MINUTE: '1000000', LOGIN_RATE_LIMIT_PER_MINUTE: '10000' } });
  const { db, config } = t.database;

  // A published professional outside the scope of every caller, with an état civil to look for.
  const { input, personalData } = registrationWithPersonalData(4242, 'FUZZ');
  input.situation.egFiness = egOutOfScope;
  const registered = await createRegisterService({ db, clock, config }).registerProfessional(registrar, [egOutOfScope], input);
  await createDirectoryPublication({ db, clock }).publishPending();
  secrets.push(...personalData);

  const gestionnaire = await sessionFor(t.app, db, demo.idnps.gestionnaireEj);
  const operator = await sessionFor(t.app, db, demo.idnps.operator);
  const machine = await t.app.auth.apiKeys.create({ name: 'Fuzz', scopes: Object.keys(apiScopes), national: true });
  callers = [
    { name: 'anonyme', headers: {} },
    { name: 'gestionnaire', headers: gestionnaire.headers ?? {} },
    { name: 'opérateur', headers: operator.headers ?? {} },
    { name: 'machine', headers: { authorization: `Bearer ${machine.key}` } },
  ];
  // A registration in progress of the gestionnaire: its steps get past "not found" to validation.
  const draft = (await t.app.inject({ method: 'POST', url: '/api/register/drafts', headers: callers[1]!.headers })).json() as { id: string };
  handPickedDraftId = ((await t.app.inject({ method: 'POST', url: '/api/register/drafts', headers: callers[1]!.headers })).json() as { id: string }).id;
  const finess = [demo.ej, demo.eg1, egOutOfScope];
  Object.assign(known, {
    finess,
    ejFiness: finess,
    rpps: [registered.rpps, `8${registered.rpps}`],
    id: [draft.id, registered.situationId, '00000000-0000-0000-0000-000000000000'],
    provider: ['psc', 'franceconnect'],
    kind: ['profession', 'role', 'mode'],
  });

  const doc = (await t.app.inject({ url: '/api/docs/json' })).json() as {
    paths: Record<string, Record<string, { parameters?: { in: string; name: string; schema: unknown }[]; requestBody?: { content: Record<string, { schema: Schema }> } }>>;
    components: { schemas: Record<string, Schema> };
  };
  components = doc.components.schemas;
  // The FHIR search parameters are listed by the CapabilityStatement, not the OpenAPI document.
  const cs = (await t.app.inject({ url: '/fhir/metadata' })).json() as { rest: { resource: { type: string; searchParam?: { name: string }[] }[] }[] };
  // Real `_page` tokens (from `next` links), reused by the fuzz with any criteria.
  const pageTokens: string[] = [];
  for (const type of ['Practitioner', 'PractitionerRole', 'Organization']) {
    const bundle = (await t.app.inject({ url: `/fhir/${type}?_count=1` })).json() as { link?: { relation: string; url: string }[] };
    const next = bundle.link?.find((l) => l.relation === 'next');
    if (next) pageTokens.push(new URL(next.url).searchParams.get('_page')!);
  }
  // The result parameters, with the edge values a FHIR client sends (a 500 there fails the suite:
  // `_count=0` did, docs/testing.md "Checked from outside").
  resultParams = {
    _count: { enum: ['0', '00', '1', '2', '50', '1000', '1001', '-1', '1.5', ' 1', 'abc'] },
    _total: { enum: ['none', 'estimate', 'accurate', 'maybe'] },
    _summary: { enum: ['count', 'false', 'true', 'data', 'text'] },
    _elements: { enum: ['id', 'name', 'identifier,name', 'meta', 'qualification,active,code', 'na me', ',', ''] },
    _format: { enum: ['json', 'application/fhir+json', 'application/fhir json', 'application/json', 'xml', 'application/fhir+xml', 'html'] },
    _page: { enum: [...pageTokens, 'eyJhIjoxfQ', 'x'] },
  };
  const fhirParams = (resource: string) => [
    ...[...(cs.rest[0]!.resource.find((r) => r.type === resource)?.searchParam ?? []).map((p) => p.name), '_include', '_revinclude', '_sort', '_id', 'page'].map(
      (name) => ({ name, schema: { type: 'string' } as Schema }),
    ),
    ...Object.entries(resultParams).map(([name, schema]) => ({ name, schema })),
  ];
  // Reads and the CapabilityStatement: the result parameters that apply to them.
  const fhirReadParams = ['_elements', '_format', '_summary'].map((name) => ({ name, schema: resultParams[name]! }));

  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) for (const p of op.parameters ?? []) documented.push(`${method.toUpperCase()} ${path} ${p.in}:${p.name}`);
  }
  // Signing out would end the callers' sessions: tested in the auth module.
  delete doc.paths['/auth/logout'];
  operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => {
      const params = (op.parameters ?? []).filter((p) => typeof p.schema === 'object' && p.schema !== null) as { in: string; name: string; schema: Schema }[];
      const fhirResource = /^\/fhir\/(\w+)(\/_search)?$/.exec(path)?.[1];
      return {
        method: method.toUpperCase() as Operation['method'],
        path,
        pathParams: params.filter((p) => p.in === 'path'),
        queryParams:
          fhirResource && fhirResource !== 'metadata'
            ? fhirParams(fhirResource)
            : path.startsWith('/fhir/')
              ? fhirReadParams
              : params.filter((p) => p.in === 'query'),
        ...(op.requestBody?.content['application/json'] ? { body: op.requestBody.content['application/json'].schema } : {}),
      };
    }),
  );
  // Deletions last, so the real ids stay usable by the other operations.
  operations.sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
  console.info(`fuzz: ${operations.length} operations, ${runs} runs each, FUZZ_SEED=${seed}`);
});
afterAll(() => t?.close());

describe('fuzzing every operation of the OpenAPI document', () => {
  it('finds the operations', () => {
    expect(operations.length).toBeGreaterThan(50);
    expect(operations.filter((o) => o.body).length).toBeGreaterThan(20);
    // Parameters are real ones, never the JSON Schema keywords of a free-form query schema.
    expect(documented.filter((d) => /:(propertyNames|additionalProperties|description)$/.test(d))).toEqual([]);
    expect(documented).toContain('GET /fhir/Practitioner query:identifier');
    // The FHIR result parameters are varied, with real `_page` tokens of the three types.
    const search = operations.find((o) => o.method === 'GET' && o.path === '/fhir/Practitioner')!;
    expect(search.queryParams.map((p) => p.name)).toEqual(expect.arrayContaining(['_count', '_total', '_summary', '_elements', '_page', '_format']));
    expect(((search.queryParams.find((p) => p.name === '_page')!.schema.enum as string[]) ?? []).length).toBeGreaterThanOrEqual(3);
  });

  it('answers malformed input with a clear 4xx in French that changes nothing and leaks nothing', async () => {
    const findings = new Map<string, string>();
    /** Responses by caller and status: the fuzz must get past authentication and into validation. */
    const seen = new Map<string, number>();
    for (const [index, op] of operations.entries()) {
      const mutating = op.method !== 'GET';
      let before = mutating ? await fingerprint() : undefined;
      await fc.assert(
        fc.asyncProperty(requestFor(op), async (attempt) => {
          const res = await inject(attempt);
          const problems = violations(attempt, res);
          const kind = `${attempt.caller.name} ${res.statusCode}${res.statusCode === 400 && res.body.includes(':validation"') ? ' validation' : ''}`;
          seen.set(kind, (seen.get(kind) ?? 0) + 1);
          if (mutating) {
            const after = await fingerprint();
            if (res.statusCode >= 400) {
              const changed = Object.keys(after).filter((k) => after[k] !== before![k]);
              if (changed.length) problems.push(`requête refusée (${res.statusCode}) mais données modifiées : ${changed.join(', ')}`);
            }
            before = after;
          }
          // One example per operation and kind of problem.
          const key = `${op.method} ${op.path}: ${problems.map((p) => p.slice(0, 40)).join(' | ')}`;
          if (problems.length && !findings.has(key)) findings.set(key, `${describeAttempt(attempt)} → ${res.statusCode} ${res.body.slice(0, 300)}\n    ${problems.join('\n    ')}`);
        }),
        { numRuns: runs, seed: seed + index, endOnFailure: true },
      );
    }
    console.info(`fuzz: ${[...seen].sort().map(([k, n]) => `${k}: ${n}`).join(', ')}`);
    expect([...findings.values()]).toEqual([]);
    for (const caller of ['gestionnaire', 'opérateur', 'machine']) {
      expect(seen.get(`${caller} 400 validation`) ?? 0, caller).toBeGreaterThan(10);
      expect(seen.get(`${caller} 200`) ?? 0, caller).toBeGreaterThan(10);
    }
  }, 600_000);
});

describe('FHIR result parameters', () => {
  const types = ['Practitioner', 'PractitionerRole', 'Organization'];
  const valuesOf = (name: string) => resultParams[name]!.enum as string[];

  it('each value alone, on each search and read: never a 5xx', async () => {
    const findings: string[] = [];
    for (const type of types) {
      const bundle = (await t.app.inject({ url: `/fhir/${type}?_count=1` })).json() as { entry?: { resource: { id: string } }[] };
      const read = `/fhir/${type}/${bundle.entry?.[0]?.resource.id ?? 'x'}`;
      for (const [name, schema] of Object.entries(resultParams)) {
        for (const value of schema.enum as string[]) {
          for (const url of [`/fhir/${type}?${name}=${encode(value)}`, `/fhir/${type}?active=true&${name}=${encode(value)}`, `${read}?${name}=${encode(value)}`]) {
            const attempt: Attempt = { method: 'GET', url, headers: {} };
            const problems = violations(attempt, await inject(attempt));
            if (problems.length) findings.push(`${url}: ${problems.join(', ')}`);
          }
        }
      }
    }
    expect(findings).toEqual([]);
  });

  it('combined at random, on GET and POST _search: never a 5xx', async () => {
    const findings = new Map<string, string>();
    const combination = fc.record(Object.fromEntries(Object.keys(resultParams).map((name) => [name, fc.constantFrom(...valuesOf(name))])), { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...types), fc.boolean(), fc.boolean(), combination, async (type, post, criterion, params) => {
        const query = [...(criterion ? ['active=true'] : []), ...Object.entries(params).map(([k, v]) => `${k}=${encode(String(v))}`)].join('&');
        const attempt: Attempt = post
          ? { method: 'POST', url: `/fhir/${type}/_search`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: query }
          : { method: 'GET', url: `/fhir/${type}?${query}`, headers: {} };
        const res = await inject(attempt);
        const problems = violations(attempt, res);
        if (problems.length) findings.set(problems.join(' | '), `${describeAttempt(attempt)} → ${res.statusCode} ${res.body.slice(0, 200)}`);
      }),
      { numRuns: Math.max(runs * 10, 100), seed },
    );
    expect([...findings.values()]).toEqual([]);
  }, 120_000);
});

describe('hand-picked hostile requests', () => {
  const json = { 'content-type': 'application/json' };
  const deep = `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`;
  const cases: { name: string; attempt: () => Attempt; status?: number }[] = [
    { name: 'prototype pollution in a JSON body', attempt: () => ({ method: 'POST', url: '/api/register/identify', headers: { ...callers[1]!.headers, ...json }, payload: '{"__proto__":{"x":1}}' }) },
    { name: 'prototype pollution to the API key route', attempt: () => ({ method: 'POST', url: '/api/api-keys', headers: { ...callers[2]!.headers, ...json }, payload: '{"name":"k","scopes":["directory:read"],"__proto__":{"isAdmin":true}}' }) },
    { name: 'a 10 MB JSON body', status: 413, attempt: () => ({ method: 'POST', url: '/api/register/identify', headers: { ...callers[1]!.headers, ...json }, payload: JSON.stringify({ birthName: 'x'.repeat(10 * 1024 * 1024) }) }) },
    { name: 'a NUL byte in a path', attempt: () => ({ method: 'GET', url: '/api/structures/6908%0000206', headers: callers[1]!.headers }) },
    { name: 'a NUL byte in a FHIR id', attempt: () => ({ method: 'GET', url: '/fhir/Practitioner/abc%00', headers: {} }) },
    { name: 'a non-numeric FHIR _count', status: 400, attempt: () => ({ method: 'GET', url: '/fhir/Practitioner?_count=abc', headers: {} }) },
    { name: 'path traversal under /fhir', attempt: () => ({ method: 'GET', url: '/fhir/Practitioner/../../etc/passwd', headers: {} }) },
    { name: 'encoded path traversal under /fhir', attempt: () => ({ method: 'GET', url: '/fhir/Practitioner/..%2F..%2Fetc%2Fpasswd', headers: {} }) },
    { name: 'a NUL character in a path parameter', status: 400, attempt: () => ({ method: 'GET', url: '/api/register/professionals/a%00b', headers: callers[1]!.headers }) },
    { name: 'a NUL character in a JSON body', status: 400, attempt: () => ({ method: 'POST', url: '/api/register/identify', headers: { ...callers[1]!.headers, ...json }, payload: JSON.stringify({ birthName: 'Du\u0000pont', firstNames: ['A'], birthDate: '1980-01-01' }) }) },
    { name: 'a NUL character under /fhir', status: 400, attempt: () => ({ method: 'GET', url: '/fhir/Practitioner?family=a%00b', headers: {} }) },
    { name: 'multipart without a boundary', status: 400, attempt: () => ({ method: 'POST', url: '/api/bulk-imports', headers: { ...callers[2]!.headers, 'content-type': 'multipart/form-data' }, payload: 'x' }) },
    // The draft is looked up before the body is read: an unknown one is a 404 whatever the body.
    { name: 'a truncated multipart upload', status: 404, attempt: () => ({ method: 'PUT', url: '/api/register/drafts/1/identity-document', headers: { ...callers[1]!.headers, 'content-type': 'multipart/form-data; boundary=zz' }, payload: '--zz\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF' }) },
    { name: 'a malformed session cookie', attempt: () => ({ method: 'POST', url: '/api/register/drafts', headers: { cookie: 'rpps_session=%ZZ%00; rpps_session=x', 'x-csrf-token': '\u00e9' } }) },
    { name: 'a malformed API key', status: 401, attempt: () => ({ method: 'POST', url: '/api/access-decisions', headers: { authorization: `Bearer rpps_${'0'.repeat(12)}_${'é'.repeat(43)}`, ...json }, payload: '{}' }) },
    { name: 'another authorization scheme', attempt: () => ({ method: 'GET', url: '/api/bulk-imports/machine/1', headers: { authorization: `Basic ${'A'.repeat(10_000)}` } }) },
    { name: 'an unknown FHIR format', attempt: () => ({ method: 'GET', url: '/fhir/Practitioner?_format=xml', headers: { accept: 'application/fhir+xml' } }) },
    { name: 'a hostile If-None-Match on a FHIR read', attempt: () => ({ method: 'GET', url: '/fhir/Practitioner/%2e%2e', headers: { 'if-none-match': 'W/"\u0000"' } }) },
    // Issue 15, hole 9: each of these answered 500.
    { name: 'a JSON body nested 50,000 levels deep on a pre-registration validation', status: 400, attempt: () => ({ method: 'POST', url: `/api/preregistration/queue/${known.id![0]}/validate`, headers: { ...callers[1]!.headers, ...json }, payload: `{"declarations":{"accurateAndInformed":true,"metInPerson":true},"x":${deep}}` }) },
    { name: 'a JSON body nested 50,000 levels deep on a pre-registration refusal', status: 400, attempt: () => ({ method: 'POST', url: `/api/preregistration/queue/${known.id![0]}/reject`, headers: { ...callers[1]!.headers, ...json }, payload: `{"reason":"Pas de ce service","x":${deep}}` }) },
    { name: 'a truncated multipart upload on a real draft', status: 400, attempt: () => ({ method: 'PUT', url: `/api/register/drafts/${handPickedDraftId}/identity-document`, headers: { ...callers[1]!.headers, 'content-type': 'multipart/form-data; boundary=zz' }, payload: '--zz\r\nContent-Disposition: form-data; name="identityDocument"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 abc' }) },
    { name: 'a malformed percent-encoding', status: 400, attempt: () => ({ method: 'GET', url: '/api/structures/%E0%A4%A', headers: callers[1]!.headers }) },
  ];
  it('a bulk import file with NUL characters and a huge cell: a report or a problem, never a 5xx', async () => {
    for (const mode of ['dry-run', 'commit']) {
      const csv = toCsv([validRow(1, demo.eg1, { birthName: 'Du\u0000pont' }), validRow(2, demo.eg1, { usageName: 'y'.repeat(100_000) })]);
      const form = multipart({ ejFiness: demo.ej, mode }, { file: { name: 'equipe.csv', content: csv, type: 'text/csv' } });
      const attempt: Attempt = { method: 'POST', url: '/api/bulk-imports', headers: { ...callers[1]!.headers, ...form.headers }, payload: form.payload };
      const before = await fingerprint();
      const res = await inject(attempt);
      expect(violations(attempt, res), mode).toEqual([]);
      // Both rows are refused: the dry run reports them, the commit has nothing to import.
      if (mode === 'dry-run') expect(res.json()).toMatchObject({ rows: 2, invalid: 2 });
      else expect(res.statusCode).toBe(422);
      expect(await fingerprint()).toEqual(before);
    }
  });

  it('a stray quote inside a CSV field: a 422 naming the line, never the field’s content', async () => {
    const csv = Buffer.from(toCsv([validRow(1, demo.eg1)]).toString('utf8').replace(/\n(.*?);/, '\nDu"pontSECRET;'));
    for (const mode of ['dry-run', 'commit']) {
      const form = multipart({ ejFiness: demo.ej, mode, declarations: ['accurateAndInformed', 'metInPerson'] }, { file: { name: 'equipe.csv', content: csv, type: 'text/csv' } });
      const attempt: Attempt = { method: 'POST', url: '/api/bulk-imports', headers: { ...callers[1]!.headers, ...form.headers }, payload: form.payload };
      const before = await fingerprint();
      const res = await inject(attempt);
      expect(violations(attempt, res), mode).toEqual([]);
      expect([res.statusCode, res.json().type], mode).toEqual([422, 'urn:rpps-plus:problem:bulk-import-unreadable']);
      expect(res.body).toContain('ligne 2');
      expect(res.body).not.toContain('SECRET');
      expect(await fingerprint()).toEqual(before);
    }
  });

  for (const c of cases) {
    it(c.name, async () => {
      const attempt = c.attempt();
      const before = await fingerprint();
      const res = await inject(attempt);
      expect(violations(attempt, res)).toEqual([]);
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      if (c.status) expect(res.statusCode).toBe(c.status);
      expect(await fingerprint()).toEqual(before);
      expect(({} as Record<string, unknown>).x).toBeUndefined();
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    });
  }
});
