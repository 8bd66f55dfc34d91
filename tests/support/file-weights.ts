/**
 * The long test files, by their duration in seconds in measured runs (`.ci/run` of 5 December 2026:
 * the PGlite server tests a year ahead on a loaded machine, the browser files on PostgreSQL). Only the
 * order matters: tests/support/sequencer.ts starts these first, the heaviest first, so that no long
 * file starts last and runs alone. A file missing here only starts later; refresh the list from
 * `TEST_TIMINGS=t.json npx vitest run --reporter=./tests/support/timing-reporter.ts` when it drifts.
 */
export const fileWeights: Readonly<Record<string, number>> = {
  'src/server/http/openapi-fuzz.e2e.test.ts': 207,
  'src/server/modules/bulk-import/cli.int.test.ts': 191,
  'src/server/db/backup.e2e.test.ts': 164,
  'src/server/modules/bulk-import/server-crash.e2e.test.ts': 155,
  'src/server/modules/structures/import/import.int.test.ts': 129,
  'tests/permissions/route-matrix.e2e.test.ts': 118,
  'src/server/modules/structures/import/cli.int.test.ts': 114,
  // Estimated (not yet measured by .ci/run): 95 s and 50 s on a quiet PGlite run, times pages.e2e's ratio.
  'tests/e2e/every-route-staff.e2e.test.ts': 260,
  'tests/e2e/every-route.e2e.test.ts': 130,
  'tests/e2e/menu.e2e.test.ts': 120,
  'tests/e2e/pages.e2e.test.ts': 110,
  'tests/e2e/onboarding.e2e.test.ts': 62,
  'tests/e2e/register.e2e.test.ts': 55,
  'tests/e2e/preregistration.e2e.test.ts': 53,
  'src/server/modules/bulk-import/acceptance.int.test.ts': 57,
  'src/server/modules/register/allocation.int.test.ts': 50,
  'src/server/modules/onboarding/permission-matrix.e2e.test.ts': 48,
  'src/server/modules/bulk-import/bulk-import.int.test.ts': 48,
  'src/server/modules/bulk-import/bulk-import.e2e.test.ts': 47,
  'src/server/modules/auth/sessions.e2e.test.ts': 46,
  'src/server/modules/fhir/paging.e2e.test.ts': 46,
  'src/server/modules/auth/csrf-and-keys.e2e.test.ts': 45,
  'src/server/modules/preregistration/preregistration.e2e.test.ts': 44,
  'src/server/modules/bulk-import/upload-limits.e2e.test.ts': 40,
};
