/**
 * Reads by key coalesced into few statements: at most `concurrency` statements in flight; the keys
 * asked for while they run wait and go together in the next one (`where key in (…)`, up to
 * `maxBatch`). A lone request goes at once (a batch of one), so nothing waits on a quiet server;
 * under load one round trip to the database serves many requests instead of one each (FHIR read
 * by id: docs/performance.md "FHIR read by id"). Nothing is cached: each key is read by a
 * statement sent after it was asked for.
 */
export function batchedLookup<R>(
  load: (keys: string[]) => Promise<R[]>,
  keyOf: (row: R) => string,
  options: { concurrency?: number; maxBatch?: number } = {},
): (key: string) => Promise<R | undefined> {
  const concurrency = options.concurrency ?? 2;
  const maxBatch = options.maxBatch ?? 200;
  let waiting = new Map<string, { resolve: (row: R | undefined) => void; reject: (err: unknown) => void }[]>();
  let inFlight = 0;

  function pump() {
    while (inFlight < concurrency && waiting.size > 0) {
      let batch = waiting;
      if (batch.size <= maxBatch) waiting = new Map();
      else {
        batch = new Map();
        for (const [key, callers] of waiting) {
          batch.set(key, callers);
          waiting.delete(key);
          if (batch.size === maxBatch) break;
        }
      }
      inFlight += 1;
      load([...batch.keys()]).then(
        (rows) => {
          const found = new Map(rows.map((r) => [keyOf(r), r]));
          for (const [key, callers] of batch) for (const c of callers) c.resolve(found.get(key));
        },
        (err: unknown) => {
          for (const callers of batch.values()) for (const c of callers) c.reject(err);
        },
      ).finally(() => {
        inFlight -= 1;
        pump();
      });
    }
  }

  return (key) =>
    new Promise<R | undefined>((resolve, reject) => {
      const callers = waiting.get(key);
      if (callers) callers.push({ resolve, reject });
      else waiting.set(key, [{ resolve, reject }]);
      pump();
    });
}
