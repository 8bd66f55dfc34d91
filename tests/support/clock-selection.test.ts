import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dateSensitiveFiles, isDateSensitive, optOutMarker, optOutReason, repoRoot, testFiles } from './clock-selection.ts';

/**
 * The rule of `npm run test:clock` (tests/support/clock-selection.ts, docs/testing.md): a test
 * file that reads a clock, builds a Date or writes an ISO date runs with the clock moved, unless
 * it opts out with a reason. A new date-sensitive file is in by default.
 */
describe('test:clock selection', () => {
  const all = [...testFiles('src'), ...testFiles('tests')];
  const read = (f: string) => fs.readFileSync(path.join(repoRoot, f), 'utf8');

  it('selects a file by what it mentions: a clock, a Date, an ISO date or date-time', () => {
    expect(isDateSensitive("const clock = fixedClock('2026-11-23T10:00:00Z');")).toBe(true);
    expect(isDateSensitive('createRegisterService({ db, clock, config })')).toBe(true);
    expect(isDateSensitive('expect(row.sentAt).toBeInstanceOf(Date)')).toBe(true);
    expect(isDateSensitive("{ startDate: '2026-11-02' }")).toBe(true);
    expect(isDateSensitive("{ expiresAt: '2020-01-01T00:00:00Z' }")).toBe(true);
    expect(isDateSensitive("expect(formatPhone('0478000000')).toBe('04 78 00 00 00')")).toBe(false);
  });

  it('leaves out a file only on an opt-out line that says why', () => {
    const text = `${optOutMarker} (crash and resume of a child process; no date logic of its own).\nconst clock = fixedClock('2026-11-23T10:00:00Z');`;
    expect(optOutReason(text)).toBe('crash and resume of a child process; no date logic of its own');
    expect(isDateSensitive(text)).toBe(false);
    for (const f of all) {
      const reason = optOutReason(read(f));
      if (reason !== undefined) expect(reason, `${f}: "${optOutMarker} (why)" needs its reason`).not.toBe('');
    }
  });

  it('runs the files that reason about dates, never the browser or cluster tests', () => {
    const selected = dateSensitiveFiles();
    for (const f of [
      'src/server/modules/register/register-jobs.int.test.ts', // scheduled end dates, forgotten drafts
      'src/server/modules/auth/sessions.e2e.test.ts', // session expiry
      'src/server/modules/auth/csrf-and-keys.e2e.test.ts', // API key expiry
      'src/server/modules/ecps/ecps.e2e.test.ts', // activation codes
      'src/server/modules/directory/extraction.e2e.test.ts', // daily extraction
      'src/server/modules/dashboard/dashboard.int.test.ts', // registrations by month
      'src/server/modules/onboarding/contract-annex.e2e.test.ts', // contract dates
      'src/server/modules/structures/import/import.int.test.ts', // FINESS opening and closing dates
      'src/server/modules/bulk-import/bulk-import.int.test.ts', // birth and start dates of rows
    ]) {
      expect(selected, f).toContain(f);
    }
    expect(selected.filter((f) => f.startsWith('tests/e2e/') || f.startsWith('tests/cluster/'))).toEqual([]);
    expect(selected.length).toBeGreaterThan(30);
  });
});
