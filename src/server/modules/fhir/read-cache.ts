import type { FastifyInstance } from 'fastify';
import client from 'prom-client';
import { listenWhileRunning } from '../../auth/session-cache.ts';
import type { AppContext } from '../../context.ts';
import { createNotifiedCache, type NotifiedCache } from '../../db/notify-cache.ts';
import type { ResourceType } from './resources.ts';

/** The channel the `directory_read_cache_notify` triggers send on (migration scale3m_20261205T0600_directory_read_cache_notify). */
export const directoryChangesChannel = 'rpps_directory_changes';

/**
 * A read by id as it is sent: the serialized resource and its validators. The body is kept as the
 * JSON string (one byte a character for Latin-1 text, like a buffer): Node writes a string body
 * with the response's headers in one write, and a cached entry holds no buffer of its own outside
 * the JavaScript heap (a buffer per entry costs an allocation, and its release, on every miss).
 */
export interface CachedRead {
  body: string;
  etag: string;
  lastModified: string | undefined;
  /** Organization only: the day its `active` was computed for (it depends on the date). */
  day: string | undefined;
}

export type FhirReadCache = NotifiedCache<CachedRead>;

/** The cache key of a resource: `<type>/<logical id>`, the id as the resource carries it. */
export const readCacheKey = (type: ResourceType, id: string) => `${type}/${id}`;

const prefixOf: Record<string, string> = { p: 'Practitioner/', r: 'PractitionerRole/', o: 'Organization/org-' };

/** The keys a notification names (`p:<id>,…`, `r:<id>,…`, `o:<finess>,…`), or `'*'` (every entry; anything unknown). */
export function keysOfNotification(payload: string): string[] | '*' {
  const prefix = payload[1] === ':' ? prefixOf[payload[0]!] : undefined;
  if (!prefix) return '*';
  return payload
    .slice(2)
    .split(',')
    .map((k) => prefix + k);
}

/** Prometheus gauge of the cache (docs/operations.md#metrics). */
export const readCacheMetric = 'rpps_fhir_read_cache';

/** The cache's figures from a metrics registry (`state` → value): what tests and the benchmark read. */
export async function readCacheFigures(registry: client.Registry): Promise<Record<string, number>> {
  const metric = registry.getSingleMetric(readCacheMetric);
  if (!metric) return {};
  const { values } = await metric.get();
  return Object.fromEntries(values.map((v) => [String(v.labels.state), v.value]));
}

export function createFhirReadCache(maxEntries: number): FhirReadCache {
  return createNotifiedCache<CachedRead>({ maxEntries });
}

/**
 * Feeds the read cache with the directory's change notifications, through the kernel's listener
 * (its own LISTEN connection on PostgreSQL, in-process on PGlite). The cache serves nothing until
 * the listener is up, and is emptied and bypassed whenever it is lost. Without a way to listen
 * (PGlite not given) the cache stays off.
 */
export async function listenForDirectoryChanges(app: FastifyInstance, ctx: AppContext, cache: FhirReadCache): Promise<void> {
  if (ctx.metrics && !ctx.metrics.registry.getSingleMetric(readCacheMetric)) {
    new client.Gauge({
      name: readCacheMetric,
      help: 'FHIR read-by-id cache of this process: entries, hits and misses since start, listening (1) or bypassed (0)',
      labelNames: ['state'],
      registers: [ctx.metrics.registry],
      collect() {
        this.set({ state: 'entries' }, cache.size);
        this.set({ state: 'hits' }, cache.stats.hits);
        this.set({ state: 'misses' }, cache.stats.misses);
        this.set({ state: 'listening' }, cache.enabled ? 1 : 0);
      },
    });
  }
  await listenWhileRunning(app, { databaseUrl: ctx.config.databaseUrl, pglite: ctx.pglite }, {
    event: 'fhir',
    what: 'FHIR read cache',
    channel: directoryChangesChannel,
    applicationName: 'rpps-directory-listener',
    onNotification: (payload: string) => cache.invalidate(keysOfNotification(payload)),
    onListening: (up: boolean) => cache.setListening(up),
  });
}
