import { defineConfig } from 'vitest/config';

/** `npm run test:cluster`: tests/cluster against a real cluster (scripts/cluster.ts), PostgreSQL leg of CI. */
export default defineConfig({
  test: {
    include: ['tests/cluster/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    env: { LOG_LEVEL: 'silent' },
  },
});
