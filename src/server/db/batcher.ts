/**
 * Calls that arrive together run together (issue 18): each `call(input)` joins a waiting group,
 * and one `run(inputs)` — one statement — serves the whole group. No timer: the calls made in one
 * turn of the event loop run at once; while `maxConcurrent` runs are in flight, new calls wait
 * and the next run takes all of them (up to `maxSize`), so groups grow with the load and a lone
 * call waits for nothing but its own run. `maxDelayMs` (default 0) adds a gathering delay.
 *
 * `run` answers one result per input, in order; if it fails (or answers a wrong count), every
 * call of its group rejects with that error: no call is told it succeeded when it did not.
 * Used by the audit writer's group commit (src/server/audit.ts), the single access decisions'
 * lookups (src/server/modules/access/decisions.ts) and the FHIR reads by id
 * (src/server/modules/fhir/batched-lookup.ts).
 */
export interface Batcher<I, O> {
  call(input: I): Promise<O>;
  /** Runs what waits and waits for the runs in flight (at shutdown). */
  close(): Promise<void>;
}

export interface BatcherOptions {
  maxDelayMs?: number;
  maxSize?: number;
  maxConcurrent?: number;
}

export function createBatcher<I, O>(run: (inputs: I[]) => Promise<readonly O[]>, options: BatcherOptions = {}): Batcher<I, O> {
  const maxDelayMs = options.maxDelayMs ?? 0;
  const maxSize = options.maxSize ?? 500;
  const maxConcurrent = options.maxConcurrent ?? 2;
  type Waiting = { input: I; resolve: (value: O) => void; reject: (err: unknown) => void };
  let pending: Waiting[] = [];
  let scheduled: NodeJS.Timeout | NodeJS.Immediate | undefined;
  const inFlight = new Set<Promise<void>>();

  function schedule() {
    if (scheduled || pending.length === 0 || inFlight.size >= maxConcurrent) return;
    scheduled = maxDelayMs > 0 ? setTimeout(flush, maxDelayMs) : setImmediate(flush);
  }

  function settle(group: Waiting[], results: readonly O[]) {
    if (results.length !== group.length) {
      const err = new Error(`batcher: ${results.length} results for ${group.length} calls`);
      for (const w of group) w.reject(err);
      return;
    }
    group.forEach((w, i) => w.resolve(results[i]!));
  }

  function flush() {
    scheduled = undefined;
    const group = pending.length <= maxSize ? pending : pending.slice(0, maxSize);
    pending = pending.length <= maxSize ? [] : pending.slice(maxSize);
    if (group.length === 0) return;
    let running: Promise<readonly O[]>;
    try {
      running = run(group.map((w) => w.input));
    } catch (err) {
      running = Promise.reject(err);
    }
    const done = running.then(
      (results) => settle(group, results),
      (err: unknown) => group.forEach((w) => w.reject(err)),
    );
    inFlight.add(done);
    void done.finally(() => {
      inFlight.delete(done);
      schedule();
    });
    schedule();
  }

  return {
    call(input: I): Promise<O> {
      return new Promise<O>((resolve, reject) => {
        pending.push({ input, resolve, reject });
        schedule();
      });
    },
    async close() {
      while (pending.length > 0 || inFlight.size > 0 || scheduled) {
        if (scheduled) {
          if (maxDelayMs > 0) clearTimeout(scheduled as NodeJS.Timeout);
          else clearImmediate(scheduled as NodeJS.Immediate);
          scheduled = undefined;
        }
        if (pending.length > 0) flush();
        await Promise.allSettled([...inFlight]);
      }
    },
  };
}
