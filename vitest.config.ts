import { defineConfig } from 'vitest/config';

/**
 * `npm test`: everything that runs in this process. Tests that start processes, clusters, Slack
 * transports, a browser or an embedded Postgres server, that drive the ingest end to end (its
 * reader workers under their limits, a crawl of a loopback site, folders ingested again and again)
 * or that retrain the answerability model are named `*.e2e.test.ts` and run by `npm run test:e2e`
 * (vitest.e2e.config.ts).
 *
 * The files share their worker's modules (isolate: false): the worker imports the app and loads the
 * word vectors once, not once per file. So a test file puts back what it changes in the process
 * (environment variables, process listeners) and closes the servers it starts.
 */
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test-output/**', '**/*.e2e.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    isolate: false,
  },
});
