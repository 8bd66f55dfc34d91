import { createHash } from 'node:crypto';
import { todayOf } from '../../calendar.ts';
import { countAll, countUpTo, plannerEstimate } from '../../db/count.ts';
import { applyElements } from './elements.ts';
import { invalid } from './outcome.ts';
import { createFhirQueries } from './queries.ts';
import { type FhirResource, finessOfOrganizationId, type ResourceType, toOrganization, toPractitioner, toPractitionerRole } from './resources.ts';
import { type ParsedSearch, parseSearch, type RawParams } from './search.ts';
import type { FhirDeps } from './deps.ts';

/** Resources pulled in by _include/_revinclude per page, at most (protects the server). */
const maxIncluded = 1000;
/** Matches counted exactly when `_total` is absent or `estimate` (see `bundleTotal`). */
export const totalCap = 1000;

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

/** A count without entries: `_summary=count`, or `_count=0` (FHIR R4 search, `_count`: zero entries, the total only). */
const countOnly = (s: ParsedSearch) => s.summaryCount || s.count === 0;

export interface BundleEntry {
  fullUrl: string;
  resource: FhirResource;
  search: { mode: 'match' | 'include' };
}

/** What the steps of a search read with: the queries on `db` and the day (an Organization's `active`). */
interface SearchContext {
  db: FhirDeps['db'];
  queries: ReturnType<typeof createFhirQueries>;
  today: () => string;
}

async function matchPage(ctx: SearchContext, type: ResourceType, s: ParsedSearch, after: string | null) {
  switch (type) {
    case 'Practitioner': {
      const p = await ctx.queries.practitioners(s.criteria, after, s.count);
      return { resources: p.rows.map(toPractitioner), next: p.next, rows: p.rows };
    }
    case 'PractitionerRole': {
      const p = await ctx.queries.roles(s.criteria, after, s.count);
      return { resources: p.rows.map(toPractitionerRole), next: p.next, rows: p.rows };
    }
    case 'Organization': {
      const p = await ctx.queries.organizations(s.criteria, ctx.today(), after, s.count);
      return { resources: p.rows.map((r) => toOrganization(r, ctx.today())), next: p.next, rows: p.rows };
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
async function bundleTotal(ctx: SearchContext, type: ResourceType, s: ParsedSearch): Promise<number | undefined> {
  const matches = ctx.queries.matches(type, s.criteria, ctx.today());
  if (s.total === 'accurate' || (countOnly(s) && s.total !== 'estimate')) return countAll(ctx.db, matches);
  if (s.total === 'none') return undefined;
  const capped = (type === 'Practitioner' ? await ctx.queries.countNameWordUpTo(s.criteria, totalCap) : undefined) ?? (await countUpTo(ctx.db, matches, totalCap));
  if (!capped.more) return capped.count;
  if (s.total === 'estimate') return Math.max(totalCap + 1, await plannerEstimate(ctx.db, matches));
  return undefined;
}

async function included(ctx: SearchContext, type: ResourceType, s: ParsedSearch, matches: FhirResource[]): Promise<FhirResource[]> {
  const out: FhirResource[] = [];
  const ids = matches.map((m) => m.id);
  const want = (list: string[], value: string) => list.includes(value) || list.includes('*');
  if (type === 'Practitioner' && s.revinclude.includes('PractitionerRole:practitioner')) {
    out.push(...(await ctx.queries.rolesOf('practitionerId', ids, maxIncluded)).map(toPractitionerRole));
  }
  if (type === 'PractitionerRole') {
    const refs = (field: 'practitioner' | 'organization') =>
      [...new Set(matches.map((m) => (m[field] as { reference?: string } | undefined)?.reference?.split('/')[1]).filter((x): x is string => Boolean(x)))];
    if (want(s.include, 'PractitionerRole:practitioner')) out.push(...(await ctx.queries.practitionersById(refs('practitioner'))).map(toPractitioner));
    if (want(s.include, 'PractitionerRole:organization')) {
      const finess = refs('organization').map(finessOfOrganizationId).filter((f): f is string => f !== null);
      out.push(...(await ctx.queries.organizationsByFiness(finess)).map((r) => toOrganization(r, ctx.today())));
    }
  }
  if (type === 'Organization') {
    if (want(s.include, 'Organization:partof')) {
      const parents = [...new Set(matches.map((m) => (m.partOf as { reference?: string } | undefined)?.reference?.split('/')[1]).filter((x): x is string => Boolean(x)))];
      const have = new Set(ids);
      const finess = parents.filter((p) => !have.has(p)).map(finessOfOrganizationId).filter((f): f is string => f !== null);
      out.push(...(await ctx.queries.organizationsByFiness(finess)).map((r) => toOrganization(r, ctx.today())));
    }
    if (s.revinclude.includes('PractitionerRole:organization')) {
      const finess = ids.map(finessOfOrganizationId).filter((f): f is string => f !== null);
      out.push(...(await ctx.queries.rolesOf('egFiness', finess, maxIncluded)).map(toPractitionerRole));
    }
  }
  return out;
}

/** Searches (`GET /fhir/<type>?…`): a `searchset` Bundle, keyset-paged, on `db` (a replica when there is one). */
export function createFhirSearch(deps: FhirDeps) {
  const ctx: SearchContext = { db: deps.db, queries: createFhirQueries(deps.db), today: () => todayOf(deps.clock) };
  const fullUrl = (r: FhirResource) => `${deps.baseUrl}/${r.resourceType}/${r.id}`;

  function link(type: ResourceType, s: ParsedSearch, page: string | null) {
    const params = new URLSearchParams();
    for (const [k, v] of s.used) params.append(k, v);
    if (page) params.set('_page', page);
    const q = params.toString();
    return `${deps.baseUrl}/${type}${q ? `?${q}` : ''}`;
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
        const total = token ? token.t : await bundleTotal(ctx, type, s);
        return { resourceType: 'Bundle', type: 'searchset', total, link: [{ relation: 'self', url: link(type, s, null) }] };
      }
      // The count and the page at the same time (two connections), not one after the other.
      const [total, { resources, next }] = await Promise.all([token ? token.t : bundleTotal(ctx, type, s), matchPage(ctx, type, s, token?.a ?? null)]);
      const entries: BundleEntry[] = resources.map((r) => ({ fullUrl: fullUrl(r), resource: applyElements(r, s.elements), search: { mode: 'match' } }));
      if (s.include.length > 0 || s.revinclude.length > 0) {
        const seen = new Set(entries.map((e) => e.fullUrl));
        for (const r of await included(ctx, type, s, resources)) {
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
  };
}
