import { createHash } from 'node:crypto';
import { todayOf } from '../../calendar.ts';
import type { Clock } from '../../context.ts';
import { countAll, countUpTo, plannerEstimate } from '../../db/count.ts';
import type { Database } from '../../db/database.ts';
import { batchedLookup } from './batched-lookup.ts';
import { FhirError, invalid } from './outcome.ts';
import { createFhirQueries } from './queries.ts';
import { type CachedRead, type FhirReadCache, readCacheKey } from './read-cache.ts';
import {
  type FhirResource,
  finessOfOrganizationId,
  organizationVersion,
  type ResourceType,
  toOrganization,
  toPractitioner,
  toPractitionerRole,
} from './resources.ts';
import { type ParsedSearch, parseSearch, type RawParams } from './search.ts';

/** Resources pulled in by _include/_revinclude per page, at most (protects the server). */
const maxIncluded = 1000;
/** Matches counted exactly when `_total` is absent or `estimate` (see `bundleTotal`). */
export const totalCap = 1000;
const subsetted = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED' };

/**
 * The opaque `_page` token of `next` links: the last id seen, the total of the first page, and a
 * digest of the search criteria it belongs to (`c`): reused with other criteria it would page one
 * search with another's position and total, so it is refused (400) — see `criteriaDigest`.
 */
interface PageToken {
  a: string;
  t?: number;
  c: string;
}

/**
 * The criteria of a search, whatever their order in the query; result parameters (`_count`,
 * `_elements`, `_include`…) are not part of it and may change from page to page.
 */
function criteriaDigest(type: ResourceType, s: ParsedSearch): string {
  const criteria = s.criteria.map((c) => JSON.stringify(c)).sort();
  return createHash('sha256').update(JSON.stringify([type, criteria])).digest('base64url').slice(0, 16);
}
function encodePage(token: PageToken) {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}
function decodePage(raw: string): PageToken {
  try {
    if (!/^[A-Za-z0-9_-]{1,400}$/.test(raw)) throw new Error('format');
    const t = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as PageToken;
    if (typeof t.a !== 'string' || !/^[A-Za-z0-9\-.]{1,64}$/.test(t.a) || (t.t !== undefined && !Number.isInteger(t.t)) || typeof t.c !== 'string') {
      throw new Error('shape');
    }
    return t;
  } catch {
    throw invalid('Paramètre _page non valide : suivez les liens « next » tels quels.', '_page');
  }
}

/**
 * The UTF-8 bytes of `text` in a buffer of their own: `Buffer.from` takes small buffers from a
 * shared 8 kB slab, which a cached entry would keep alive whole.
 */
function exactBuffer(text: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  bytes.write(text);
  return bytes;
}

/** A count without entries: `_summary=count`, or `_count=0` (FHIR R4 search, `_count`: zero entries, the total only). */
const countOnly = (s: ParsedSearch) => s.summaryCount || s.count === 0;

/**
 * `_elements` (searches and reads): the elements asked for, with the ones the profiles require
 * (identifier, active) so a subset stays valid; a resource trimmed this way is tagged SUBSETTED
 * (FHIR R4 search §3.1.1.5.9), one left whole is not.
 */
function applyElements(resource: FhirResource, elements: string[] | null): FhirResource {
  if (!elements) return resource;
  const kept: FhirResource = { resourceType: resource.resourceType, id: resource.id };
  for (const e of elements) if (e in resource && e !== 'meta') kept[e] = resource[e];
  for (const e of ['identifier', 'active']) if (e in resource) kept[e] = resource[e];
  const trimmed = Object.keys(resource).some((k) => k !== 'meta' && !(k in kept));
  if (!trimmed) return resource;
  const tags = (resource.meta?.tag as unknown[] | undefined) ?? [];
  kept.meta = { ...(resource.meta ?? {}), tag: [...tags, subsetted] };
  return kept;
}

export interface BundleEntry {
  fullUrl: string;
  resource: FhirResource;
  search: { mode: 'match' | 'include' };
}

/**
 * `db`: where searches (and reads by id without a cache) read, a replica when there is one.
 * `readCache`: the resources served by id, kept while the instance listens to the directory's
 * changes (read-cache.ts); what it stores is read from `lookupDb`, the primary that sends the
 * notifications (a replica's lagging copy read after a notification would be kept as if current).
 */
