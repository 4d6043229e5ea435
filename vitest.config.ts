import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    reporters: ['default', './tests/support/summary-reporter.ts'],
    // Bounds that only keep a broken build from hanging the run (tests wait on events, not on time): wide
    // enough for a 2-core machine busy with something else beside the suite.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll looks again until its condition holds; its default bound (1 s) is a deadline a busy machine
    // misses while a page waits for its server, so it gets the same kind of wide bound.
    expect: { poll: { timeout: 30_000 } },
    pool: 'forks',
    // Two cores on CI: integration tests start servers; keep parallelism modest.
    maxWorkers: 2,
    server: { deps: { inline: ['kysely'] } },
  },
});
