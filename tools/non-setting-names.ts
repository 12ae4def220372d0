/**
 * Upper-case names the documentation may mention that are not Verbatim settings. Anything else
 * that looks like an environment variable must be a setting the schema knows, so a misspelt,
 * renamed or removed setting cannot linger in the docs.
 */
export const NON_SETTING_NAMES: ReadonlySet<string> = new Set([
  // Set by CI systems and shells, read by Node, npm or Debian's tools.
  'CI',
  'NO_COLOR',
  'DEBIAN_FRONTEND',
  // The variables of the CI examples in examples/ci/ (docs/evaluation.md).
  'EVAL_CASES',
  'EVAL_DOCS',
  'EVAL_THRESHOLDS',
  'EVAL_OUT',
  'EVAL_BASELINE_ARGS',
  'VERBATIM_REPOSITORY',
  'VERBATIM_REPOSITORY_URL',
  'VERBATIM_REF',
  'VERBATIM_EVAL_TOKEN',
  // The standalone bot in examples/slack-bot.ts.
  'VERBATIM_API_KEY',
  'VERBATIM_URL',
  // Proxy variables the crawler deliberately ignores (docs/crawling.md), and an example document's own setting there.
  'HTTP_PROXY',
  'CRANE_PORT',
  // Switches of npm run bench (bench/main.ts), not of the server.
  'BENCH_ONLY',
  'BENCH_QUICK',
  'BENCH_HTTP_SECONDS',
  'BENCH_MAX_CHUNKS',
  'BENCH_OLD_ENGINE_UP_TO',
  'BENCH_POSTGRES_SIZES',
  // Constants in the code.
  'INDEX_FILES',
  'HEADING_FIELD_BOOST',
  'BLOCK_MARGIN',
  // Files and words written in capitals: the index's pointer and commit mark, documents without an extension, HTTP methods.
  'CURRENT',
  'COMMITTED',
  'README',
  'LICENSE',
  'NOTES',
  'GET',
  'POST',
]);
