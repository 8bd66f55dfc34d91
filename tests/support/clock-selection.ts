import fs from 'node:fs';
import path from 'node:path';

/**
 * Which test files `npm run test:clock` runs with the system clock moved (tests/support/run-clock.ts),
 * and why. The rule, checked by clock-selection.test.ts:
 *
 * - every test file outside the browser and cluster tests (tests/e2e, tests/cluster: real
 *   processes and Chromium, not run under faketime) whose text reads a clock (`clock`,
 *   `fixedClock`, `systemClock`), builds a `Date`, or writes an ISO date or date-time (`2026-11-02`, `2020-01-01T00:00:00Z`) is selected:
 *   a code path that compares such a date with today's date instead of the injected clock gives
 *   another answer once the system clock moves;
 * - unless it carries an opt-out line `// test:clock: not date-sensitive (why)`, with its reason:
 *   a test whose dates are incidental to what it checks (crash and resume, scale, concurrency,
 *   invariants that hold on any date) and that costs much. The reason is required.
 *
 * Opting in is the default, so a new date-sensitive file cannot escape silently; opting out is
 * a reviewed line in the file.
 */
export const optOutMarker = '// test:clock: not date-sensitive';
// An ISO date, alone or in a date-time (`2020-01-01T00:00:00Z`: no word boundary before the T).
const mentionsDates = /clock|\bDate\b|\b\d{4}-\d{2}-\d{2}(?!\d)/;
const excludedDirs = ['tests/e2e', 'tests/cluster'];

export const repoRoot = path.resolve(import.meta.dirname, '../..');

/** Every `*.test.ts` under `dir` (relative to the repository), browser and cluster tests aside. */
export function testFiles(dir: string): string[] {
  return fs.readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory()) return excludedDirs.includes(rel) || e.name === 'node_modules' ? [] : testFiles(rel);
    return e.name.endsWith('.test.ts') ? [rel] : [];
  });
}

/** The opt-out reason of a file's text ('' when the marker has none), or undefined without the marker. */
export function optOutReason(text: string): string | undefined {
  const line = text.split('\n').find((l) => l.trimStart().startsWith(optOutMarker));
  if (line === undefined) return undefined;
  return /\((.+)\)/.exec(line.slice(line.indexOf(optOutMarker) + optOutMarker.length))?.[1]?.trim() ?? '';
}

export const isDateSensitive = (text: string) => mentionsDates.test(text) && optOutReason(text) === undefined;

/** The files test:clock runs, sorted. */
export function dateSensitiveFiles(): string[] {
  return [...testFiles('src'), ...testFiles('tests')].filter((f) => isDateSensitive(fs.readFileSync(path.join(repoRoot, f), 'utf8'))).sort();
}
