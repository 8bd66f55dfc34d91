import fs from 'node:fs';
import { afterAll } from 'vitest';

declare module 'vitest' {
  interface TaskMeta {
    /** CPU time (user + system, ms) of the worker process and its reaped children while this file ran. */
    cpuMs?: number;
  }
}

/**
 * Setup file: measures the CPU time a test file costs (its import, hooks and tests), read from
 * /proc/self/stat (utime + stime + cutime + cstime): the worker's own time, PGlite included, and
 * that of the child processes it waited for (Chromium, CLI children). Not a PostgreSQL server's.
 * `tests/support/timing-reporter.ts` prints it. On a shared machine, CPU time compares runs where
 * wall-clock time does not. Linux only (elsewhere nothing is recorded).
 */
function cpuMs(): number | undefined {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14–17 of proc(5) (utime, stime, cutime, cstime), in clock ticks (100 per second).
    return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 10;
  } catch {
    return undefined;
  }
}

const start = cpuMs();
afterAll(({}, suite) => {
  const end = cpuMs();
  if (start !== undefined && end !== undefined) suite.meta.cpuMs = end - start;
});
