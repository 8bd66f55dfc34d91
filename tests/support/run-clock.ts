import { spawnSync } from 'node:child_process';
import { dateSensitiveFiles, repoRoot } from './clock-selection.ts';

/**
 * `npm run test:clock [-- files…]`: runs the date-sensitive test files with the system clock a
 * year ahead, then a year back (libfaketime through Debian's `faketime` wrapper), so that a test
 * or a code path that depends on today's date fails today, not on some day of next year.
 *
 * The date-sensitive files: the rule of tests/support/clock-selection.ts (every test file outside
 * tests/e2e and tests/cluster that reads a clock, builds a `Date` or writes an ISO date, unless it
 * opts out with a `// test:clock: not date-sensitive (why)` line); or the files given. Embedded PGlite
 * only: it runs inside the test process, so its now() moves with the clock; a PostgreSQL server is
 * a separate process that faketime does not reach (docs/testing.md, Dates and clocks).
 * `TEST_CLOCK_OFFSETS` overrides the offsets (default `+365d -365d`). Arguments are handed to vitest
 * as they are: files, or a selection such as `--project server`. `TEST_CLOCK_DATABASE_URL` runs the
 * tests on that PostgreSQL server instead: only Node's clock moves then, the server's `now()` stays
 * at the real date, so a code path that mixes the two fails too. `.ci/run` runs every server test
 * a year ahead on PGlite and a year back on PostgreSQL that way.
 */
const offsets = (process.env.TEST_CLOCK_OFFSETS ?? '+365d -365d').split(/\s+/).filter(Boolean);

const which = spawnSync('sh', ['-c', 'command -v faketime'], { encoding: 'utf8' });
if (which.status !== 0) {
  process.stderr.write('test:clock needs faketime (libfaketime): apt-get install faketime\n');
  process.exit(1);
}

const given = process.argv.slice(2);
const files = given.length > 0 ? given : dateSensitiveFiles();
const env = { ...process.env };
delete env.DATABASE_URL;
if (process.env.TEST_CLOCK_DATABASE_URL) env.DATABASE_URL = process.env.TEST_CLOCK_DATABASE_URL;

let failed = false;
for (const offset of offsets) {
  // libfaketime must reach Node (and PGlite inside it): check before trusting a green run.
  const probe = spawnSync('faketime', ['-f', offset, process.execPath, '-e', 'process.stdout.write(String(Date.now()))'], { encoding: 'utf8' });
  const shiftDays = (Number(probe.stdout) - Date.now()) / 86_400_000;
  if (!Number.isFinite(shiftDays) || Math.abs(shiftDays) < 1) {
    process.stderr.write(`test:clock: faketime -f ${offset} did not move Node's clock (${probe.stderr || probe.stdout})\n`);
    process.exit(1);
  }
  const what = given.length > 0 ? given.join(' ') : `${files.length} date-sensitive files`;
  process.stdout.write(`\ntest:clock: ${what} with the system clock moved ${offset} (faketime -f ${offset}: Node's clock reads ${new Date(Number(probe.stdout)).toISOString()})\n`);
  const res = spawnSync('faketime', ['-f', offset, 'npx', 'vitest', 'run', ...files], { cwd: repoRoot, env, stdio: 'inherit' });
  if (res.status !== 0) {
    process.stdout.write(`test:clock: FAILED with the clock moved ${offset}\n`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
