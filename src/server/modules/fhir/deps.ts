import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import type { FhirReadCache } from './read-cache.ts';

/**
 * `db`: where searches (and reads by id without a cache) read, a replica when there is one.
 * `readCache`: the resources served by id, kept while the instance listens to the directory's
 * changes (read-cache.ts); what it stores is read from `lookupDb`, the primary that sends the
 * notifications (a replica's lagging copy read after a notification would be kept as if current).
 */
export interface FhirDeps {
  db: Database;
  clock: Clock;
  baseUrl: string;
  readCache?: FhirReadCache;
  lookupDb?: Database;
}
