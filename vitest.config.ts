import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    reporters: ['default', './tests/support/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores on CI: integration tests start servers; keep parallelism modest.
    maxWorkers: 2,
    server: { deps: { inline: ['kysely'] } },
  },
});
