import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    // A cluster of real processes: `npm run test:cluster` (vitest.cluster.config.ts).
    exclude: ['**/node_modules/**', 'tests/cluster/**'],
    globalSetup: ['tests/support/global-setup.ts', 'tests/support/cpu-load.ts'],
    // Timeouts catch hangs; they are sized for a busy 2-core CI machine, not a quiet laptop
    // (an outcome is polled for up to 30 s: tests/support/until.ts). Speed: `npm run bench`.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Each file opens its own database copy; two cores: keep parallelism modest.
    maxWorkers: 2,
    env: { LOG_LEVEL: 'silent' },
    reporters: ['default', './tests/support/browser-skip-reporter.ts'],
  },
});
