import { existsSync } from 'node:fs';

/**
 * The process environment, after reading the env file when there is one: `ENV_FILE` names it
 * (default `.env`; `none` reads nothing). Variables already set in the environment win over the file.
 */
export function readEnvironment(): Record<string, string | undefined> {
  const file = process.env.ENV_FILE ?? '.env';
  if (file !== 'none' && existsSync(file)) process.loadEnvFile(file);
  return process.env;
}
