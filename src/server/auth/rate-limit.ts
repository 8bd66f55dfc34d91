/**
 * A fixed-window counter per client address, for the sign-in routes. In memory: each instance
 * counts on its own (N instances allow N × the limit), which is enough to slow down a loop
 * hammering the identity providers through us; the providers rate-limit too.
 */
export function createRateLimiter(limit: number, windowMs: number, now: () => number = Date.now) {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    /** true when this hit is allowed. */
    hit(key: string): boolean {
      const t = now();
      if (windows.size > 10_000) {
        for (const [k, w] of windows) if (t - w.start >= windowMs) windows.delete(k);
      }
      const w = windows.get(key);
      if (!w || t - w.start >= windowMs) {
        windows.set(key, { start: t, count: 1 });
        return true;
      }
      w.count += 1;
      return w.count <= limit;
    },
  };
}
