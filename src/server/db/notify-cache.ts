/**
 * A per-process cache whose entries are dropped by database change notifications (LISTEN/NOTIFY),
 * generic over what it keeps: the caller names the keys a notification invalidates. Like the
 * session cache (src/server/auth/session-cache.ts), it is **used only while the process listens**:
 * when the listening connection is lost it is emptied and bypassed (every read goes to the
 * database) until it listens again, and it starts empty then (notifications sent meanwhile are lost).
 *
 * `generation` guards the race of a read that started before a notification and ends after it:
 * `set` stores only if no notification (nor a change of listening state) arrived since the caller
 * took `generation()` before its query.
 *
 * Bounded by `maxEntries` (the oldest stored leave first, a sixteenth of them at a time once it is
 * full); `ttlMs` (optional) bounds an entry's age.
 */
export function createNotifiedCache<V>(options: { maxEntries: number; ttlMs?: number; now?: () => number }) {
  const now = options.now ?? (() => performance.now());
  const ttlMs = options.ttlMs ?? Infinity;
  const entries = new Map<string, { value: V; storedAt: number }>();
  let listening = false;
  let generation = 0;
  const stats = { hits: 0, misses: 0 };

  /**
   * Drops the oldest entries (a Map keeps insertion order): the overflow and a sixteenth of
   * `maxEntries` more, through one iterator. Dropping the first entry one at a time made each
   * `keys().next()` step over the holes the earlier deletions left at the front of V8's table: at
   * 50,000 entries every store of a full cache cost ~24 µs, 0.4 µs by sixteenths (issue 18,
   * docs/performance.md "Fifth round").
   */
  function evictOldest() {
    const oldest = entries.keys();
    for (let n = entries.size - options.maxEntries + Math.floor(options.maxEntries / 16); n > 0; n--) entries.delete(oldest.next().value!);
  }

  return {
    /** Whether entries are served and stored: on (maxEntries > 0) and listening. */
    get enabled() {
      return options.maxEntries > 0 && listening;
    },
    get size() {
      return entries.size;
    },
    /** Reads answered from memory and not, since start (for benchmarks and metrics). */
    stats,
    generation: () => generation,
    get(key: string): V | undefined {
      if (!listening || options.maxEntries <= 0) return undefined;
      const e = entries.get(key);
      if (e && ttlMs !== Infinity && now() - e.storedAt >= ttlMs) entries.delete(key);
      else if (e) {
        stats.hits++;
        return e.value;
      }
      stats.misses++;
      return undefined;
    },
    /** Stores `value` unless something changed since `since` (a `generation()` taken before the read). */
    set(key: string, value: V, since: number): void {
      if (!listening || options.maxEntries <= 0 || since !== generation) return;
      entries.delete(key);
      entries.set(key, { value, storedAt: ttlMs === Infinity ? 0 : now() });
      if (entries.size > options.maxEntries) evictOldest();
    },
    /** A notification naming these keys (`'*'`: every entry). */
    invalidate(keys: Iterable<string> | '*'): void {
      generation++;
      if (keys === '*') entries.clear();
      else for (const k of keys) entries.delete(k);
    },
    /** The listening connection is up (true) or lost (false): either way, start empty. */
    setListening(up: boolean): void {
      listening = up;
      generation++;
      entries.clear();
    },
  };
}

export type NotifiedCache<V> = ReturnType<typeof createNotifiedCache<V>>;
