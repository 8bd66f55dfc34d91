import { createBatcher } from '../../db/batcher.ts';

/**
 * Reads by key coalesced into few statements, on the kernel's `createBatcher`: at most
 * `concurrency` statements in flight; the keys asked for while they run wait and go together in
 * the next one (`key = any($1)`, each key once, up to `maxBatch` requests). A lone request goes on
 * the next turn of the event loop, so nothing waits on a quiet server; under load one round trip
 * serves many requests (FHIR read by id: docs/performance.md "FHIR read by id"). A key not found
 * answers `undefined`; each key is read by a statement sent after it was asked for.
 */
export function batchedLookup<R>(
  load: (keys: string[]) => Promise<R[]>,
  keyOf: (row: R) => string,
  options: { concurrency?: number; maxBatch?: number } = {},
): (key: string) => Promise<R | undefined> {
  const batcher = createBatcher<string, R | undefined>(
    async (keys) => {
      const rows = await load([...new Set(keys)]);
      const found = new Map(rows.map((r) => [keyOf(r), r]));
      return keys.map((key) => found.get(key));
    },
    { maxConcurrent: options.concurrency ?? 2, maxSize: options.maxBatch ?? 200 },
  );
  return (key) => batcher.call(key);
}
