import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * `npm run test:clock [-- files…]`: runs the date-sensitive test files with the system clock a
 * year ahead, then a year back (libfaketime through Debian's `faketime` wrapper), so that a test
 * or a code path that depends on today's date fails today, not on some day of next year.
 *
 * The date-sensitive files: every test file outside the browser and cluster tests (tests/e2e,
 * tests/cluster) whose text
 * mentions a clock or a date (`clock`, `Date`, an ISO date), except those marked with a
 * `// test:clock: not date-sensitive (why)` line (slow crash, scale or concurrency tests); or
 * the files given. Embedded PGlite
 * only: it runs inside the test process, so its now() moves with the clock; a PostgreSQL server is
 * a separate process that faketime does not reach (docs/testing.md, Dates and clocks).
 * `TEST_CLOCK_OFFSETS` overrides the offsets (default `+365d -365d`).
 */
const root = path.resolve(import.meta.dirname, '../..');
const offsets = (process.env.TEST_CLOCK_OFFSETS ?? '+365d -365d').split(/\s+/).filter(Boolean);
const dateSensitive = (text: string) => /clock|\bDate\b|\b\d{4}-\d{2}-\d{2}\b/.test(text) && !text.includes('// test:clock: not date-sensitive');

function testFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory()) return rel === 'tests/e2e' || rel === 'tests/cluster' || e.name === 'node_modules' ? [] : testFiles(rel);
    return e.name.endsWith('.test.ts') ? [rel] : [];
  });
}

const which = spawnSync('sh', ['-c', 'command -v faketime'], { encoding: 'utf8' });
if (which.status !== 0) {
  process.stderr.write('test:clock needs faketime (libfaketime): apt-get install faketime\n');
  process.exit(1);
}

const given = process.argv.slice(2);
const files = given.length > 0 ? given : [...testFiles('src'), ...testFiles('tests')].filter((f) => dateSensitive(fs.readFileSync(path.join(root, f), 'utf8'))).sort();
const env = { ...process.env };
delete env.DATABASE_URL;

let failed = false;
for (const offset of offsets) {
  // libfaketime must reach Node (and PGlite inside it): check before trusting a green run.
  const probe = spawnSync('faketime', ['-f', offset, process.execPath, '-e', 'process.stdout.write(String(Date.now()))'], { encoding: 'utf8' });
  const shiftDays = (Number(probe.stdout) - Date.now()) / 86_400_000;
  if (!Number.isFinite(shiftDays) || Math.abs(shiftDays) < 1) {
    process.stderr.write(`test:clock: faketime -f ${offset} did not move Node's clock (${probe.stderr || probe.stdout})\n`);
    process.exit(1);
  }
  process.stdout.write(`\ntest:clock: ${files.length} files with the system clock moved ${offset} (faketime -f ${offset}: Node's clock reads ${new Date(Number(probe.stdout)).toISOString()})\n`);
  const res = spawnSync('faketime', ['-f', offset, 'npx', 'vitest', 'run', ...files], { cwd: root, env, stdio: 'inherit' });
  if (res.status !== 0) {
    process.stdout.write(`test:clock: FAILED with the clock moved ${offset}\n`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
