/**
 * Polls `probe` until it returns something other than undefined, and returns it; throws after
 * `timeoutMs`. With `ignoreErrors`, a throwing probe counts as "not yet" (a server restarting).
 */
export async function until<T>(
  probe: () => Promise<T | undefined>,
  { timeoutMs, intervalMs = 100, ignoreErrors = false }: { timeoutMs: number; intervalMs?: number; ignoreErrors?: boolean },
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = ignoreErrors ? await probe().catch(() => undefined) : await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
