import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    // A cluster of real processes: `npm run test:cluster` (vitest.cluster.config.ts).
    exclude: ['**/node_modules/**', 'tests/cluster/**'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file opens its own database copy; two cores: keep parallelism modest.
    maxWorkers: 2,
    env: { LOG_LEVEL: 'silent' },
  },
});
