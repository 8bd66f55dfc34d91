import { todayOf } from '../../calendar.ts';
import { batchedLookup } from './batched-lookup.ts';
import { applyElements } from './elements.ts';
import { FhirError, invalid } from './outcome.ts';
import { practitionerJson } from './practitioner-json.ts';
import { createFhirQueries } from './queries.ts';
import { type CachedRead, readCacheKey } from './read-cache.ts';
import { type FhirResource, finessOfOrganizationId, type ResourceType, toOrganization, toPractitioner, toPractitionerRole } from './resources.ts';
import type { FhirDeps } from './deps.ts';

/**
 * Reads by id (`GET /fhir/<type>/<id>`): from the instance's read cache when it holds the resource,
 * else by a statement coalesced with the reads asked for meanwhile (batched-lookup.ts), on
 * `lookupDb` when there is a cache (see `FhirDeps`).
 */
export function createFhirReads(deps: FhirDeps) {
  const lookups = createFhirQueries(deps.lookupDb ?? deps.db);
  const cache = deps.readCache;
  const today = () => todayOf(deps.clock);
  // Reads by id, coalesced under load (one statement for the ids asked for meanwhile).
  const practitionerById = batchedLookup(lookups.practitionersById, (r) => r.id);
  const roleById = batchedLookup(lookups.rolesById, (r) => r.id);
  const organizationByFiness = batchedLookup(lookups.organizationsByFiness, (r) => r.finess.trimEnd());

  const checkId = (id: string) => {
    if (!/^[A-Za-z0-9\-.]{1,64}$/.test(id)) throw invalid('Identifiant de ressource non valide.', 'id');
  };
  const notFound = (type: ResourceType, id: string) => new FhirError(404, 'not-found', `${type}/${id} introuvable.`);

  async function practitionerRow(id: string) {
    checkId(id);
    const row = await practitionerById(id);
    if (!row) throw notFound('Practitioner', id);
    return row;
  }

  async function read(type: ResourceType, id: string, day = today()): Promise<FhirResource> {
    if (type === 'Practitioner') return toPractitioner(await practitionerRow(id));
    checkId(id);
    if (type === 'PractitionerRole') {
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound(type, id);
      const row = await roleById(id.toLowerCase());
      if (!row) throw notFound(type, id);
      return toPractitionerRole(row);
    }
    const finess = finessOfOrganizationId(id);
    const row = finess ? await organizationByFiness(finess) : undefined;
    if (!row) throw notFound(type, id);
    return toOrganization(row, day);
  }

  return {
    /**
     * A read by id as it is sent (serialized, with its ETag and Last-Modified), from the read cache
     * when it holds it. A miss takes the cache's generation before its statement, so a change
     * notified while it runs keeps its result out of the cache. Not found is never cached.
     */
    async readResponse(type: ResourceType, id: string, elements: string[] | null = null): Promise<CachedRead> {
      const whole = await readWhole(type, id);
      if (!elements) return whole;
      // A subset is made from the whole resource (cached or not) and never cached itself.
      const resource = JSON.parse(whole.body) as FhirResource;
      return { ...whole, body: JSON.stringify(applyElements(resource, elements)) };
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
    let entry: CachedRead;
    let resourceId: string;
    if (type === 'Practitioner') {
      // The most read resource: serialized from its row without building it (practitioner-json.ts).
      const row = await practitionerRow(id);
      resourceId = row.id;
      entry = { body: practitionerJson(row), etag: `W/"${row.versionId}"`, lastModified: row.lastUpdated.toUTCString(), day };
    } else {
      const resource = await read(type, id, day);
      const lastUpdated = resource.meta?.lastUpdated;
      resourceId = resource.id;
      entry = {
        body: JSON.stringify(resource),
        etag: `W/"${resource.meta?.versionId ?? '0'}"`,
        lastModified: lastUpdated ? new Date(lastUpdated).toUTCString() : undefined,
        day,
      };
    }
    cache?.set(readCacheKey(type, resourceId), entry, since);
    return entry;
  }
}
