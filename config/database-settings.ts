import { ConfigError } from './config-error.js';
import type { Config } from './load-config.js';

/** How a process reaches the database of STORE=postgres, as store/postgres/database-pool.ts takes it. */
export interface DatabaseSettings {
  url: string;
  poolSize: number;
  statementTimeoutMs: number;
  /** Shown in pg_stat_activity, so an operator tells replicas from ingests and CLIs. */
  applicationName: string;
}

/** The DATABASE_* settings; ConfigError naming DATABASE_URL when it is unset. */
export function databaseSettings(config: Config, applicationName = 'verbatim'): DatabaseSettings {
  if (!config.DATABASE_URL) throw new ConfigError('Invalid configuration:\n  STORE=postgres needs DATABASE_URL');
  return {
    url: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    applicationName,
  };
}
