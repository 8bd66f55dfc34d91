import { todayOf } from '../../calendar.ts';
import { batchedLookup } from './batched-lookup.ts';
import { applyElements } from './elements.ts';
import { FhirError, invalid } from './outcome.ts';
import { createFhirQueries } from './queries.ts';
import { type CachedRead, readCacheKey } from './read-cache.ts';
import { type FhirResource, finessOfOrganizationId, type ResourceType, toOrganization, toPractitioner, toPractitionerRole } from './resources.ts';
import type { FhirDeps } from './deps.ts';

/**
 * The UTF-8 bytes of `text` in a buffer of their own: `Buffer.from` takes small buffers from a
 * shared 8 kB slab, which a cached entry would keep alive whole.
 */
function exactBuffer(text: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  bytes.write(text);
  return bytes;
}

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
