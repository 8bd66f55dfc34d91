import { defineConfig } from 'vitest/config';
import HeaviestFirstSequencer from './tests/support/sequencer.ts';

/** Server test files that must not share a worker's module registry (see the projects below). */
const isolatedServerTests = ['src/server/modules/bulk-import/**/*.test.ts', 'src/server/http/openapi-fuzz.e2e.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['tests/support/global-setup.ts', 'tests/support/cpu-load.ts'],
    // CPU time per file, for tests/support/timing-reporter.ts (reads /proc; nothing else).
    setupFiles: ['tests/support/cpu-meter.ts'],
    // Timeouts catch hangs; they are sized for a busy 2-core CI machine, not a quiet laptop
    // (an outcome is polled for up to 30 s: tests/support/until.ts). Speed: `npm run bench`.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Each file opens its own database copy; two cores: keep parallelism modest.
    maxWorkers: 2,
    // The long files first, across projects: none starts last to run alone (tests/support/sequencer.ts).
    sequence: { sequencer: HeaviestFirstSequencer },
    env: { LOG_LEVEL: 'silent' },
    reporters: ['default', './tests/support/browser-skip-reporter.ts'],
    // tests/cluster (real processes) runs apart: `npm run test:cluster` (vitest.cluster.config.ts).
    projects: [
      // Server tests share their workers' module cache (no re-import of the server per file: about
      // 20–40 % of their time). They may: no vi.mock, no fake timers, no process.env changes, each
      // file opens and closes its own database copy and app. A file that needs a fresh module
      // registry (vi.mock…) must be excluded here and run by an isolated project (docs/testing.md).
      {
        extends: true,
        test: { name: 'server', include: ['src/**/*.test.ts', 'tests/**/*.test.ts'], exclude: ['**/node_modules/**', 'tests/e2e/**', 'tests/cluster/**', ...isolatedServerTests], isolate: false },
      },
      // Server files that change process.env (upload-limits stubs TMPDIR) or stream hostile and
      // corrupt workbooks through exceljs (bulk import, the fuzz test): a fresh module registry each.
      // An XLSX dry run once read as "illisible" on PostgreSQL after them in a shared worker.
      { extends: true, test: { name: 'server-isolated', include: isolatedServerTests } },
      // Browser tests (Chromium) share their workers' module cache and Chromium too (same rules as
      // `server`; each test opens its own browser context): tests/e2e/support/browser.ts.
      { extends: true, test: { name: 'browser', include: ['tests/e2e/**/*.test.ts'], isolate: false } },
    ],
  },
});