export function createFhirService(deps: { db: Database; clock: Clock; baseUrl: string; readCache?: FhirReadCache; lookupDb?: Database }) {
  const queries = createFhirQueries(deps.db);
  const lookups = deps.lookupDb ? createFhirQueries(deps.lookupDb) : queries;
  const cache = deps.readCache;
  const today = () => todayOf(deps.clock);
  const fullUrl = (r: FhirResource) => `${deps.baseUrl}/${r.resourceType}/${r.id}`;
  // Reads by id, coalesced under load (one statement for the ids asked for meanwhile).
  const practitionerById = batchedLookup(lookups.practitionersById, (r) => r.id);
  const roleById = batchedLookup(lookups.rolesById, (r) => r.id);
  const organizationByFiness = batchedLookup(lookups.organizationsByFiness, (r) => r.finess.trimEnd());

  async function matchPage(type: ResourceType, s: ParsedSearch, after: string | null) {
    switch (type) {
      case 'Practitioner': {
        const p = await queries.practitioners(s.criteria, after, s.count);
        return { resources: p.rows.map(toPractitioner), next: p.next, rows: p.rows };
      }
      case 'PractitionerRole': {
        const p = await queries.roles(s.criteria, after, s.count);
        return { resources: p.rows.map(toPractitionerRole), next: p.next, rows: p.rows };
      }
      case 'Organization': {
        const p = await queries.organizations(s.criteria, today(), after, s.count);
        return { resources: p.rows.map((r) => toOrganization(r, today())), next: p.next, rows: p.rows };
      }
    }
  }

  /**
   * `Bundle.total` (FHIR R4 search §3.1.1.5.8 `_total`; docs/directory-and-fhir.md "Totals"):
   * - `_total=accurate` and `_summary=count`: exact count;
   * - `_total=none`: no total;
   * - `_total=estimate`: exact up to `totalCap` matches, past it the planner's row estimate
   *   (`EXPLAIN`, no row read), never less than `totalCap + 1`;
   * - no `_total`: exact up to `totalCap` matches, omitted past it, as the ANS server omits the
   *   total of expensive searches (a common name prefix matches hundreds of thousands).
   */
  async function bundleTotal(type: ResourceType, s: ParsedSearch): Promise<number | undefined> {
    const matches = queries.matches(type, s.criteria, today());
    if (s.total === 'accurate' || (countOnly(s) && s.total !== 'estimate')) return countAll(deps.db, matches);
    if (s.total === 'none') return undefined;
    const capped = (type === 'Practitioner' ? await queries.countNameWordUpTo(s.criteria, totalCap) : undefined) ?? (await countUpTo(deps.db, matches, totalCap));
    if (!capped.more) return capped.count;
    if (s.total === 'estimate') return Math.max(totalCap + 1, await plannerEstimate(deps.db, matches));
    return undefined;
  }

  async function included(type: ResourceType, s: ParsedSearch, matches: FhirResource[]): Promise<FhirResource[]> {
    const out: FhirResource[] = [];
    const ids = matches.map((m) => m.id);
    const want = (list: string[], value: string) => list.includes(value) || list.includes('*');
    if (type === 'Practitioner' && s.revinclude.includes('PractitionerRole:practitioner')) {
      out.push(...(await queries.rolesOf('practitionerId', ids, maxIncluded)).map(toPractitionerRole));
    }
    if (type === 'PractitionerRole') {
      const refs = (field: 'practitioner' | 'organization') =>
        [...new Set(matches.map((m) => (m[field] as { reference?: string } | undefined)?.reference?.split('/')[1]).filter((x): x is string => Boolean(x)))];
      if (want(s.include, 'PractitionerRole:practitioner')) out.push(...(await queries.practitionersById(refs('practitioner'))).map(toPractitioner));
      if (want(s.include, 'PractitionerRole:organization')) {
        const finess = refs('organization').map(finessOfOrganizationId).filter((f): f is string => f !== null);
        out.push(...(await queries.organizationsByFiness(finess)).map((r) => toOrganization(r, today())));
      }
    }
    if (type === 'Organization') {
      if (want(s.include, 'Organization:partof')) {
        const parents = [...new Set(matches.map((m) => (m.partOf as { reference?: string } | undefined)?.reference?.split('/')[1]).filter((x): x is string => Boolean(x)))];
        const have = new Set(ids);
        const finess = parents.filter((p) => !have.has(p)).map(finessOfOrganizationId).filter((f): f is string => f !== null);
        out.push(...(await queries.organizationsByFiness(finess)).map((r) => toOrganization(r, today())));
      }
      if (s.revinclude.includes('PractitionerRole:organization')) {
        const finess = ids.map(finessOfOrganizationId).filter((f): f is string => f !== null);
        out.push(...(await queries.rolesOf('egFiness', finess, maxIncluded)).map(toPractitionerRole));
      }
    }
    return out;
  }

  function link(type: ResourceType, s: ParsedSearch, page: string | null) {
    const params = new URLSearchParams();
    for (const [k, v] of s.used) params.append(k, v);
    if (page) params.set('_page', page);
    const q = params.toString();
    return `${deps.baseUrl}/${type}${q ? `?${q}` : ''}`;
  }

  async function read(type: ResourceType, id: string, day = today()): Promise<FhirResource> {
    if (!/^[A-Za-z0-9\-.]{1,64}$/.test(id)) throw invalid('Identifiant de ressource non valide.', 'id');
    const notFound = () => new FhirError(404, 'not-found', `${type}/${id} introuvable.`);
    if (type === 'Practitioner') {
      const row = await practitionerById(id);
      if (!row) throw notFound();
      return toPractitioner(row);
    }
    if (type === 'PractitionerRole') {
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound();
      const row = await roleById(id.toLowerCase());
      if (!row) throw notFound();
      return toPractitionerRole(row);
    }
    const finess = finessOfOrganizationId(id);
    const row = finess ? await organizationByFiness(finess) : undefined;
    if (!row) throw notFound();
    return toOrganization(row, day);
  }

  return {
    async search(type: ResourceType, raw: RawParams, strict: boolean) {
      const s = parseSearch(type, raw, strict);
      const token = s.page ? decodePage(s.page) : null;
      const digest = criteriaDigest(type, s);
      if (token && token.c !== digest) {
        throw invalid('Paramètre _page : ce lien de page appartient à une autre recherche ; relancez la recherche sans _page, puis suivez ses liens « next ».', '_page');
      }
      // The first page's total travels in the `next` tokens: later pages do not count again.
      if (countOnly(s)) {
        const total = token ? token.t : await bundleTotal(type, s);
        return { resourceType: 'Bundle', type: 'searchset', total, link: [{ relation: 'self', url: link(type, s, null) }] };
      }
      // The count and the page at the same time (two connections), not one after the other.
      const [total, { resources, next }] = await Promise.all([token ? token.t : bundleTotal(type, s), matchPage(type, s, token?.a ?? null)]);
      const entries: BundleEntry[] = resources.map((r) => ({ fullUrl: fullUrl(r), resource: applyElements(r, s.elements), search: { mode: 'match' } }));
      if (s.include.length > 0 || s.revinclude.length > 0) {
        const seen = new Set(entries.map((e) => e.fullUrl));
        for (const r of await included(type, s, resources)) {
          const url = fullUrl(r);
          if (seen.has(url)) continue;
          seen.add(url);
          entries.push({ fullUrl: url, resource: r, search: { mode: 'include' } });
        }
      }
      const links = [{ relation: 'self', url: link(type, s, s.page) }];
      if (next) links.push({ relation: 'next', url: link(type, s, encodePage({ a: next, ...(total !== undefined ? { t: total } : {}), c: digest })) });
      return {
        resourceType: 'Bundle',
        type: 'searchset',
        meta: { lastUpdated: deps.clock.now().toISOString() },
        ...(total !== undefined ? { total } : {}),
        link: links,
        // FHIR R4 JSON (json.html §2.6.2): an array is never empty; a search without match has no `entry`.
        ...(entries.length > 0 ? { entry: entries } : {}),
      };
    },

    /**
     * A read by id as it is sent (serialized, with its ETag and Last-Modified), from the read cache
     * when it holds it. A miss takes the cache's generation before its statement, so a change
     * notified while it runs keeps its result out of the cache. Not found is never cached.
     */
    async readResponse(type: ResourceType, id: string, elements: string[] | null = null): Promise<CachedRead> {
      const whole = await readWhole(type, id);
      if (!elements) return whole;
      // A subset is made from the whole resource (cached or not) and never cached itself.
      const resource = JSON.parse(whole.body.toString('utf8')) as FhirResource;
      return { ...whole, body: Buffer.from(JSON.stringify(applyElements(resource, elements))) };
    },

    read: (type: ResourceType, id: string) => read(type, id),
  };

  /** The whole resource of a read, as sent: from the read cache or read and kept (see readResponse). */
  async function readWhole(type: ResourceType, id: string): Promise<CachedRead> {
    // An Organization's `active` depends on the day: its entry is good for the day it was made.
    const day = type === 'Organization' ? today() : undefined;
    const hit = cache?.get(readCacheKey(type, type === 'PractitionerRole' ? id.toLowerCase() : id));
    if (hit && hit.day === day) return hit;
    const since = cache?.generation() ?? 0;
    const resource = await read(type, id, day);
    const lastUpdated = resource.meta?.lastUpdated;
    const entry: CachedRead = {
      body: exactBuffer(JSON.stringify(resource)),
      etag: `W/"${resource.meta?.versionId ?? '0'}"`,
      lastModified: lastUpdated ? new Date(lastUpdated).toUTCString() : undefined,
      day,
    };
    cache?.set(readCacheKey(type, resource.id), entry, since);
    return entry;
  }
}
export type FhirService = ReturnType<typeof createFhirService>;
export { organizationVersion };
