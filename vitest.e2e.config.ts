import { defineConfig } from 'vitest/config';

/**
 * `npm run test:e2e`: the tests that start processes, clusters, Slack transports, a browser or an
 * embedded Postgres server, drive the ingest end to end, or retrain the answerability model.
 */
export default defineConfig({
  test: {
    include: ['**/*.e2e.test.ts'],
    exclude: ['**/node_modules/**', 'test-output/**'],
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    pool: 'forks',
  },
});
