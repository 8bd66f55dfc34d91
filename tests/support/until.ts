/**
 * How long a test waits for an outcome (a job ran, a mail left, a page shows it). Generous on
 * purpose: a loaded CI machine may take tens of seconds for what takes milliseconds on a quiet
 * one. Speed is measured by `npm run bench`, never asserted by a test (docs/testing.md).
 */
export const outcomeTimeoutMs = 30_000;

/**
 * Polls `probe` until it returns something other than undefined, and returns it; throws after
 * `timeoutMs` (default {@link outcomeTimeoutMs}). With `ignoreErrors`, a throwing probe counts
 * as "not yet" (a server restarting). Uses the monotonic clock: a test that moves the system
 * clock (faketime) does not move the deadline.
 */
export async function until<T>(
  probe: () => Promise<T | undefined>,
  { timeoutMs = outcomeTimeoutMs, intervalMs = 100, ignoreErrors = false, what = 'the outcome' }: { timeoutMs?: number; intervalMs?: number; ignoreErrors?: boolean; what?: string } = {},
): Promise<T> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    const v = ignoreErrors ? await probe().catch(() => undefined) : await probe();
    if (v !== undefined) return v;
    if (performance.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
